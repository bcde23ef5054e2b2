"""scripts/rasa_quiet.py hands `rasa run` the API token from the environment, so it is never on a
command line (`ps` shows those to every local user)."""
from scripts.rasa_quiet import with_api_token_from_env


def test_the_token_comes_from_the_environment_inside_the_process():
    args = ["run", "--enable-api", "--port", "5005"]
    assert with_api_token_from_env(args, {"RASA_AUTH_TOKEN": "s3cret"}) == args + ["--auth-token", "s3cret"]


def test_nothing_is_added_without_a_token_or_when_one_is_given_or_for_other_commands():
    assert with_api_token_from_env(["run", "--enable-api"], {}) == ["run", "--enable-api"]
    given = ["run", "--enable-api", "--auth-token", "mine"]
    assert with_api_token_from_env(given, {"RASA_AUTH_TOKEN": "s3cret"}) == given
    assert with_api_token_from_env(["shell"], {"RASA_AUTH_TOKEN": "s3cret"}) == ["shell"]
