"""The demo page's token endpoint (scripts/widget_server.py), over real HTTP on loopback: a browser
keeps its conversation across reloads through an HttpOnly cookie, "Clear" (?new=1) starts a new
one, and knowing a session id gives no token for it."""
import http.cookiejar
import json
import threading
import urllib.request

import jwt
import pytest

from scripts.widget_server import COOKIE, TOKEN_SECONDS, make_server

SECRET = "t" * 32


@pytest.fixture(scope="module")
def token_url():
    server = make_server("127.0.0.1", 0, SECRET, rasa_url="https://bot.example.org")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()


class Browser:
    """One browser: its own cookie jar."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def claims(self, url, headers=None):
        with self.opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            assert response.headers["Cache-Control"] == "no-store"
            token = json.loads(response.read())["token"]
        return jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["exp", "iat", "session_id"]})


def test_a_reload_keeps_the_session_and_another_browser_gets_another(token_url):
    alice, bob = Browser(), Browser()
    first = alice.claims(token_url)
    assert first["exp"] - first["iat"] == TOKEN_SECONDS
    assert alice.claims(token_url)["session_id"] == first["session_id"]
    assert bob.claims(token_url)["session_id"] != first["session_id"]
    [cookie] = list(alice.cookies)
    assert cookie.name == COOKIE and cookie.has_nonstandard_attr("HttpOnly") and cookie.path == "/token"
    assert first["session_id"] not in cookie.value  # the id alone is not the key


def test_clear_starts_a_new_session_that_a_reload_then_keeps(token_url):
    alice = Browser()
    old = alice.claims(token_url)["session_id"]
    new = alice.claims(token_url + "?new=1")["session_id"]
    assert new != old
    assert alice.claims(token_url)["session_id"] == new


def test_knowing_a_session_id_gets_no_token_for_it(token_url):
    alice, mallory = Browser(), Browser()
    session = alice.claims(token_url)["session_id"]
    for attempt in [f"{token_url}?session_id={session}", f"{token_url}?new=0&session={session}"]:
        assert mallory.claims(attempt)["session_id"] != session
    forged_cookie = {"Cookie": f"{COOKIE}={session}"}
    assert Browser().claims(token_url, forged_cookie)["session_id"] != session


def test_the_widgets_server_is_the_operators_never_the_page_addresss(token_url):
    base = token_url.rsplit("/", 1)[0]
    for config in ["/config.js", "/config.js?server=https://evil.example"]:
        with urllib.request.urlopen(base + config, timeout=10) as response:
            script = response.read().decode()
        assert '"serverUrl": "https://bot.example.org"' in script and "evil" not in script
    with urllib.request.urlopen(base + "/index.html", timeout=10) as response:
        page = response.read().decode()
    assert '<script src="config.js">' in page and "location.search" not in page and "server=" not in page
