"""Rasa's SQLTrackerStore plus the two privacy duties Rasa leaves to us.

1. "Forget me": when the action `action_forget_conversation` has run in a turn and reset the slots
   (it does only when the confirmation question was asked the turn before), every stored event of
   that conversation is deleted and only what came after the action (its confirmation, and the reset
   of every slot) is kept. It has to happen here, in the store, because the store writes the turn
   after all actions have run: deleting from an action would be undone by that write.
2. Retention: conversations whose latest event is older than `retention_days` (endpoints.yml) are
   deleted when the server starts, then again every `retention_every_hours` (default 24) while it
   runs, on a background thread of each server (replicas each run it; the delete is idempotent), and
   by `make purge` (scripts/purge_conversations.py) by hand.

And three duties a shared production database (deploy/endpoints.production.yml) adds:

3. Fail fast: the database is probed with a short timeout before Rasa's own set-up, which otherwise
   retries an unreachable database forever and the server hangs at start-up.
4. Readiness: `ping()` for the readiness check (channels/health.py). Pooled connections are checked
   before use, so a restarted database is picked up again without failed requests.
5. Exactly once: a turn whose user message carries a `message_id` that is already stored (a client
   retrying after a lost reply, possibly on another replica) is not stored a second time.
6. Less work per message: a tracker loaded from this store remembers how many of its events are
   stored, so saving it needs no row count and checking a retry needs no search (the replica holds
   the conversation's lock from load to save), and loading reads only the event column.
"""
import itertools
import json
import logging
import threading
import time
from typing import Any, Iterator, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, is_postgresql_url, validate_port
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_conversation"
CONNECT_TIMEOUT_SECONDS = 5
SCHEMA_LOCK_KEY = 0x7EA5  # any constant shared by all replicas
EVENTS_IN_STORE = "_events_in_store"  # set on the trackers this store loads and saves


class StoreUnavailable(SystemExit):
    """A configured store cannot be reached at start-up.

    A SystemExit, so that Rasa's start-up (which catches ordinary exceptions and carries on with an
    in-memory store or hangs) stops the server with this message instead.
    """


class BadRetention(SystemExit):
    """`retention_days` is set but is no period: stop at start-up rather than keep conversations forever
    (0 or an empty RETENTION_DAYS used to turn retention off without a word) or delete them all."""


