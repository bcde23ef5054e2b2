"""The scope gate: text not about the client's therapist stays out of the therapist flow."""
import pytest
import yaml

from understanding.scope import LEXICON_FILE, gated_intent, read


@pytest.mark.parametrize("text, kind", [
    ("my boss cried in the meeting today", "someone_else"),
    ("the movie made me cry so hard", "someone_else"),
    ("my massage therapist started crying halfway through", "someone_else"),
    ("i wish i had more friends", "sadness"),
    ("one of my friends died and i dont know what to do", "sadness"),
    ("add my wife as an authorized user to checking account", "unrelated"),
    ("asdfghjkl", "unrelated"),
    ("my therapist crying fixed something in me", "therapist"),
    ("my therpist cryed when i told her abt my uncle", "therapist"),
    ("she cried again today", "unclear"),
    ("should i leave??", "unrelated"),
    ("how do i transfer money to my savings", "errand"),
    ("my phone died and wont turn back on", "errand"),
    ("sad piano songs for studying", "errand"),
    ("my phone died the day my grandad died", "sadness"),
    # therapy named in passing beside someone else's tears: no therapist in it
    ("my dad teared up when i said id started therapy", "someone_else"),
    ("in couples counselling my husband sobbed the whole hour", "someone_else"),
    ("my therapist cried when my mum cried in the family session", "therapist"),
    ("why do newborns cry so much at night", "someone_else"),
    ("the contestant on that cooking show was crying over her cake", "someone_else"),
    ("why would someone trained for this cry", "unclear"),  # a question about therapists, not a crier
    ("a guy on the train was crying so loud", "someone_else"),  # the same word after an article is a crier
    # a therapist named, but only someone else in tears
    ("my therapist says its normal that my boyfriend cries all the time", "someone_else"),
    ("my counsellor asked why my husband keeps crying", "someone_else"),
    ("my therapist wasnt there and the receptionist started crying", "someone_else"),
    # ... and the therapist in tears beside someone else's, or described by the person word
    ("my therapist teared up when my husband was crying in couples therapy", "therapist"),
    ("my boyfriend cried so my therapist cried too", "therapist"),
    ("my therapist, a woman in her 60s, cried when i told her", "therapist"),
    ("my therapist who is a mum herself teared up", "therapist"),
    ("i read my therapist a poem about my grandmother and she teared up", "therapist"),
    ("my friend said crying is a huge no no for therapists, is that true", "therapist"),
    ("my therapist made me cry today", "therapist"),
])
def test_what_a_message_is_about(text, kind):
    assert read(text).kind == kind


def test_the_generic_people_words_are_other_people_words():
    """data/lexicon/scope.yml: generic_people only narrows other_people, so a word there must be one of them."""
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    assert data["generic_people"] and set(data["generic_people"]) <= {str(w) for w in data["other_people"]}


@pytest.mark.parametrize("intent, text, expected", [
    # taken into the flow without a therapist: read for what they are
    ("describe_therapist_crying", "my boss cried in the meeting today", "out_of_scope"),
    ("describe_therapist_crying", "i wish i had more friends", "share_sadness"),
    ("feel_confused", "slept until 2 p.m. today, life is tough", "share_sadness"),
    ("describe_therapist_crying", "add my wife as an authorized user to checking account", "out_of_scope"),
    ("ask_should_i_leave", "my husband cried and said i should leave", "out_of_scope"),
    # a therapist who cried, missed by the classifier
    ("out_of_scope", "My therapist crying fixed something in me", "describe_therapist_crying"),
    # left alone: the conversation already names the therapist
    ("describe_therapist_crying", "she cried again today", "describe_therapist_crying"),
    ("ask_should_i_leave", "should i leave??", "ask_should_i_leave"),
    ("feel_responsible", "i feel guilty", "feel_responsible"),
    ("greet", "hi there", "greet"),
    # annoyance about a bill is not about the session (about paid session time: test_question_reader.py)
    ("feel_annoyed", "im annoyed my phone bill went up again", "out_of_scope"),
    # a short feeling about "it" names nothing else: it is about the session, and keeps its intent
    ("feel_cared_for", "it was kind of beautiful actually", "feel_cared_for"),
    ("feel_annoyed", "i'm a bit salty about it to be honest", "feel_annoyed"),
    ("feel_confused", "its all a bit of a muddle", "feel_confused"),
    # ... but not a feeling about a thing it names, nor a long post with no therapist in it
    ("feel_cared_for", "that movie was beautiful", "out_of_scope"),
    ("feel_annoyed", "so annoyed at the traffic this morning it took an hour", "out_of_scope"),
    # errands the classifier filed by their shape
    ("ask_how_to_raise_it", "how do i transfer money to my savings", "out_of_scope"),
    ("share_sadness", "lost my luggage at jfk who do i call", "out_of_scope"),
    ("ask_capabilities", "can you help me with my cv", "out_of_scope"),
    ("skip_question", "skip this song", "out_of_scope"),
    ("share_sadness", "how long do tortoises live", "out_of_scope"),
    # not errands: kept
    ("ask_how_to_raise_it", "how do i bring it up", "ask_how_to_raise_it"),
    ("ask_capabilities", "what kind of stuff can u do", "ask_capabilities"),
    ("share_sadness", "i failed my exams and i feel like a failure", "share_sadness"),
    ("share_sadness", "nobody ever texts me first", "share_sadness"),
])
def test_the_intent_after_the_gate(intent, text, expected):
    assert gated_intent(intent, text, crying_described=False) == expected


