"""No message text in the Rasa server's logs, at any log level, through Rasa's own plugin hook.

Rasa 3.6 writes what people type into its structured logs: at DEBUG the parsed message
(`parse_data_text`) and the dialogue states the policies see (`current_states`, with the user's
text in end-to-end states); at ERROR a REST turn that timed out (`text`). Every structured log
event passes Rasa's `_anonymizer` (rasa/utils/log_utils.py) first, which asks the plugin hook
`get_anonymization_pipeline` for an object whose `log_run(value)` replaces each value under the
keys Rasa itself lists as sensitive (texts, slot values, entities, states, events). This module
answers that hook with a pipeline that replaces every such value with REDACTED, so `--debug` stays
useful (event names, intents' confidence, action names, timings) without anyone's words.

Rasa also calls the same hook once per message to offer the turn's new events to `run()`; they are
already stored by the tracker store and PRIVACY.md covers them, so `run()` does nothing (the cost
is one extra tracker read per message, which Rasa makes to find the new events).

`register()` runs when Rasa imports our channel or tracker-store packages (every server of this
project loads both), before any message is handled.
"""
from typing import Any, Dict

from rasa.plugin import plugin_manager
import pluggy

REDACTED = "<redacted>"
hookimpl = pluggy.HookimplMarker("rasa")


class MessageTextRedaction:
    """The anonymization pipeline Rasa's log processor and message processor ask for."""

    def log_run(self, value: Any) -> str:
        """Whatever Rasa marked as sensitive in a log event (text, slots, states) is not written."""
        return REDACTED

    def run(self, event: Dict[str, Any]) -> None:
        """New events of a turn: stored by the tracker store already, nothing to do here."""


class LogRedactionPlugin:
    pipeline = MessageTextRedaction()

    @hookimpl
    def get_anonymization_pipeline(self) -> MessageTextRedaction:
        return self.pipeline


_plugin = LogRedactionPlugin()


def register() -> None:
    """Idempotent: the plugin is registered once per process."""
    manager = plugin_manager()
    if not manager.is_registered(_plugin):
        manager.register(_plugin)
