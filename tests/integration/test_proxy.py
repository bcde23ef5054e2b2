"""The production reverse proxy (deploy/nginx), tested on loopback in front of the real Rasa server.

TLS with a throw-away self-signed certificate; a foreign Origin is refused on the widget socket; a
flood from one client gets 429 while another client (another loopback address) is still answered;
the tracker API answers only operator addresses (and still wants the token), /model/ and the
unauthenticated REST webhook are not exposed, the access log holds no client address and no query
string, and a client's own X-Forwarded-For buys it no new rate-limit bucket (a trusted proxy's does).
"""
import http.client
import shutil
import ssl
import subprocess
import sys
import time

import pytest

from tests.integration.conftest import API_TOKEN, ROOT, free_port

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (make test installs it)"),
]
ALLOWED_ORIGIN = "https://widget.example.org"
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
RUN = {}  # what the proxy fixture made: the access log's path


@pytest.fixture(scope="module")
def proxy(assistant, tmp_path_factory):
    prefix = tmp_path_factory.mktemp("nginx")
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = free_port()
    sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
    from render import render  # noqa: E402

    conf = prefix / "nginx.conf"
    conf.write_text(render({
        "PREFIX": str(prefix), "LISTEN": f"127.0.0.1:{port}", "TLS_CERT": str(cert), "TLS_KEY": str(key),
        "RASA_UPSTREAM": f"127.0.0.1:{assistant.port}", "ALLOWED_ORIGIN_REGEX": r"https://widget\.example\.org",
        "RATE_PER_SECOND": "2", "BURST": "5", "API_ALLOW": "127.0.0.3", "TRUSTED_PROXIES": "127.0.0.9",
    }))
    nginx = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off; user root;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            get(port, "/nothing")
            break
        except OSError:
            time.sleep(0.2)
    RUN["access_log"] = prefix / "access.log"
    yield port
    nginx.terminate()
    nginx.wait(timeout=10)


def proxy_access_log():
    return RUN["access_log"]


def get(port, path, headers=None, source="127.0.0.1"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10,
                                             source_address=(source, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_widget_socket_accepts_the_allowed_origin_and_refuses_others(proxy):
    status, body = get(proxy, HANDSHAKE, {"Origin": ALLOWED_ORIGIN})
    assert status == 200 and b"sid" in body
    assert get(proxy, HANDSHAKE, {"Origin": "https://evil.example.com"})[0] == 403
    assert get(proxy, HANDSHAKE)[0] == 403  # no Origin at all


def test_a_flood_is_rate_limited_while_other_clients_are_served(proxy):
    # a client address no other test uses, so its bucket starts full whatever ran before
    statuses = [get(proxy, HANDSHAKE, {"Origin": ALLOWED_ORIGIN}, source="127.0.0.4")[0] for _ in range(30)]
    assert statuses.count(429) >= 10, statuses
    assert 200 in statuses
    assert get(proxy, HANDSHAKE, {"Origin": ALLOWED_ORIGIN}, source="127.0.0.2")[0] == 200


def test_the_tracker_api_answers_only_operators_and_still_needs_the_token(proxy):
    # five requests from the operator address, within its burst; no other test uses it before
    assert get(proxy, "/conversations/someone/tracker", source="127.0.0.3")[0] == 401
    assert get(proxy, f"/conversations/someone/tracker?token={API_TOKEN}", source="127.0.0.3")[0] == 200
    assert get(proxy, f"/conversations/someone/tracker?token={API_TOKEN}", source="127.0.0.5")[0] == 403
    assert get(proxy, f"/model/parse?token={API_TOKEN}", source="127.0.0.3")[0] == 404
    assert get(proxy, f"/model?token={API_TOKEN}", source="127.0.0.3")[0] == 404


def test_the_access_log_holds_no_client_address_and_no_query_string(proxy):
    get(proxy, f"/conversations/someone/tracker?token={API_TOKEN}", source="127.0.0.3")
    get(proxy, HANDSHAKE, {"Origin": ALLOWED_ORIGIN}, source="127.0.0.7")
    log = ""
    deadline = time.time() + 10
    while time.time() < deadline and not ("/conversations/someone/tracker" in log and "/socket.io/" in log):
        log = proxy_access_log().read_text()  # nginx writes each line when its request ends
        time.sleep(0.1)
    assert "/conversations/someone/tracker" in log and "/socket.io/" in log  # it does log requests
    assert API_TOKEN not in log and "token=" not in log and "EIO=" not in log
    assert "127.0.0." not in log


def test_a_forged_forwarded_for_buys_no_new_bucket_but_a_trusted_proxys_does(proxy):
    # 127.0.0.6 and the addresses behind the trusted proxy are this test's own: full buckets
    forged = [get(proxy, HANDSHAKE, {"Origin": ALLOWED_ORIGIN, "X-Forwarded-For": f"203.0.113.{n}"},
                  source="127.0.0.6")[0] for n in range(30)]
    assert forged.count(429) >= 10, forged
    via_proxy = [get(proxy, HANDSHAKE, {"Origin": ALLOWED_ORIGIN, "X-Forwarded-For": f"198.51.100.{n}"},
                     source="127.0.0.9")[0] for n in range(30)]
    assert via_proxy.count(429) == 0, via_proxy  # thirty different clients behind the load balancer


def test_only_the_socket_slack_and_api_are_exposed(proxy):
    assert get(proxy, "/webhooks/rest/webhook", source="127.0.0.4")[0] == 404
    assert get(proxy, "/status", source="127.0.0.4")[0] == 404
    assert get(proxy, "/", source="127.0.0.4")[0] == 404
