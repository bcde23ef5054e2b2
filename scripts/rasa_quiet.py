"""Rasa's command line with third-party deprecation warnings silenced, for the commands people run
(`make run`, `make shell`, `make interactive`), so the first thing on screen is the assistant.

PYTHONWARNINGS cannot do this: its filters sit at the end of the list, and libraries that Rasa
imports (ruamel.yaml, pyparsing and others) put their own "once"/"default" filters for deprecation
warnings in front of them. Here the filters are installed after those imports, before any model is
loaded. Tests and CI keep calling `.venv/bin/rasa`, so they still see every warning.

    .venv/bin/python scripts/rasa_quiet.py shell --model models/...
"""
import sys
import warnings

import rasa.__main__  # noqa: E402  (imports the libraries whose warning filters we override)

QUIET = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def silence_deprecations() -> None:
    for category in QUIET:
        warnings.filterwarnings("ignore", category=category)
    # matplotlib and packaging (imported while a model loads or the server starts) parse with
    # deprecated pyparsing calls inside warnings contexts of their own: import them now, quietly
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import matplotlib.pyplot  # noqa: F401
        import packaging.requirements  # noqa: F401
        import pkg_resources  # noqa: F401


if __name__ == "__main__":
    silence_deprecations()
    sys.argv[0] = "rasa"
    sys.exit(rasa.__main__.main())
