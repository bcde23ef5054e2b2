"""Render deploy/nginx/nginx.conf.template: python deploy/nginx/render.py KEY=VALUE ... > nginx.conf

Keys (defaults in brackets): PREFIX [/var/lib/nginx-assistant], LISTEN [443], SERVER_NAME [_],
TLS_CERT, TLS_KEY (required), RASA_UPSTREAM [127.0.0.1:5005],
ALLOWED_ORIGIN_REGEX (required, e.g. https://(www\\.)?example\\.org), RATE_PER_SECOND [5], BURST [10].
"""
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULTS = {"PREFIX": "/var/lib/nginx-assistant", "LISTEN": "443", "SERVER_NAME": "_",
            "RASA_UPSTREAM": "127.0.0.1:5005", "RATE_PER_SECOND": "5", "BURST": "10"}
REQUIRED = ("TLS_CERT", "TLS_KEY", "ALLOWED_ORIGIN_REGEX")


def render(values: dict) -> str:
    settings = {**DEFAULTS, **values}
    missing = [key for key in REQUIRED if not settings.get(key)]
    if missing:
        raise SystemExit(f"missing settings: {', '.join(missing)}")
    text = TEMPLATE.read_text()
    for key, value in settings.items():
        text = text.replace("{{" + key + "}}", value)
    return text


if __name__ == "__main__":
    sys.stdout.write(render(dict(arg.split("=", 1) for arg in sys.argv[1:])))
