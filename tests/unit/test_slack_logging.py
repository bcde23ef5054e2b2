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


def test_a_conversation_id_of_user_and_channel_is_hashed_in_both_parts():
    record = logging.LogRecord("rasa.core.processor", logging.WARNING, __file__, 1,
                               "Could not save tracker for sender %s", ("U012AB3CD_D0123ABCD",), None)
    HashSlackIds().filter(record)
    assert record.getMessage() == f"Could not save tracker for sender {pseudonym('U012AB3CD')}_{pseudonym('D0123ABCD')}"


def test_records_of_any_logger_are_hashed_once_the_root_handlers_carry_the_filter():
    import io

    from channels.slack import install_id_hashing

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install_id_hashing()
        logging.getLogger("rasa.core.processor").warning("Dropped turn of %s", "U012AB3CD_D0123ABCD")
    finally:
        root.removeHandler(handler)
    assert "U012AB3CD" not in stream.getvalue() and "D0123ABCD" not in stream.getvalue()
    assert pseudonym("U012AB3CD") in stream.getvalue()
