"""action_forget_conversation deletes only after the confirmation question was asked the turn before."""
from actions.privacy import ActionForgetConversation
from tests.conftest import make_tracker, run_action

USER = {"event": "user", "text": "...", "parse_data": {"intent": {"name": "forget"}}}
CONFIRM = {"event": "user", "text": "/forget_confirm", "parse_data": {"intent": {"name": "forget_confirm"}}}
ASKED = {"event": "action", "name": "utter_confirm_forget"}


def run(events):
    return run_action(ActionForgetConversation(), make_tracker(intent="forget_confirm", events=events))


def test_confirmed_after_the_question_resets_everything():
    events, messages = run([USER, ASKED, {"event": "action", "name": "situation_form"}, CONFIRM])
    assert [e["event"] for e in events] == ["reset_slots", "active_loop"]
    assert "deleted" in messages[0]["text"]


def test_confirmed_after_the_action_itself_asked_the_question():
    events, _ = run([CONFIRM, {"event": "action", "name": "action_forget_conversation"}, CONFIRM])
    assert [e["event"] for e in events] == ["reset_slots", "active_loop"]


def test_a_confirmation_out_of_the_blue_gets_the_question_and_deletes_nothing():
    for history in ([CONFIRM], [USER, {"event": "action", "name": "utter_greet"}, CONFIRM],
                    [USER, ASKED, USER, {"event": "action", "name": "action_share_perspectives"}, CONFIRM]):
        events, messages = run(history)
        assert events == []
        assert messages[0]["response"] == "utter_confirm_forget"
