"""The website widget in a real browser (Debian's chromium driven by Playwright) against the real servers.

Opens the demo page, describes the event, answers a form question by clicking a button, receives a
perspective, reloads and continues the same session, sends a crisis message and sees the contacts,
runs axe-core on the open widget, and saves desktop and 360 px screenshots to results/screenshots/.
"""
import shutil
import threading
from pathlib import Path

import pytest

from scripts.widget_server import make_server
from tests.integration.conftest import API_TOKEN, ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (make test installs it)"),
]
playwright_api = pytest.importorskip("playwright.sync_api")
SCREENSHOTS = ROOT / "results" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def demo_page(assistant):
    server = make_server("127.0.0.1", 0, assistant.jwt_secret, rasa_url=f"http://127.0.0.1:{assistant.port}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


def bot_text(page):
    return page.locator(".tg-log").inner_text()


def wait_for_text(page, text, timeout=30000):
    page.wait_for_function("t => document.querySelector('.tg-log').innerText.includes(t)", arg=text, timeout=timeout)


def test_widget_conversation_reload_crisis_and_accessibility(browser, demo_page, assistant):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(demo_page)
    page.get_by_role("button", name="Talk it through").click()
    wait_for_text(page, "What would you like to talk about?")
    assert page.locator(".tg-crisis").is_visible()

    page.get_by_label("Your message").fill("my therapist teared up when I talked about my mum")
    page.keyboard.press("Enter")
    wait_for_text(page, "first time, or has it happened before")
    page.get_by_role("button", name="Just this once").last.click()
    wait_for_text(page, "how did it leave you feeling")
    page.get_by_role("button", name="Cared for").last.click()
    wait_for_text(page, "Based on what you told me")
    assert "—" in bot_text(page)  # an attributed perspective
    session_id = page.evaluate("JSON.parse(localStorage.getItem('tears-guide-widget')).sessionId")
    page.screenshot(path=str(SCREENSHOTS / "widget-desktop.png"))

    page.reload()
    if page.locator("#tg-panel").is_hidden():
        page.get_by_role("button", name="Talk it through").click()
    wait_for_text(page, "Based on what you told me")  # the transcript survived the reload
    assert page.evaluate("JSON.parse(localStorage.getItem('tears-guide-widget')).sessionId") == session_id
    page.get_by_label("Your message").fill("is that normal?")
    page.keyboard.press("Enter")
    wait_for_text(page, "Sources differ on how common it is")
    status, tracker = assistant.request("GET", f"/conversations/{session_id}/tracker?token={API_TOKEN}")
    texts = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert "my therapist teared up when I talked about my mum" in texts and "is that normal?" in texts

    page.get_by_label("Your message").fill("i want to kill myself")
    page.keyboard.press("Enter")
    wait_for_text(page, "988")

    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document.querySelector('#tg-panel'))).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)"
    )
    assert violations == []

    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(SCREENSHOTS / "widget-360px.png"))
    box = page.locator("#tg-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.close()


def open_fresh_widget(browser, demo_page):
    """A page with an empty browser copy and the widget open on its greeting."""
    page = browser.new_page()
    page.goto(demo_page)
    page.evaluate("localStorage.clear()")
    page.reload()
    page.get_by_role("button", name="Talk it through").click()
    wait_for_text(page, "What would you like to talk about?")
    return page


def send(page, text, then):
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")
    wait_for_text(page, then)


def test_text_is_never_rendered_as_html(browser, demo_page):
    page = open_fresh_widget(browser, demo_page)
    send(page, "<img src=x onerror=\"window.pwned=1\"><b>hi</b>", "<b>hi</b>")
    assert page.evaluate("window.pwned") is None
    assert page.locator(".tg-log img").count() == 0
    page.close()


def test_clear_offers_to_delete_the_server_copy_and_forgetting_clears_the_browser_copy(browser, demo_page, assistant):
    """PRIVACY.md: "Clear" offers to delete the server's copy too; when the assistant confirms the
    deletion the browser's copy (transcript and session id in localStorage) is gone as well."""
    page = open_fresh_widget(browser, demo_page)
    send(page, "my therapist cried last week", "Thank you for telling me")
    session_id = page.evaluate("JSON.parse(localStorage.getItem('tears-guide-widget')).sessionId")
    assert session_id

    page.get_by_role("button", name="Clear this conversation").click()
    page.get_by_role("button", name="Also delete it from the server").click()
    wait_for_text(page, "Do you want me to delete this whole conversation?")
    page.get_by_role("button", name="Yes, delete it").last.click()
    wait_for_text(page, "I've deleted this conversation")
    # the browser's copy is gone, and the next message goes to a new conversation
    page.wait_for_function("old => { const s = JSON.parse(localStorage.getItem('tears-guide-widget'));"
                           " return s.sessionId && s.sessionId !== old; }", arg=session_id)
    stored = page.evaluate("JSON.parse(localStorage.getItem('tears-guide-widget'))")
    assert stored["transcript"] == []
    send(page, "hello again", "What would you like to talk about?")
    status, tracker = assistant.request("GET", f"/conversations/{session_id}/tracker?token={API_TOKEN}")
    assert "my therapist cried last week" not in [e.get("text") for e in tracker["events"]]
    page.close()


def test_the_browser_copy_is_kept_no_longer_than_the_retention_period(browser, demo_page):
    """A transcript older than `retentionDays` (30, like the server's retention_days) is dropped, with
    its session id, when the page loads; a recent one is kept. (The stored copy is written before the
    page's own scripts run: the widget saves its state when a page unloads.)"""
    def stored_after_loading(days_ago):
        page = browser.new_page()
        at = f"Date.now() - {days_ago} * 24 * 3600 * 1000"
        page.add_init_script(f"""localStorage.setItem('tears-guide-widget', JSON.stringify({{
            sessionId: 'a-stored-session', lastActive: {at},
            transcript: [{{from: 'user', text: 'a stored message', at: {at}}}]}}))""")
        page.goto(demo_page)
        page.wait_for_selector(".tg-launcher")
        stored = page.evaluate("JSON.parse(localStorage.getItem('tears-guide-widget'))")
        page.close()
        return stored

    old = stored_after_loading(31)
    assert old["transcript"] == [] and old["sessionId"] is None
    recent = stored_after_loading(1)
    assert [e["text"] for e in recent["transcript"]] == ["a stored message"]
    assert recent["sessionId"] == "a-stored-session"
