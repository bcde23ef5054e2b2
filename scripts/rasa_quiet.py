"""Rasa's command line with third-party deprecation warnings silenced, for the commands people run
(`make run`, `make shell`, `make interactive`), so the first thing on screen is the assistant.

PYTHONWARNINGS cannot do this: its filters sit at the end of the list, and libraries that Rasa
imports (ruamel.yaml, pyparsing and others) put their own "once"/"default" filters for deprecation
warnings in front of them. Here the filters are installed after those imports, before any model is
loaded. Tests and CI keep calling `.venv/bin/rasa`, so they still see every warning.

    .venv/bin/python scripts/rasa_quiet.py shell --model models/...

It also keeps the HTTP API token off the command line: `rasa run --enable-api` takes it only as
`--auth-token <token>`, which any local user can read with `ps`. With RASA_AUTH_TOKEN in the
environment, the token is added to the arguments inside this process, never on a command line.
"""
import os
import sys
import warnings
from typing import List, Mapping

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


def with_api_token_from_env(args: List[str], env: Mapping[str, str]) -> List[str]:
    """`rasa run` arguments with `--auth-token` from RASA_AUTH_TOKEN, unless one is given already."""
    if args[:1] == ["run"] and env.get("RASA_AUTH_TOKEN") and "--auth-token" not in args:
        return args + ["--auth-token", env["RASA_AUTH_TOKEN"]]
    return args


if __name__ == "__main__":
    silence_deprecations()
    sys.argv = ["rasa"] + with_api_token_from_env(sys.argv[1:], os.environ)
    sys.exit(rasa.__main__.main())
