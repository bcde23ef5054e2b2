"""scripts/serve.sh (what `make run` starts): the HTTP API never runs without a token."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _serve(env):
    return subprocess.run(["bash", "scripts/serve.sh", "models/none.tar.gz"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def test_a_public_host_without_a_token_is_refused_before_anything_starts():
    env = {"HOST": "0.0.0.0", "RASA_AUTH_TOKEN": "", "RASA_PORT": "1", "ACTIONS_PORT": "1", "WIDGET_PORT": "1"}
    result = _serve(env)
    assert result.returncode == 2
    assert "would publish the HTTP API" in result.stderr and "RASA_AUTH_TOKEN" in result.stderr
    assert "The assistant is running" not in result.stdout