def _gate(text, intent, entities):
    from rasa.shared.nlu.training_data.message import Message

    from components.scope_gate import ScopeGate

    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.6}, "entities": entities,
                            "intent_ranking": [{"name": intent, "confidence": 0.6}]})
    ScopeGate().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("intent, text, expected", [
    # a question with none of its own topic words, no therapist and no tears is about something else
    ("ask_why_therapists_cry", "why is sunday evening so depressing", "share_sadness"),
    ("ask_is_it_normal", "my gums bleed when i floss, is that normal?", "out_of_scope"),
    ("ask_how_to_raise_it", "what should i say at my aunts funeral? i have to give the eulogy", "share_sadness"),
    ("ask_why_therapists_cry", "why is the sky blue", "out_of_scope"),
    # a question in the flow's own words stays, though it names no topic ("surely" is no errand)
    ("ask_is_it_normal", "surely this doesnt happen to most people?", "ask_is_it_normal"),
    ("ask_how_to_raise_it", "what should i say at my next appointment", "ask_how_to_raise_it"),
    # a long story that never names a therapist, a session or tears is not a description of one
    ("describe_therapist_crying",
     "so my dog bailey died yesterday. she was 15 and she had been slowing down for a while but it still felt sudden",
     "share_sadness"),
    # short follow-ups and questions on their topic stay what they are
    ("ask_is_it_normal", "is that normal?", "ask_is_it_normal"),
    ("ask_why_therapists_cry", "why did she cry", "ask_why_therapists_cry"),
    ("ask_research", "what does the research say about this", "ask_research"),
    ("ask_should_i_leave", "do you think i should find someone new", "ask_should_i_leave"),
    ("ask_how_to_raise_it", "how do i bring it up next time", "ask_how_to_raise_it"),
])
def test_questions_and_stories_about_something_else_leave_the_flow(intent, text, expected):
    assert gated_intent(intent, text, crying_described=False) == expected


def test_the_component_reads_what_the_message_states_not_what_it_might_answer():
    from understanding.situation import extract

    grief = "i miss her so much, its been 6 years"
    # "so much" and "her" would answer the form's questions, but the message states no crying
    assert _gate(grief, "share_sadness", extract(grief)) == "share_sadness"
    told = "she has wept in front of me several times now"
    assert _gate(told, "nlu_fallback", extract(told)) == "describe_therapist_crying"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("I'm a psychologist and I cried with a client today", "therapist"),
        ("as a counsellor i teared up in session with my client", "therapist"),
        ("im 15 and my school counselor cried when i told her about home", "young_person"),
        ("will my counselor tell my mom and dad stuff i said", "young_person"),
        ("im in 10th grade and my counselor got teary", "young_person"),
        ("my therapist cried last week", None),
        ("i have been seeing her for 15 years and she cried", None),
        ("im 15 minutes late to every session and she cried about it", None),
    ],
)
def test_the_gate_says_who_is_talking_when_the_message_does(text, speaker):
    from rasa.shared.nlu.training_data.message import Message

    from components.scope_gate import ScopeGate

    message = Message(data={"text": text, "intent": {"name": "describe_therapist_crying", "confidence": 0.9},
                            "entities": [], "intent_ranking": []})
    ScopeGate().process([message])
    found = [e["value"] for e in message.get("entities") or [] if e["entity"] == "speaker"]
    assert found == ([speaker] if speaker else [])


