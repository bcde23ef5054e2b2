"""Two measured hot spots in Rasa 3.6.21's per-message path, made cheap without changing behaviour.

Profiled with py-spy under `make bench` (one user, REST): about 40 % of the Rasa server's time went
into `RemoteAction._validate_action_result`, because `jsonschema.validate` re-checks the (constant)
response schema against the JSON-Schema meta-schema on every custom action call; about 11 % went
into `Event.resolve_by_type`, which walks every subclass of `Event` for every stored event each time
a tracker is loaded. Here the schema is checked once and its validator kept, and event classes are
looked up in a table built from the same subclass walk. Results are identical: the validator raises
the same `ValidationError` (with Rasa's hint appended), and unknown event names still fall back to
Rasa's own lookup.

`apply()` is idempotent; it runs when Rasa imports our channel or tracker-store packages, which
every server of this project does (credentials.yml / endpoints.yml).
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


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _cached_action_result_validator()
    _event_class_table()
