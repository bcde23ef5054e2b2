"""A fake Slack Web API on loopback that records chat.postMessage calls (the tests reach no Slack)."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List


class FakeSlackApi:
    def __init__(self) -> None:
        self.posts: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    data = json.loads(body or "{}")
                else:
                    data = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
                for key in ("blocks", "attachments"):
                    if isinstance(data.get(key), str):
                        data[key] = json.loads(data[key])
                with api._lock:
                    api.posts.append({"method": self.path.rsplit("/", 1)[-1], **data})
                reply = json.dumps({"ok": True, "channel": data.get("channel"), "ts": "1700000000.000100"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(reply.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def messages_to(self, channel: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [p for p in self.posts if p["method"] == "chat.postMessage" and p.get("channel") == channel]

    def close(self) -> None:
        self.server.shutdown()
