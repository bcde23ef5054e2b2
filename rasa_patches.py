"""Changes to Rasa 3.6.21 that configuration cannot make, applied when our packages load.

1. No silent fallback to memory. Rasa wraps every tracker store in a FailSafeTrackerStore: when the
   database fails, `retrieve` answers "no such conversation" (so the user is greeted as a stranger)
   and `save` writes to process memory (so the turn is lost at the next restart), with only a log
   line. For a service people confide in, a turn must be stored or visibly refused: here the store's
   error is raised again, the REST channel answers 503 "temporarily unavailable"
   (channels/rest.py), and the client can send the message again once the store is back.

2. Client errors are not server errors. Rasa's HTTP API logs every refused request (a missing
   token: 401, an unknown conversation: 404, a bad body: 400) at ERROR, so a probe or a typo looks
   like a server fault in the logs. 4xx answers are logged at WARNING; 5xx stay at ERROR.

3. Less CPU per message, with the same results: see rasa_speedups.py.

`apply()` is idempotent; it runs when Rasa imports our channel or tracker-store packages, which
every server of this project does (credentials.yml / endpoints.yml), before the agent is created.
"""
from typing import Any, Text

import rasa_speedups

_applied = False


def _raise(error: Exception) -> None:
    raise error


def _no_silent_fallback_to_memory() -> None:
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore

    original = Agent._create_tracker_store

    def create_tracker_store(store: Any, domain: Any) -> Any:
        wrapped = original(store, domain)
        if isinstance(wrapped, FailSafeTrackerStore):
            wrapped._on_tracker_store_error = _raise  # Rasa calls it in place of the fallback's log line
        return wrapped

    Agent._create_tracker_store = staticmethod(create_tracker_store)


def _client_errors_as_warnings() -> None:
    import logging

    import rasa.server

    original = rasa.server.ErrorResponse.__init__
    server_logger = logging.getLogger(rasa.server.__name__)

    def __init__(self: Any, status: Any, reason: Text, message: Text, *args: Any, **kwargs: Any) -> None:
        if int(status) >= 500:
            return original(self, status, reason, message, *args, **kwargs)
        server_logger.disabled, was_disabled = True, server_logger.disabled  # silence the ERROR line...
        try:
            original(self, status, reason, message, *args, **kwargs)
        finally:
            server_logger.disabled = was_disabled
        server_logger.warning("%s %s: %s", int(status), reason, message)  # ...and log it as what it is

    rasa.server.ErrorResponse.__init__ = __init__


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _no_silent_fallback_to_memory()
    _client_errors_as_warnings()
    rasa_speedups.apply()
