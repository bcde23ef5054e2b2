"""Whole conversations through the REST channel, checked in the tracker (real servers, real model)."""
import pytest

from actions import knowledge

pytestmark = pytest.mark.integration


def events_of(tracker, kind):
    return [e for e in tracker["events"] if e["event"] == kind]


def intents(tracker):
    return [e["parse_data"]["intent"]["name"] for e in events_of(tracker, "user")]


def actions(tracker):
    return [e["name"] for e in events_of(tracker, "action")]


def reply_text(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_description_form_and_matching_perspectives(assistant, sender):
    assistant.send(sender, "hello")
    assistant.send(sender, "my therapist broke down sobbing about her own divorce")
    replies = assistant.send(sender, "it has happened a few times now")
    assert "how did it leave you feeling" in reply_text(replies).lower()
    replies = assistant.send(sender, "/feel_responsible")

    tracker = assistant.tracker(sender)
    assert tracker["slots"]["crying_intensity"] == "sobbing"
    assert tracker["slots"]["crying_focus"] == "therapist_own_life"
    assert tracker["slots"]["crying_frequency"] == "repeated"
    assert tracker["slots"]["client_feeling"] == "responsible"
    assert intents(tracker)[:3] == ["greet", "describe_therapist_crying", "describe_therapist_crying"]
    shared = tracker["slots"]["perspectives_shared"]
    assert shared and actions(tracker)[-2] == "action_share_perspectives"
    for pid in shared:
        assert {"caretaking", "whose_need"} & set(knowledge.perspective_by_id(pid).topics)
        assert knowledge.perspective_by_id(pid).text in reply_text(replies)


@pytest.mark.parametrize(
    "message, intent, topics",
    [
        ("is it actually appropriate for a therapist to cry with a client", "ask_is_it_professional",
         {"professional", "intensity", "whose_need"}),
        ("do lots of therapists cry, is that normal", "ask_is_it_normal", {"normal", "research"}),
        ("i'm thinking about quitting my therapist over this", "ask_should_i_leave", {"moving_on"}),
        ("my therapist calls me on weekends and gives me extra sessions for free", "report_boundary_concern",
         {"boundaries"}),
    ],
)
def test_questions_get_perspectives_whose_topics_fit(assistant, sender, message, intent, topics):
    assistant.send(sender, message)
    tracker = assistant.tracker(sender)
    assert intents(tracker)[-1] == intent
    shared = tracker["slots"]["perspectives_shared"]
    assert 1 <= len(shared) <= 3
    for pid in shared:
        assert topics & set(knowledge.perspective_by_id(pid).topics), pid


def test_another_perspective_never_repeats_and_ends_politely(assistant, sender):
    assistant.send(sender, "is it normal for therapists to cry?")
    seen = list(assistant.tracker(sender)["slots"]["perspectives_shared"])
    for _ in range(len(knowledge.perspectives())):
        replies = assistant.send(sender, "/ask_more_perspectives")
        shared = assistant.tracker(sender)["slots"]["perspectives_shared"]
        if len(shared) == len(seen):
            assert "shared every perspective" in reply_text(replies)
            break
        assert len(shared) == len(seen) + 1 and shared[-1] not in seen
        seen = list(shared)
    assert len(set(seen)) == len(knowledge.perspectives())


def test_crisis_inside_the_form_gets_resources_then_the_story_goes_on_with_what_was_said(assistant, sender):
    assistant.send(sender, "my counsellor cried in our session, she was sobbing")
    replies = assistant.send(sender, "i honestly don't want to be alive anymore")
    text = reply_text(replies)
    assert text.startswith("Thank you for telling me") and "988" in text and "116 123" in text
    assert "How strongly" not in text and "first time" not in text  # no questionnaire after a disclosure
    tracker = assistant.tracker(sender)
    assert "utter_crisis_support" in actions(tracker) and not (tracker["active_loop"] or {}).get("name")
    assert tracker["slots"]["crisis_tier"] == "suicidal"
    assert tracker["slots"]["crying_intensity"] == "sobbing"  # kept
    again = reply_text(assistant.send(sender, "/describe_therapist_crying"))
    assert "How strongly" not in again and "first time" in again  # only what is still missing


def test_crisis_tiers_through_the_rasa_server(assistant, sender):
    imminent = reply_text(assistant.send(sender, "is 3 stories high enough"))
    assert imminent.startswith("I'm really glad you told me") and "988" in imminent
    spanish = reply_text(assistant.send(sender + "-es", "quiero morirme"))
    assert spanish.startswith("Lo siento, solo entiendo inglés") and "988" in spanish
    denial = reply_text(assistant.send(sender + "-denial", "im not suicidal lmao chill"))
    assert "988" not in denial


def test_research_figures_through_rest(assistant, sender):
    text = reply_text(assistant.send(sender, "what does the research say about this"))
    for figure in ("684", "72%", "30%", "Fewer than 1%"):
        assert figure in text


def test_fallback_ladder_then_menu(assistant, sender):
    first = assistant.send(sender, "/nlu_fallback")
    assert "Did you mean" in reply_text(first)
    assert first[-1]["buttons"][-1]["payload"] == "/ask_capabilities"
    second = assistant.send(sender, "/nlu_fallback")
    assert "What would you like to talk about?" in reply_text(second)


def test_restart_clears_the_conversation(assistant, sender):
    assistant.send(sender, "my therapist sobbed")
    assert assistant.tracker(sender)["slots"]["crying_intensity"] == "sobbing"
    replies = assistant.send(sender, "/restart")
    assert "start over" in reply_text(replies)
    assert assistant.tracker(sender)["slots"]["crying_intensity"] is None


def test_greeting_shows_privacy_only_once(assistant, sender):
    assert "privacy" in reply_text(assistant.send(sender, "hi")).lower()
    assert "privacy" not in reply_text(assistant.send(sender, "hello again")).lower()


def test_a_retried_message_id_is_stored_once_on_the_default_sqlite_store(assistant, sender):
    """Exactly once on the default setup (SQLite, one server), through the REST channel: a client that
    lost the reply retries with the same `message_id` and gets an answer, but the turn is stored once;
    the same text under a new id is a new turn (the store keys on the id, not on the text)."""
    def post(message_id):
        status, replies = assistant.request("POST", "/webhooks/rest/webhook",
                                            {"sender": sender, "message": "is it normal for a therapist to cry?",
                                             "message_id": message_id})
        assert status == 200 and replies, (status, replies)
        return replies

    post("turn-1")
    post("turn-1")  # the retry: answered again
    users = [e for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert [e.get("message_id") for e in users] == ["turn-1"]
    post("turn-2")
    users = [e for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert [e.get("message_id") for e in users] == ["turn-1", "turn-2"]