def test_a_skip_that_gives_an_answer_is_taken_as_the_answer():
    entities = [{"entity": "client_feeling", "value": "uncomfortable", "start": 10, "end": 15}]
    assert _gate("idk kinda weird ngl", "skip_question", entities) == "feel_uncomfortable"
    assert _gate("idk, skip", "skip_question", []) == "skip_question"
    one = [{"entity": "crying_intensity", "value": "tearful", "start": 14, "end": 17, "role": "answer"}]
    assert _gate("skip this one please", "skip_question", one) == "skip_question"


def test_a_short_miss_that_states_a_feeling_is_taken_as_the_feeling():
    entities = [{"entity": "client_feeling", "value": "uncomfortable", "start": 10, "end": 15}]
    assert _gate("idk kinda weird ngl", "nlu_fallback", entities) == "feel_uncomfortable"
    answer_only = [{"entity": "client_feeling", "value": "uncomfortable", "start": 10, "end": 15, "role": "answer"}]
    assert _gate("idk kinda weird ngl", "nlu_fallback", answer_only) == "nlu_fallback"
    long = "so weird, my cousin keeps sending me memes about cats at three in the morning and i dont get them"
    assert _gate(long, "nlu_fallback", entities) != "feel_uncomfortable"


@pytest.mark.parametrize("text, intent, expected", [
    ("blorp blorp", "goodbye", "nlu_fallback"),          # the classifier's nearest guess was a goodbye
    ("kjdhfkjsdhf", "affirm", "nlu_fallback"),
    ("zxcv bnmq", "deny", "nlu_fallback"),
    ("ok bye", "goodbye", "goodbye"),                    # words, however short
    ("thnks", "thank", "thank"),                         # a misspelling is a word
    ("hmmm", "affirm", "affirm"),
    ("i want to die", "crisis", "crisis"),
])
def test_letters_with_no_word_in_them_are_not_understood_rather_than_guessed(text, intent, expected):
    assert _gate(text, intent, []) == expected


@pytest.mark.parametrize("text, intent, expected", [
    ("zxcv bnmq", "affirm", "nlu_fallback"),  # two strings of letters are no yes, however sure the guess
    ("oki doki", "affirm", "affirm"),
    ("thanku", "thank", "thank"),             # one unknown word may be a misspelling the classifier knows
])
def test_a_confident_guess_on_several_nonwords_is_not_understood(text, intent, expected):
    from rasa.shared.nlu.training_data.message import Message

    from components.scope_gate import ScopeGate

    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": [],
                            "intent_ranking": [{"name": intent, "confidence": 0.95}]})
    ScopeGate().process([message])
    assert message.get("intent")["name"] == expected


def test_a_confident_classifier_keeps_a_word_only_it_knows():
    from rasa.shared.nlu.training_data.message import Message

    from components.scope_gate import ScopeGate

    message = Message(data={"text": "thankuuu", "intent": {"name": "thank", "confidence": 0.95}, "entities": [],
                            "intent_ranking": [{"name": "thank", "confidence": 0.95}]})
    ScopeGate().process([message])
    assert message.get("intent")["name"] == "thank"


@pytest.mark.parametrize("intent, text, expected", [
    # therapy as an errand: out of scope, not the flow
    ("ask_how_to_raise_it", "can i move my therapy appointment to thursday afternoon", "out_of_scope"),
    ("describe_therapist_crying", "does my insurance cover couples counselling", "out_of_scope"),
    ("ask_research", "how much does a psychologist cost per session in dublin", "out_of_scope"),
    ("identify_as_therapist", "what degree do i need to become a counsellor", "out_of_scope"),
    ("nlu_fallback", "any therapists near me who do evening sessions", "out_of_scope"),
    # a choice about the therapist, or tears, keeps the flow
    ("ask_should_i_leave", "should i cancel my next session after she cried?", "ask_should_i_leave"),
    ("describe_therapist_crying", "my therapist cried and then sent me the bill anyway", "describe_therapist_crying"),
    ("report_boundary_concern", "my therapist keeps talking about her own bills and money problems", "report_boundary_concern"),
    # a sad why-question with no tears, therapist or she/he: not why the therapist cried
    ("ask_why_therapists_cry", "why does everything feel so heavy on sunday nights", "share_sadness"),
    ("ask_why_therapists_cry", "why did she cry when i said that", "ask_why_therapists_cry"),
    ("ask_why_therapists_cry", "why am i so sad that she cried", "ask_why_therapists_cry"),
])
def test_therapy_errands_and_sad_questions_are_read_for_what_they_are(intent, text, expected):
    assert gated_intent(intent, text, False) == expected


@pytest.mark.parametrize("predicted", ["out_of_scope", "share_sadness", "nlu_fallback", "feel_responsible",
                                       "feel_uncomfortable"])
