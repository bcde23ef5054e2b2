"""Three changes to Rasa 3.6.21 that configuration cannot make, applied when our packages load.

1. No silent fallback to memory. Rasa wraps every tracker store in a FailSafeTrackerStore: when the
   database fails, `retrieve` answers "no such conversation" (so the user is greeted as a stranger)
   and `save` writes to process memory (so the turn is lost at the next restart), with only a log
   line. For a service people confide in, a turn must be stored or visibly refused: here the store's
   error is raised again, the REST channel answers 503 "temporarily unavailable"
   (channels/rest.py), and the client can send the message again once the store is back.

2. Client errors are not server errors. Rasa's HTTP API logs every refused request (a missing
   token: 401, an unknown conversation: 404, a bad body: 400) at ERROR, so a probe or a typo looks
   like a server fault in the logs. 4xx answers are logged at WARNING; 5xx stay at ERROR.

3. and 4. Two measured hot spots in the per-message path, made cheap without changing behaviour.

Profiled with py-spy under `make bench` (one user, REST): about 40 % of the Rasa server's time went
into `RemoteAction._validate_action_result`, because `jsonschema.validate` re-checks the (constant)
response schema against the JSON-Schema meta-schema on every custom action call; about 11 % went
into `Event.resolve_by_type`, which walks every subclass of `Event` for every stored event each time
a tracker is loaded. Here the schema is checked once and its validator kept, and event classes are
looked up in a table built from the same subclass walk. Results are identical: the validator raises
the same `ValidationError` (with Rasa's hint appended), and unknown event names still fall back to
Rasa's own lookup.

`apply()` is idempotent; it runs when Rasa imports our channel or tracker-store packages, which
every server of this project does (credentials.yml / endpoints.yml), before the agent is created.
"""
from typing import Any, Dict, Optional, Text, Type

_applied = False


def _cached_action_result_validator() -> None:
    import jsonschema
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()  # a constant schema, rebuilt per call by Rasa
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except jsonschema.ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from "
                f"the Action endpoint is valid. For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error

    RemoteAction._validate_action_result = validate_action_result


def _event_class_table() -> None:
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    table: Dict[Text, Type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # first match wins, as in Rasa's loop

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = table.get(type_name)
        return cls if cls is not None else original(type_name, default)

    Event.resolve_by_type = staticmethod(resolve_by_type)


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
    _cached_action_result_validator()
    _event_class_table()
