"""A Rasa developer's bare commands work from the project root with Rasa's defaults (domain.yml,
config.yml, data/): validation, and a dry-run training that finds nothing left to train after the
Makefile's training (so the two build the same model)."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv" / "bin" / "rasa"


def _rasa(*args, cwd=ROOT, timeout=600):
    return subprocess.run([str(RASA), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_bare_rasa_train_would_build_the_makefile_model():
    """`rasa train --dry-run` fingerprints every component with Rasa's defaults; after the Makefile's
    training (make test trains or reuses the model first) each fingerprint is a cache hit, so the
    bare command trains nothing new: same data, same config, same model."""
    result = _rasa("train", "--dry-run")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "No training of components required" in result.stdout, result.stdout[-2000:]


def test_bare_rasa_data_validate_works_and_the_commands_people_run_show_no_deprecation_warnings():
    """`make shell`, `make run` and `make interactive` go through scripts/rasa_quiet.py: the same
    command shows no deprecation warnings there, while the bare CLI (what tests use) still does."""
    quiet = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "scripts/rasa_quiet.py", "data", "validate"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert "DeprecationWarning" not in quiet.stderr + quiet.stdout, quiet.stderr[-2000:]
    bare = _rasa("data", "validate")  # a Rasa developer's bare command finds the project's files
    assert bare.returncode == 0, bare.stdout[-2000:] + bare.stderr[-2000:]
    assert "does not exist" not in bare.stdout + bare.stderr
    assert "DeprecationWarning" in bare.stderr + bare.stdout  # else this test could not fail
