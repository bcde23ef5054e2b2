"""Serve the widget's demo page and issue short-lived socket.io tokens (`make run` starts it).

GET /token returns {"token": <JWT>} signed with SOCKETIO_JWT_SECRET (HS256), valid for
TOKEN_SECONDS; Rasa's socketio channel (credentials.yml `jwt_key`) refuses a socket without one.
Everything else is a static file from web/public/. A real site issues the token from its own backend
the same way (any JWT library, the shared secret, a short `exp`).
Usage: python scripts/widget_server.py [--host 127.0.0.1] [--port 8080]
"""
import argparse
import functools
import http.server
import json
import os
import secrets
import time
from pathlib import Path

import jwt

PUBLIC = Path(__file__).resolve().parent.parent / "web" / "public"
TOKEN_SECONDS = 300


def issue_token(secret: str, now: float = None) -> str:
    now = time.time() if now is None else now
    claims = {"sub": secrets.token_hex(8), "iat": int(now), "exp": int(now + TOKEN_SECONDS)}
    return jwt.encode(claims, secret, algorithm="HS256")


class Handler(http.server.SimpleHTTPRequestHandler):
    secret = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] != "/token":
            return super().do_GET()
        body = json.dumps({"token": issue_token(self.secret)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass  # no request lines (and no client addresses) in the logs


def make_server(host: str, port: int, secret: str) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(type("TokenHandler", (Handler,), {"secret": secret}), directory=str(PUBLIC))
    return http.server.ThreadingHTTPServer((host, port), handler)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    secret = os.environ.get("SOCKETIO_JWT_SECRET")
    if not secret:
        raise SystemExit("SOCKETIO_JWT_SECRET is not set")
    make_server(args.host, args.port, secret).serve_forever()
