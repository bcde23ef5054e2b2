"""Serve the widget's demo page and issue short-lived socket.io tokens (`make run` starts it).

GET /token returns {"token": <JWT>} signed with SOCKETIO_JWT_SECRET (HS256), valid for
TOKEN_SECONDS; Rasa's socketio channel (credentials.yml `jwt_key`) refuses a socket without one.
The token names the one conversation its holder may use (the `session_id` claim; the channel
binds the socket to it, channels/widget.py). That id is derived from a random HttpOnly cookie, so
a reload of the page continues the same conversation while someone who only knows the session id
cannot get a token for it. GET /token?new=1 starts a new conversation (the widget's "Clear").
GET /config.js sets the widget's settings; its Rasa server is the operator's `--rasa-url`, never taken
from the page's address (a link with ?server=... could otherwise point the widget, with a valid
token and the stored session, at any server).
Everything else is a static file from web/public/. A real site issues the token from its own backend
the same way (any JWT library, the shared secret, a short `exp`, `iat`, and a `session_id` tied to
that site's own login or cookie).
Usage: python scripts/widget_server.py [--host 127.0.0.1] [--port 8080] [--rasa-url http://127.0.0.1:5005]
"""
import argparse
import functools
import hashlib
import hmac
import http.cookies
import http.server
import json
import os
import secrets
import time
from pathlib import Path

import jwt

PUBLIC = Path(__file__).resolve().parent.parent / "web" / "public"
TOKEN_SECONDS = 300
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
COOKIE = "tg_widget"


def issue_token(secret: str, session_id: str = None, now: float = None) -> str:
    """A short-lived token for the conversation `session_id` (a new random one when not given)."""
    now = time.time() if now is None else now
    claims = {"session_id": session_id or secrets.token_hex(16), "iat": int(now), "exp": int(now + TOKEN_SECONDS)}
    return jwt.encode(claims, secret, algorithm="HS256")


def session_for_cookie(secret: str, cookie: str) -> str:
    """The conversation id of a browser: keyed on its cookie, so the id alone opens nothing."""
    return hmac.new(secret.encode(), b"widget-session:" + cookie.encode(), hashlib.sha256).hexdigest()[:32]


class Handler(http.server.SimpleHTTPRequestHandler):
    secret = ""
    rasa_url = DEFAULT_RASA_URL

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path, _, query = self.path.partition("?")
        if path == "/config.js":
            settings = {"serverUrl": self.rasa_url, "title": "Talk it through"}
            return self._send(f"window.TearsGuideConfig = {json.dumps(settings)};\n".encode(), "text/javascript")
        if path != "/token":
            return super().do_GET()
        cookies = http.cookies.SimpleCookie(self.headers.get("Cookie", ""))
        cookie = cookies[COOKIE].value if COOKIE in cookies else ""
        fresh = len(cookie) < 32 or "new=1" in query.split("&")
        if fresh:
            cookie = secrets.token_hex(32)
        body = json.dumps({"token": issue_token(self.secret, session_for_cookie(self.secret, cookie))}).encode()
        cookie_header = f"{COOKIE}={cookie}; Path=/token; HttpOnly; SameSite=Strict" if fresh else None
        self._send(body, "application/json", cookie_header)

    def _send(self, body: bytes, content_type: str, cookie: str = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass  # no request lines (and no client addresses) in the logs


def make_server(host: str, port: int, secret: str, rasa_url: str = DEFAULT_RASA_URL) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(type("TokenHandler", (Handler,), {"secret": secret, "rasa_url": rasa_url}),
                                directory=str(PUBLIC))
    return http.server.ThreadingHTTPServer((host, port), handler)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default=DEFAULT_RASA_URL, help="the Rasa server the widget talks to")
    args = parser.parse_args()
    secret = os.environ.get("SOCKETIO_JWT_SECRET")
    if not secret:
        raise SystemExit("SOCKETIO_JWT_SECRET is not set")
    make_server(args.host, args.port, secret, args.rasa_url).serve_forever()
