"""`make purge`: delete conversations idle for longer than the retention period.

Reads the tracker store from endpoints.yml (or ENDPOINTS=...) and `retention_days` from it unless
--days is given. Run it from cron for a long-running server; the server also purges at start-up.
Usage: python scripts/purge_conversations.py [--days N] [--endpoints endpoints.yml]
"""
import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.core.utils import AvailableEndpoints  # noqa: E402

from stores.privacy_sql import BadRetention, PrivacySQLTrackerStore, retention_period  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", default=os.environ.get("ENDPOINTS", "endpoints.yml"))
    parser.add_argument("--days", type=float, default=None)
    args = parser.parse_args()

    config = AvailableEndpoints.read_endpoints(args.endpoints).tracker_store
    if config is None:
        print("No tracker store configured: nothing is stored, nothing to purge.")
        return 0
    kwargs = dict(config.kwargs)
    days = args.days if args.days is not None else kwargs.pop("retention_days", None)
    kwargs.pop("retention_days", None)
    try:
        days = retention_period(days, "--days" if args.days is not None else "retention_days")
    except BadRetention as refused:
        print(refused, file=sys.stderr)
        return 2  # "--days 0" or "-1" would delete every conversation
    if days is None:
        print("No retention period set (retention_days in endpoints.yml or --days).")
        return 1
    store = PrivacySQLTrackerStore(domain=None, host=config.url, **kwargs)
    deleted = store.purge_older_than(days)
    print(f"Deleted {deleted} conversation(s) idle for more than {days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
