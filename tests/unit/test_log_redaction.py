"""Rasa's structured log processor writes no message text once our packages are loaded."""
import channels  # noqa: F401  (loading the channels package registers the plugin, as in every server)
from rasa.utils.log_utils import _anonymizer

import log_redaction


def test_sensitive_values_in_log_events_are_replaced():
    event = _anonymizer(None, "debug", {"event": "processor.message.parse",
                                        "parse_data_text": "i told her about my dad",
                                        "current_states": "[state 1] user text: i told her about my dad",
                                        "text": "i told her about my dad", "action_name": "utter_greet"})
    assert event["parse_data_text"] == event["current_states"] == event["text"] == log_redaction.REDACTED
    assert event["event"] == "processor.message.parse" and event["action_name"] == "utter_greet"


def test_registering_twice_keeps_one_plugin():
    log_redaction.register()
    log_redaction.register()
    from rasa.plugin import plugin_manager
    assert plugin_manager().hook.get_anonymization_pipeline() is log_redaction.LogRedactionPlugin.pipeline
