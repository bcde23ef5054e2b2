"""Render deploy/nginx/nginx.conf.template: python deploy/nginx/render.py KEY=VALUE ... > nginx.conf

Keys (defaults in brackets): PREFIX [/var/lib/nginx-assistant], LISTEN [443], SERVER_NAME [_],
TLS_CERT, TLS_KEY (required), RASA_UPSTREAM [127.0.0.1:5005],
ALLOWED_ORIGIN_REGEX (required, e.g. https://(www\\.)?example\\.org), RATE_PER_SECOND [5], BURST [10],
MAX_CONNECTIONS [4] (open widget sockets per client address),
API_ALLOW [none] (comma-separated addresses or CIDRs that may reach /conversations/; none: 404),
TRUSTED_PROXIES [none] (comma-separated addresses of load balancers whose X-Forwarded-For is believed).
"""
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULTS = {"PREFIX": "/var/lib/nginx-assistant", "LISTEN": "443", "SERVER_NAME": "_",
            "RASA_UPSTREAM": "127.0.0.1:5005", "RATE_PER_SECOND": "5", "BURST": "10", "MAX_CONNECTIONS": "4",
            "API_ALLOW": "", "TRUSTED_PROXIES": ""}
REQUIRED = ("TLS_CERT", "TLS_KEY", "ALLOWED_ORIGIN_REGEX")


def addresses(value: str) -> list:
    return [a.strip() for a in value.split(",") if a.strip()]


def api_location(allowed: list) -> str:
    """The tracker API for operators only: from the listed addresses, else not at all."""
    if not allowed:
        return "        location /conversations/ { return 404; }"
    rules = "".join(f"            allow {address};\n" for address in allowed)
    return ("        location /conversations/ {\n" + rules + "            deny all;\n"
            "            limit_req zone=per_client burst={{BURST}} nodelay;\n"
            "            proxy_pass http://rasa;\n"
            "            proxy_set_header X-Forwarded-For $remote_addr;\n"
            "            proxy_set_header Host $host;\n"
            "        }")


def trusted_proxy_lines(proxies: list) -> str:
    if not proxies:
        return "    # no TRUSTED_PROXIES: X-Forwarded-For from clients is ignored"
    return "".join(f"    set_real_ip_from {address};\n" for address in proxies) + \
        "    real_ip_header X-Forwarded-For;\n    real_ip_recursive on;"


def render(values: dict) -> str:
    settings = {**DEFAULTS, **values}
    missing = [key for key in REQUIRED if not settings.get(key)]
    if missing:
        raise SystemExit(f"missing settings: {', '.join(missing)}")
    text = TEMPLATE.read_text()
    text = text.replace("{{API_LOCATION}}", api_location(addresses(settings.pop("API_ALLOW"))))
    text = text.replace("{{TRUSTED_PROXY_LINES}}", trusted_proxy_lines(addresses(settings.pop("TRUSTED_PROXIES"))))
    for key, value in settings.items():
        text = text.replace("{{" + key + "}}", value)
    return text


if __name__ == "__main__":
    sys.stdout.write(render(dict(arg.split("=", 1) for arg in sys.argv[1:])))
