"""Rasa's SQLTrackerStore plus the two privacy duties Rasa leaves to us.

1. "Forget me": when the action `action_forget_conversation` has run in a turn, every stored event of
   that conversation is deleted and only what came after the action (its confirmation, and the reset
   of every slot) is kept. It has to happen here, in the store, because the store writes the turn
   after all actions have run: deleting from an action would be undone by that write.
2. Retention: conversations whose latest event is older than `retention_days` (endpoints.yml) are
   deleted when the server starts, and by `make purge` (scripts/purge_conversations.py) from cron.
"""
import logging
import time
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_conversation"


class PrivacySQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, retention_days: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retention_days = float(retention_days) if retention_days not in (None, "") else None
        if self.retention_days:
            deleted = self.purge_older_than(self.retention_days)
            logger.info("Retention: deleted %d conversation(s) older than %s days.", deleted, self.retention_days)

    async def save(self, tracker: DialogueStateTracker) -> None:
        forget_index = self._unsaved_forget_index(tracker)
        if forget_index is None:
            return await super().save(tracker)
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
            session.commit()
        fresh = DialogueStateTracker.from_events(
            tracker.sender_id, list(tracker.events)[forget_index + 1 :], slots=self.domain.slots if self.domain else None
        )
        await super().save(fresh)
        logger.info("Deleted a conversation at the user's request.")

    def _unsaved_forget_index(self, tracker: DialogueStateTracker) -> Optional[int]:
        """Index of a forget action among the events this save would write, if any.

        The database is only asked how much is stored when the tracker holds a forget action at all,
        so an ordinary save costs no extra query.
        """
        events = list(tracker.events)
        forget_index = next(
            (i for i in range(len(events) - 1, -1, -1)
             if isinstance(events[i], ActionExecuted) and events[i].action_name == FORGET_ACTION),
            None,
        )
        if forget_index is None:
            return None
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return forget_index if forget_index >= stored else None

    def purge_older_than(self, days: float) -> int:
        """Delete every conversation whose most recent event is older than `days`; returns how many."""
        cutoff = time.time() - days * 86400
        with self.session_scope() as session:
            stale = (
                session.query(self.SQLEvent.sender_id)
                .group_by(self.SQLEvent.sender_id)
                .having(sa.func.max(self.SQLEvent.timestamp) < cutoff)
            )
            senders = [row[0] for row in stale.all()]
            if senders:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(senders)).delete(
                    synchronize_session=False
                )
                session.commit()
        return len(senders)
