"""Readiness check: GET /webhooks/health/ready.

Rasa's own `GET /` answers "Hello from Rasa" even when its tracker store or lock store is down, so a
load balancer keeps sending users to a replica that cannot keep their conversation. This endpoint
answers 200 only when the model is loaded, both stores answer a trivial query and the action server
answers its /health, and 503 (with which part failed) otherwise. (Without the action server the
Rasa server still answers crisis messages and says "temporarily unavailable" to the rest, but a
replica that cannot hold a conversation should not get new ones.) HAProxy polls it (deploy/haproxy/haproxy.cfg.template); Kubernetes
uses it as the readiness probe (deploy/helm/values.yml).

Registered as an input channel in credentials.yml, because that is how Rasa 3.6 lets a project add
a route to its server.
"""
import asyncio
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

CHECK_TIMEOUT_SECONDS = 4


def _innermost(store: Any) -> Any:
    """Rasa wraps tracker stores (AwaitableTrackerStore, FailSafeTrackerStore); find the real one."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


async def _check(store: Any) -> str:
    if store is None:
        return "missing"
    ping = getattr(_innermost(store), "ping", None)
    if ping is None:
        return "ok (in memory)"
    try:
        await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, ping), CHECK_TIMEOUT_SECONDS)
        return "ok"
    except Exception as error:  # any failure means "not ready"; the type says which
        return f"unreachable ({type(error).__name__})"


async def _check_action_server(endpoint: Any) -> str:
    url = getattr(endpoint, "url", None)
    if not url:
        return "not configured"
    health = url.rsplit("/webhook", 1)[0] + "/health"
    try:
        import aiohttp

        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS / 2)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(health) as answer:
                return "ok" if answer.status == 200 else f"unhealthy (HTTP {answer.status})"
    except Exception as error:  # refused, timed out: not ready
        return f"unreachable ({type(error).__name__})"


async def readiness(agent: Any) -> Dict[str, Any]:
    if agent is None or not agent.is_ready():
        return {"status": "unready", "model": "not loaded"}
    tracker_store, lock_store, action_server = await asyncio.gather(
        _check(agent.tracker_store), _check(agent.lock_store),
        _check_action_server(getattr(agent, "action_endpoint", None)))
    ready = tracker_store.startswith("ok") and lock_store.startswith("ok") and action_server in ("ok", "not configured")
    return {"status": "ready" if ready else "unready", "model": "loaded",
            "tracker_store": tracker_store, "lock_store": lock_store, "action_server": action_server}


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("health_checks", __name__)

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            result = await readiness(getattr(request.app.ctx, "agent", None))
            return response.json(result, status=200 if result["status"] == "ready" else 503)

        return health
