"""Slack ids never reach the logs in clear."""
import logging

from channels.slack import HashSlackIds, pseudonym


def test_slack_ids_in_log_records_are_hashed(caplog):
    logger = logging.getLogger("rasa.core.channels.slack")
    with caplog.at_level(logging.WARNING, logger="rasa.core.channels.slack"):
        logger.warning("Received message on unsupported channel: %s from %s", "C0123ABCD9", "U99887766")
    text = caplog.text
    assert "C0123ABCD9" not in text and "U99887766" not in text
    assert pseudonym("C0123ABCD9") in text
    assert any(isinstance(f, HashSlackIds) for f in logger.filters)


def test_pseudonyms_are_stable_and_distinct():
    assert pseudonym("U1234567") == pseudonym("U1234567") != pseudonym("U7654321")