def test_a_short_answer_that_states_the_tears_is_a_description_whatever_the_classifier_guessed(predicted):
    """"her own stuff, her mom is sick i think" as the answer about what the tears were about: the
    classifier's guess for such a reply changes between training runs (out of scope on one, guilt
    on another); the gate makes it the description it is, unless it also tells a feeling."""
    assert gated_intent(predicted, "her own stuff, her mom is sick i think", False, situation_told=True,
                        feeling_told=False) == "describe_therapist_crying"
    assert gated_intent(predicted, "her own stuff and i feel guilty", False, situation_told=True,
                        feeling_told=True) != "describe_therapist_crying"
    assert gated_intent(predicted, "my boss cried in the meeting", True, situation_told=True,
                        feeling_told=False) != "describe_therapist_crying"


@pytest.mark.parametrize("text, expected", [
    ("<script>alert('x')</script>", True),
    ("alert(1)", True),
    ("<img src=x onerror=alert(1)>", True),
    ("<b>my therapist cried</b> <img src=x onerror=alert(1)>", False),
    ("my therapist cried (a little) today", False),
    ("she cried :( <3", False),
])
def test_markup_or_code_alone_is_read_as_nothing_said(text, expected):
    from understanding.scope import is_markup_or_code

    assert is_markup_or_code(text) is expected


def test_markup_alone_is_a_fallback_whatever_the_classifier_guessed():
    assert _gate("<script>alert('x')</script>", "ask_how_to_raise_it", []) == "nlu_fallback"


ANSWER = {"entity": "crying_frequency", "value": "once", "role": "answer", "start": 0, "end": 10}


@pytest.mark.parametrize("text, entities, expected", [
    ("first time", [ANSWER], "out_of_scope"),  # an answer the form takes: the classifier's goodbye was a guess
    ("ok thats all for tonight, bye", [], "goodbye"),
    ("bye for now", [dict(ANSWER, start=4, end=7)], "goodbye"),  # the words close the chat, whatever was read
])
def test_a_goodbye_is_a_form_answer_only_when_it_states_a_value_and_closes_nothing(text, entities, expected):
    assert _gate(text, "goodbye", entities) == expected


@pytest.mark.parametrize("intent, feeling, expected", [
    ("feel_annoyed", "responsible", "describe_therapist_crying"),  # the account leads, its feeling is read
    ("feel_responsible", "responsible", "feel_responsible"),       # the same feeling: nothing to reconcile
    ("feel_annoyed", "uncomfortable", "feel_uncomfortable"),       # "annoyed" with no sign of annoyance
    ("feel_confused", None, "describe_therapist_crying"),          # no feeling stated: the form asks it
])
def test_a_feeling_intent_that_contradicts_the_feeling_an_account_states_becomes_the_account(intent, feeling, expected):
    text = "so my therapist started sobbing last session and i ended up comforting her for like half the hour"
    entities = [{"entity": "crying_intensity", "value": "sobbing", "start": 24, "end": 31}] + \
        ([{"entity": "client_feeling", "value": feeling, "start": 50, "end": 69}] if feeling else [])
    assert _gate(text, intent, entities) == expected


@pytest.mark.parametrize("text, feeling, expected", [
    ("ok this is lowkey embarrassing but my school counsellor cried when i was talking to her", "uncomfortable",
     "feel_uncomfortable"),
    ("my counsellor cried and honestly im so fed up with it", "uncomfortable", "feel_annoyed"),
    ("i pay 150 a session and she spends it crying", None, "feel_annoyed"),
])
def test_annoyed_needs_a_sign_of_annoyance(text, feeling, expected):
    """A 15-year-old's "lowkey embarrassing" is not a grievance about paid session time."""
    entities = [{"entity": "client_feeling", "value": feeling, "start": 0, "end": 5}] if feeling else []
    assert _gate(text, "feel_annoyed", entities) == expected


@pytest.mark.parametrize("text, situation_told, expected", [
    # mid-conversation, "she" is the therapist: a long remark about her is no story of sadness
    ("ok what would i even say. i don't want to be cruel, she's clearly going through it", False,
     "describe_therapist_crying"),
    ("it's her own life, 100%. nothing to do with me. i'll mention my job stress and somehow we're talking "
     "about her ex husband", True, "describe_therapist_crying"),
    # a story of the client's own people with no therapist, session or tears is
    ("so my dog bailey died yesterday. she was 15 and honestly my best friend", False, "share_sadness"),
])
def test_a_remark_about_her_is_not_taken_for_sadness(text, situation_told, expected):
    assert gated_intent("describe_therapist_crying", text, False, situation_told=situation_told) == expected
