"""rasa_speedups: the hot spots return and raise the same as Rasa, and `disabled()` gives Rasa's own
code paths back (the prediction-path speedups are compared on the trained model in
tests/integration/test_speedups.py)."""
from types import SimpleNamespace

import jsonschema
import pytest
import rasa.core.processor
import rasa.shared.utils.common
from rasa.core.actions.action import RemoteAction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import Event, UserUttered

import rasa_speedups

rasa_speedups.apply()


def test_speedups_are_in_place():
    assert RemoteAction._validate_action_result.__module__ == "rasa_speedups"
    assert Event.resolve_by_type.__module__ == "rasa_speedups"
    assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa_speedups"


def test_disabled_restores_rasas_code_paths_and_then_the_speedups():
    runner = SimpleNamespace()  # stands in for a loaded processor's graph runner
    with rasa_speedups.disabled(runner):
        assert Event.resolve_by_type.__module__ == "rasa.shared.core.events"
        assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa.engine.runner.dask"
        assert runner.run.func is DaskGraphRunner.run and runner.run.args == (runner,)
    assert Event.resolve_by_type.__module__ == "rasa_speedups"
    assert rasa.core.processor.DaskGraphRunner.__module__ == "rasa_speedups"
    assert not hasattr(runner, "run")


def test_valid_action_server_response_is_accepted():
    action = RemoteAction("action_x", None)
    response = {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hi"}]}
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize("response", [{"events": "not a list"}, {"events": [{"no": "event key"}]},
                                      {"responses": "not a list"}])
def test_invalid_action_server_response_is_rejected_with_rasas_hint(response):
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(response)


def test_every_event_type_resolves_to_the_class_rasas_loop_finds():
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        expected = next(c for c in rasa.shared.utils.common.all_subclasses(Event) if c.type_name == cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is expected


def test_unknown_event_types_behave_as_before():
    assert Event.resolve_by_type("no-such-event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")
