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

3. A bounded, honest wait for the action server. Rasa waits up to 5 minutes for a custom action
   (`DEFAULT_REQUEST_TIMEOUT`, which endpoints.yml cannot set) and, when the call fails, drops the
   action's messages and runs whatever the rules say next ("The contacts above..." with no
   contacts above). Here a call waits at most ACTION_SERVER_TIMEOUT seconds (6 by default); a
   failed call is answered once per turn with the "temporarily unavailable" text and ends the turn
   (nothing that follows refers to what was not shown); for the next CIRCUIT_SECONDS further calls
   fail at once instead of waiting again. Crisis replies never call the action server at all
   (the generated part of domain.yml), so they are not delayed by any of this.

4. Less CPU per message, with the same results: see rasa_speedups.py.

`apply()` is idempotent; it runs when Rasa imports our channel or tracker-store packages, which
every server of this project does (credentials.yml / endpoints.yml), before the agent is created.
"""
import logging
import os
import time
from typing import Any, List, Text

import rasa_speedups

logger = logging.getLogger(__name__)
ACTION_SERVER_TIMEOUT = float(os.environ.get("ACTION_SERVER_TIMEOUT", "6"))
CIRCUIT_SECONDS = float(os.environ.get("ACTION_SERVER_CIRCUIT_SECONDS", "10"))

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


class _Circuit:
    """When the action server last failed: calls within CIRCUIT_SECONDS fail fast."""

    failed_at = float("-inf")

    @classmethod
    def open(cls) -> bool:
        return time.monotonic() - cls.failed_at < CIRCUIT_SECONDS


def _bounded_action_server_wait() -> None:
    import rasa.core.actions.action as rasa_actions
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import BotUttered, FollowupAction, UserUttered

    from safety.messages import messages

    rasa_actions.DEFAULT_REQUEST_TIMEOUT = ACTION_SERVER_TIMEOUT  # read by RemoteAction.run at call time
    original = RemoteAction.run
    unavailable = " ".join(messages()["actions_unavailable"]["text"].split())

    async def run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        try:
            if _Circuit.open():
                raise ConnectionError("action server failed moments ago")
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise  # a form declining a message: part of the conversation, not a failure
        except Exception as error:  # refused, timed out, bad answer: the turn cannot be completed
            _Circuit.failed_at = time.monotonic()
            logger.error("Action '%s' failed (%s); answered 'temporarily unavailable'.", self.name(),
                         type(error).__name__)
            said = False
            for event in reversed(tracker.events):
                if isinstance(event, UserUttered):
                    break
                said = said or (isinstance(event, BotUttered) and event.text == unavailable)
            return ([] if said else [BotUttered(unavailable)]) + [FollowupAction(ACTION_LISTEN_NAME)]

    RemoteAction.run = run


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _no_silent_fallback_to_memory()
    _client_errors_as_warnings()
    _bounded_action_server_wait()
    rasa_speedups.apply()