def retention_period(value: Any, source: str = "retention_days", unit: str = "days",
                     if_removed: str = "keep conversations until they are forgotten") -> Optional[float]:
    """A retention setting (the period in days, or how often it runs in hours): None when the setting
    is absent, else a positive number."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number > 0:  # also NaN and "", which float() refuses
        raise BadRetention(f"{source} must be a number of {unit} greater than 0 (got {value!r}); remove it to "
                           f"{if_removed}, never set it to 0 or leave it empty.")
    return number


RETENTION_EVERY_HOURS = 24.0


class PrivacySQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, retention_days: Optional[float] = None,
                 retention_every_hours: Optional[float] = None, **kwargs: Any) -> None:
        self.retention_days = retention_period(retention_days)  # before anything: a bad value stops start-up
        every = retention_period(retention_every_hours, "retention_every_hours", "hours",
                                 if_removed=f"run it every {RETENTION_EVERY_HOURS:g} hours") or RETENTION_EVERY_HOURS
        self._probe(kwargs)
        super().__init__(*args, **kwargs)
        self._check_pooled_connections()
        self.retention_stopped = threading.Event()
        if self.retention_days:
            self._apply_retention()
            threading.Thread(target=self._retention_loop, args=(every * 3600,), name="retention", daemon=True).start()

    def _apply_retention(self) -> int:
        deleted = self.purge_older_than(self.retention_days)
        logger.info("Retention: deleted %d conversation(s) older than %s days.", deleted, self.retention_days)
        return deleted

    def _retention_loop(self, every_seconds: float) -> None:
        """Retention while the server runs: a server that is never restarted still forgets on time."""
        while not self.retention_stopped.wait(every_seconds):
            try:
                self._apply_retention()
            except Exception as error:  # the database may be down for a while: try again next round
                logger.warning("Retention could not run (%s); it will be tried again.", type(error).__name__)

    def _probe(self, kwargs: dict) -> None:
        url = self.get_db_url(kwargs.get("dialect", "sqlite"), kwargs.get("host"), validate_port(kwargs.get("port")),
                              kwargs.get("db", "rasa.db"), kwargs.get("username"), kwargs.get("password"),
                              kwargs.get("login_db"), kwargs.get("query"))
        url = sa.engine.make_url(url)
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if is_postgresql_url(url) else {}
        engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
        logger.info("Checking that the tracker store answers (at most %s s).", CONNECT_TIMEOUT_SECONDS)
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
                if connection.dialect.name == "postgresql":
                    self._create_tables_one_replica_at_a_time(connection)
        except sa.exc.SQLAlchemyError as error:
            message = (
                f"Tracker store unreachable: cannot connect to the {url.get_backend_name()} database "
                f"'{url.database}' at {url.host or 'a local file'}:{url.port or ''} "
                f"({type(getattr(error, 'orig', None) or error).__name__}). Check the DB_* settings and that the database is up.")
            logger.error(message)  # with the time, beside the check's own line
            raise StoreUnavailable(message) from None
        finally:
            engine.dispose()

    def _create_tables_one_replica_at_a_time(self, connection: Any) -> None:
        """Replicas starting together race to create the events table, and Rasa logs the loser's
        failure as an ERROR; a PostgreSQL advisory lock lets one create it while the others wait."""
        connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        try:
            SQLTrackerStore.Base.metadata.create_all(connection)
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})

    def _check_pooled_connections(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        # hide_parameters: a failed statement's error (logged by Rasa and by the channels) never
        # carries its bound values, which are the person's messages
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query right now."""
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's retrieval, reading only the event column, and remembering how many events are stored."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data).all()]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            tracker.__dict__[EVENTS_IN_STORE] = len(events)
        return tracker

    def _events_in_store(self, session: Any, tracker: DialogueStateTracker) -> int:
        """How many events of the tracker's latest session are stored (or were skipped as a retry).

        Known without a query for a tracker this store loaded or saved: the replica holds the
        conversation's lock (lock store) from loading it to saving it, so nobody else writes in
        between. Rasa counts the rows on every save instead, which was 8 % of the server's time.
        """
        known = tracker.__dict__.get(EVENTS_IN_STORE)
        if known is not None:
            return known
        return self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events to store; none when this turn repeats a message that is already stored."""
        stored = self._events_in_store(session, tracker)
        events: List[Event] = list(itertools.islice(tracker.events, stored, None))
        message_ids = [e.message_id for e in events if isinstance(e, UserUttered) and e.message_id]
        if message_ids and self._any_message_stored(session, tracker, stored, message_ids):
            logger.info("A retried message was already stored; the repeated turn is not stored again.")
            return iter(())
        return iter(events)

    def _any_message_stored(self, session: Any, tracker: DialogueStateTracker, stored: int,
                            message_ids: List[Text]) -> bool:
        """Whether a user event with one of these message ids is stored for this conversation.

        For a tracker loaded from this store the stored events of its session are in memory (a retry
        comes back to the session its first attempt was stored in); otherwise the database is asked.
        """
        if EVENTS_IN_STORE in tracker.__dict__:
            stored_ids = {e.message_id for e in itertools.islice(tracker.events, stored) if isinstance(e, UserUttered)}
            return not stored_ids.isdisjoint(message_ids)
        needles = [self.SQLEvent.data.contains(f'"message_id": {json.dumps(m)}', autoescape=True)
                   for m in message_ids]
        query = session.query(self.SQLEvent.id).filter(
            self.SQLEvent.sender_id == tracker.sender_id, self.SQLEvent.type_name == UserUttered.type_name,
            sa.or_(*needles),
        )
        return query.first() is not None

    async def save(self, tracker: DialogueStateTracker) -> None:
        forget_index = self._unsaved_forget_index(tracker)
        if forget_index is None:
            await super().save(tracker)
            tracker.__dict__[EVENTS_IN_STORE] = len(tracker.events)
            return
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
             if isinstance(events[i], ActionExecuted) and events[i].action_name == FORGET_ACTION
             and _confirmed(events[i + 1:])),
            None,
        )
        if forget_index is None:
            return None
        with self.session_scope() as session:
            stored = self._events_in_store(session, tracker)
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


def _confirmed(after: list) -> bool:
    """The forget action deleted only if it reset the slots right after running: it does so only
    when the confirmation question was asked in the turn before (actions/privacy.py)."""
    for event in after:
        if isinstance(event, AllSlotsReset):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False
