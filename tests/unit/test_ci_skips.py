"""Under CI=true a skipped test fails the run (a suite skipped for a missing nginx or chromium would
otherwise pass silently), and every run reports how many tests it skipped."""
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("ci, returncode", [("true", 1), ("", 0)])
def test_a_skip_fails_the_run_only_under_ci(tmp_path, ci, returncode):
    (tmp_path / "test_skips.py").write_text(
        "import pytest\n\n"
        "def test_runs():\n    pass\n\n"
        "@pytest.mark.skip(reason='chromium is not installed')\n"
        "def test_needs_a_browser():\n    pass\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "--rootdir", str(tmp_path),
         "-c", os.devnull, str(tmp_path / "test_skips.py")],
        cwd=ROOT, env={**os.environ, "CI": ci}, capture_output=True, text=True, timeout=120)
    assert result.returncode == returncode, result.stdout[-2000:]
    assert "Skipped tests: 1" in result.stdout
    report_file = ROOT / "results" / "skipped.test_skips.py.txt"
    report = report_file.read_text()
    report_file.unlink()
    assert "1 skipped" in report and "chromium is not installed" in report
