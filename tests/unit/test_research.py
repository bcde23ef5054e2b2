"""Research figures must be stated exactly as the seed reports them."""
from actions.research import ActionShareResearch, research_message
from tests.conftest import make_tracker, run_action, texts


def test_research_message_states_the_figures_exactly():
    message = research_message(0) + research_message(1)
    for fact in [
        "684", "therapists in the US", "72%", "30%", "preceding four weeks", "Fewer than 1%",
        "Older and more experienced therapists", "psychodynamic", "did not cry in sessions more than men",
        "sadness and feeling touched", "warmth, gratitude and joy",
        "already good", "weak or negative", "Clients were not surveyed",
        "Blume-Marcovici", "BPS Research Digest", "Nadine Kaslow, PhD",
    ]:
        assert fact in message, fact


def test_action_sends_the_research_and_offers_next_steps_outside_the_form():
    _, messages = run_action(ActionShareResearch(), make_tracker(intent="ask_research"))
    assert "684" in texts(messages)
    assert messages[-1]["buttons"], "next-step buttons expected"


def test_inside_the_form_no_next_step_buttons():
    _, messages = run_action(
        ActionShareResearch(), make_tracker(intent="ask_research", active_loop="situation_form")
    )
    assert len(messages) == 2 and not any(m.get("buttons") for m in messages)
    assert "the survey asked therapists, not clients" in messages[1]["text"]


def test_asked_again_it_goes_on_and_then_says_that_is_all_without_repeating():
    ran = {"event": "action", "name": "action_share_research"}
    said = []
    for times in range(4):
        tracker = make_tracker(intent="ask_research", events=[ran] * times)
        _, messages = run_action(ActionShareResearch(), tracker)
        said.append(messages[0]["text"])
        caveats = [m for m in messages if "survey asked therapists, not clients" in (m.get("text") or "")]
        assert len(caveats) == (1 if times == 0 else 0), "the survey's limit is said once, not every time"
    assert "72%" in said[0] and "72%" not in said[1]
    assert "Older and more experienced therapists" in said[1]
    assert said[2].startswith("That is all I have on research") and "BPS Research Digest" in said[2]
    assert said[3] == said[2]
    assert len(set(said[:3])) == 3
