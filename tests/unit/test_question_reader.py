"""Questions asked in passing (understanding/questions.py, components/question_reader.py)."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from components.question_reader import QuestionReader
from understanding.questions import question_intent


@pytest.mark.parametrize(
    "text, intent",
    [
        ("what happens to my data? who can see this", "ask_privacy"),
        ("privacy policy?", "ask_privacy"),
        ("is this chat private??", "ask_privacy"),
        ("do u save what i write", "ask_privacy"),
        ("can anyone else read this", "ask_privacy"),
        ("ok but are you recording this", "ask_privacy"),
        ("will my counselor tell my mom and dad stuff i said", "ask_confidentiality"),
        ("does my therapist have to tell my parents if i smoke weed", "ask_confidentiality"),
        ("is she gonna tell my school", "ask_confidentiality"),
        ("is what i tell my therapist confidential", "ask_confidentiality"),
        ("can my therapist break confidentiality", "ask_confidentiality"),
        ("say more simple please", "ask_simpler"),
        ("pls easy words", "ask_simpler"),
        ("too complicated", "ask_simpler"),
        ("i dont understand what you mean", "ask_simpler"),
        ("what do you mean by strongly?", "ask_simpler"),
        ("but like what if it was my fault?", "feel_responsible"),
        ("is it my fault she cried", "feel_responsible"),
        ("did i make her cry", "feel_responsible"),
        ("could i have caused her to cry", "feel_responsible"),
        ("i'm thinking about quitting my therapist over this", "ask_should_i_leave"),
        ("should i find a new counselor", "ask_should_i_leave"),
        ("are there any studies on therapists crying", "ask_research"),
        ("how many psychologists say they have cried with a client", "ask_research"),
        ("she texts me at night from her personal phone", "report_boundary_concern"),
        ("my counsellor talks about his own divorce for most of our sessions", "report_boundary_concern"),
        ("Where is this from?", "ask_source"),
        ("wheres that from", "ask_source"),
        ("source?", "ask_source"),
        ("who said that", "ask_source"),
        ("what are your sources", "ask_source"),
        ("can i read the full article", "ask_source"),
        ("where did u get that from", "ask_source"),
    ],
)
def test_questions_asked_in_passing_are_read(text, intent):
    assert question_intent(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "my therapist told me about her divorce",
        "she shared her own story with me",
        "will she cry again next time",
        "i dont understand why she cried",
        "she took too long to answer",
        "she said the session is private and confidential",
        "did i make a mistake telling her",
        "i told my mom what happened in session",
        "my english is not perfect sorry, my psychologist cried last week",
        "where is my therapist from",
        "is there a study group for my psych exam",
        "my therapist is leaving the practice next month",
        "do you have any data on me",
        "she cried about her own divorce in our session",
        "i dont know where this feeling is coming from",
        "what is the source of her sadness",
        "my therapist said that it was normal",
        "is there a link between crying and trust",
    ],
)
def test_stories_and_statements_are_not_taken_for_these_questions(text):
    assert question_intent(text) is None


def _read(text, predicted):
    message = Message(data={"text": text, "intent": {"name": predicted, "confidence": 0.5},
                            "intent_ranking": [{"name": predicted, "confidence": 0.5}]})
    QuestionReader().process([message])
    return message.get("intent")["name"]


def test_a_privacy_question_wins_over_the_classifier_but_never_over_a_crisis():
    assert _read("what happens to my data? who can see this", "nlu_fallback") == "ask_privacy"
    assert _read("will my counselor tell my mom and dad stuff i said", "describe_therapist_crying") == \
        "ask_confidentiality"
    assert _read("who can see this, i want to die", "crisis") == "crisis"


def test_guilt_and_simpler_replace_only_a_miss():
    assert _read("but like what if it was my fault?", "ask_should_i_leave") == "feel_responsible"
    assert _read("but like what if it was my fault?", "ask_how_to_raise_it") == "feel_responsible"
    assert _read("how do i tell her i think it was my fault", "ask_how_to_raise_it") == "ask_how_to_raise_it"
    # a wish to quit heard as the story around it is answered as the question it is
    assert _read("i think i want to quit therapy, my therapist keeps crying every week",
                 "describe_therapist_crying") == "ask_should_i_leave"
    # a story that ends with the worry still starts the form
    assert _read("my therapist cried yesterday, was it my fault?", "describe_therapist_crying") == \
        "describe_therapist_crying"
    assert _read("sorry my english, i dont understand this, is it professional when the psychologist cry",
                 "ask_is_it_professional") == "ask_is_it_professional"
    assert _read("say more simple please", "nlu_fallback") == "ask_simpler"


def test_a_question_is_not_taken_as_an_answer_to_the_form():
    message = Message(data={"text": "say more simple please", "intent": {"name": "out_of_scope", "confidence": 0.9},
                            "intent_ranking": [],
                            "entities": [{"entity": "crying_frequency", "value": "repeated", "start": 4, "end": 8,
                                          "role": "answer"}]})
    QuestionReader().process([message])
    assert message.get("intent")["name"] == "ask_simpler"
    assert message.get("entities") == []


def test_closing_the_chat_answers_no_question_of_the_form():
    """"good" in "good night" once filled how it felt, "me" whose story it was."""
    answers = [{"entity": "crying_focus", "value": "client_story", "start": 18, "end": 20, "role": "answer"},
               {"entity": "client_feeling", "value": "cared_for", "start": 34, "end": 38, "role": "answer"}]
    message = Message(data={"text": "ok thats all from me for tonight, good night", "entities": list(answers),
                            "intent": {"name": "goodbye", "confidence": 0.9}, "intent_ranking": []})
    QuestionReader().process([message])
    assert message.get("entities") == []
    message = Message(data={"text": "it felt good, night", "entities": [dict(answers[1], start=8, end=12)],
                            "intent": {"name": "goodbye", "confidence": 0.9}, "intent_ranking": []})
    QuestionReader().process([message])
    assert [e["value"] for e in message.get("entities")] == ["cared_for"]  # an answer, then the goodbye


def test_a_goodbye_after_thanks_is_a_goodbye():
    assert _read("ok thank you. bye", "thank") == "goodbye"
    assert _read("thanks, that helps a bit. bye", "thank") == "goodbye"
    assert _read("thank you so much", "thank") == "thank"


def test_say_it_simpler_wins_over_raising_it_unless_it_asks_how_to_say_it_to_the_therapist():
    assert _read("say it simpler pls", "ask_how_to_raise_it") == "ask_simpler"
    assert _read("how do i say it more simply to her", "ask_how_to_raise_it") == "ask_how_to_raise_it"


def test_a_conduct_worry_replaces_a_description_only_when_no_tears_are_in_it():
    assert _read("my therapist messages me late at night", "describe_therapist_crying") == "report_boundary_concern"
    assert _read("she messaged me at night and cried about her own marriage in our sessions",
                 "describe_therapist_crying") == "describe_therapist_crying"


@pytest.mark.parametrize(
    "text",
    [
        "i paid for that session and she spent like 20 min crying, is it bad that im a bit annoyed",
        "kinda pissed tbh, i pay out of pocket and she spent the session upset about her own life",
        "it feels like a waste of my session when she cries like that",
        "my t cried for like half the session and im lowkey irritated about the cost",
        "felt a bit ripped off ngl, my counsellor cried most of my hour",
    ],
)
def test_annoyance_about_paid_session_time_is_met_as_a_grievance(text):
    assert question_intent(text) == "feel_annoyed"
    # whatever the classifier and the scope gate made of it (a long grievance with no "therapist"
    # in it reads as sadness to the gate)
    for guess in ("describe_therapist_crying", "ask_is_it_normal", "feel_uncomfortable", "nlu_fallback",
                  "share_sadness"):
        assert _read(text, guess) == "feel_annoyed", guess


def test_annoyance_about_anything_else_is_not_taken_for_the_session():
    # someone else's tears and everyday costs keep what the classifier and the scope gate said
    assert _read("my boss cried in our meeting and wasted my time, so annoyed", "out_of_scope") == "out_of_scope"
    assert _read("my insurance costs are so annoying", "out_of_scope") == "out_of_scope"
    assert _read("im annoyed my phone bill went up again", "nlu_fallback") == "nlu_fallback"
    # a stay-or-leave or how-to question keeps its own answer
    assert _read("i paid for a session she cried through and im annoyed, should i find someone new",
                 "ask_should_i_leave") == "ask_should_i_leave"
    assert _read("how do i tell her im annoyed she used my paid time to cry", "ask_how_to_raise_it") == \
        "ask_how_to_raise_it"
    # money named in a story of tears is no grievance
    assert question_intent("my therapist cried when i told her about my money problems") is None


@pytest.mark.parametrize("text, predicted, intent", [
    ("can a therapist crying damage the work we're doing", "describe_therapist_crying", "ask_effect_on_therapy"),
    ("could it mess up our relationship tho", "feel_confused", "ask_effect_on_therapy"),
    ("should i stick with him or find someone else", "out_of_scope", "ask_should_i_leave"),
    ("what else have professionals said", "ask_is_it_professional", "ask_more_perspectives"),
    ("any other views on this?", "nlu_fallback", "ask_more_perspectives"),
    ("now i'm scared my stories are too heavy for her", "share_sadness", "feel_responsible"),
    ("my counsellor wants to hang out as friends", "nlu_fallback", "report_boundary_concern"),
    ("he gives me special treatment he doesn't give other clients", "feel_cared_for", "report_boundary_concern"),
    ("ok i'm going now", "affirm", "goodbye"),
    ("i really don't know", "share_sadness", "skip_question"),
    ("can you diagnose my anxiety", "share_sadness", "out_of_scope"),
])
def test_kinds_the_classifier_misses_are_read(text, predicted, intent):
    assert _read(text, predicted) == intent


@pytest.mark.parametrize("text, predicted", [
    ("my mom wants to hang out this weekend", "out_of_scope"),
    ("im going now to my session", "describe_therapist_crying"),
    ("i dont know why she cried", "ask_why_therapists_cry"),
    ("is it normal that it changed our relationship", "ask_is_it_normal"),
    ("my therapist cried, can you tell me why", "ask_why_therapists_cry"),
    ("she treats me like a person, not a file", "feel_cared_for"),
    ("how do i make my rice less sticky", "out_of_scope"),
    ("how do i make my cv stand out with no experience", "out_of_scope"),
])
def test_near_misses_keep_what_the_classifier_said(text, predicted):
    assert _read(text, predicted) == predicted


@pytest.mark.parametrize("text", [
    "should i tell my therapist that it bothered me",
    "Should I tell her it meant something to me or would that be overstepping",
    "is it weird to thank her for it",
])
def test_whether_to_tell_the_therapist_is_how_to_raise_it(text):
    assert question_intent(text) == "ask_how_to_raise_it"
