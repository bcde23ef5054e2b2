"""Research figures must be stated exactly as the seed reports them."""
from actions.research import ActionShareResearch, research_message
from tests.conftest import make_tracker, run_action, texts


def test_research_message_states_the_figures_exactly():
    message = research_message()
    for fact in [
        "684", "therapists in the US", "72%", "30%", "preceding four weeks", "Fewer than 1%",
        "Older and more experienced therapists", "psychodynamic", "did not cry in sessions more than men",
        "sadness and feeling touched", "warmth, gratitude and joy",
        "already strong", "weak or negative", "Clients were not surveyed",
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
    assert len(messages) == 1 and not messages[0].get("buttons")
