"""Rasa's SQL tracker store with a per-turn cost that does not grow with the conversation.

Rasa 3.6's `SQLTrackerStore` rebuilds the tracker from every event of the current
session on each `retrieve` (JSON parse + replay of all events) and, on `save`,
counts the stored events again to find the new ones: a turn at message 120 cost
2.5-3.7x a turn at message 1 (issue 26). This store keeps Rasa's table and rows
unchanged (the hub's GDPR erasure, retention and reports read them) and changes
only how they are read and written:

- `save` appends only the events added since the tracker was handed out
  (`tracker.events[stored:]`), without counting the stored ones;
- the tracker of an active conversation stays in memory on its worker (an LRU of
  `cache_size` conversations, KD_TRACKER_CACHE); `retrieve` hands out a cheap
  copy (the event list is copied, the events themselves are shared);
- every `retrieve` and `save` first reads the conversation's newest row
  (id and timestamp, one index lookup). If it is not the row this worker wrote
  last, another worker appended (failover, a worker restarted or added) or the
  hub erased the conversation: the cached copy is dropped and the tracker is
  read from the database exactly as Rasa does. Rasa's lock store still orders
  the turns of one conversation across workers.

The cached tracker is advanced by replaying the very JSON written to the
database, so it is the tracker a fresh `retrieve` would rebuild. A save that
starts a new session (SessionStarted) drops the cached copy: Rasa's `retrieve`
returns only the events of the latest session, and so does the next load.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
from collections import OrderedDict, deque
from typing import Any, Dict, List, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

log = logging.getLogger(__name__)

Version = Tuple[int, float | None] | None  # (id, timestamp) of the newest row; None: no rows
_STAMP = "_kd_stored"  # on trackers handed out: (version they were read at, events stored then)
INDEX = "ix_events_sender_id_id"


@dataclasses.dataclass
class _Cached:
    tracker: DialogueStateTracker
    version: Version


def twin(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy that can be changed without touching `tracker`: Rasa's `copy()` replays every event,
    this copies the containers (events list, slots, active loop) and shares the events."""
    other = copy.copy(tracker)
    other.events = deque(tracker.events, tracker.events.maxlen)
    other.slots = type(tracker.slots)(
        (name, copy.copy(slot)) for name, slot in tracker.slots.items()
    )
    if tracker.active_loop is not None:
        other.active_loop = dataclasses.replace(tracker.active_loop)
    if isinstance(tracker.latest_action, dict):
        other.latest_action = dict(tracker.latest_action)
    other.__dict__.pop(_STAMP, None)
    return other


def row(sender_id: str, event: Event) -> Dict[str, Any]:
    """The `events` row Rasa's SQLTrackerStore.save writes for `event`."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def create_index(engine: sa.engine.Engine, index: sa.Index) -> None:
    """Workers started together race to create it: the loser's error is no error when the index is
    there (two workers on one PostgreSQL, as bench/scale.py starts them: one of them died of it)."""
    try:
        index.create(engine, checkfirst=True)
    except sa.exc.DBAPIError:
        if index.name not in {i["name"] for i in sa.inspect(engine).get_indexes(index.table.name)}:
            raise
        log.info("index %s was created by another worker meanwhile", index.name)


class CachedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with append-only saves and a version-checked in-memory copy per conversation."""

    def __init__(self, *args: Any, cache_size: int = 200, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = max(0, int(cache_size))
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self.loads = 0  # reads of a whole session from the database (tests and benchmarks look)
        engine = self._reuse_sqlite_connections()
        table = self.SQLEvent.__table__
        # newest row of a conversation in one index step, also on PostgreSQL (SQLite's index on
        # sender_id already ends in the rowid, so there it would only cost writes)
        if engine.dialect.name != "sqlite":
            create_index(engine, sa.Index(INDEX, table.c.sender_id, table.c.id))

    def _reuse_sqlite_connections(self) -> sa.engine.Engine:
        """SQLAlchemy 1.4 opens a new connection to a SQLite file for every session (NullPool), and
        the project's pragmas run on each (serve.py): 4 % of a worker's busy time under FAQ load
        (issue 26.2). A small pool keeps them; other workers still see every commit (WAL)."""
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return engine  # PostgreSQL pools already; an in-memory database lives in its connection
        engine.dispose()
        engine = self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
        return engine

    # -- versions ---------------------------------------------------------------------------------

    def _version(self, connection: Any, sender_id: str) -> Version:
        table = self.SQLEvent.__table__
        newest = connection.execute(
            sa.select(table.c.id, table.c.timestamp)
            .where(table.c.sender_id == sender_id)
            .order_by(table.c.id.desc())
            .limit(1)
        ).first()
        return (int(newest[0]), newest[1]) if newest is not None else None

    def _remember(self, sender_id: str, entry: _Cached) -> None:
        if not self.cache_size:
            return
        self._cache[sender_id] = entry
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def forget(self, sender_id: str) -> None:
        self._cache.pop(sender_id, None)

    # -- reading ----------------------------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's tracker: the cached copy when no one wrote since, else from the database."""
        with self.engine.connect() as connection:
            version = self._version(connection, sender_id)
        if version is None:
            self.forget(sender_id)
            return None
        cached = self._cache.get(sender_id)
        if cached is not None and cached.version == version:
            self._cache.move_to_end(sender_id)
            tracker = twin(cached.tracker)
        else:
            self.forget(sender_id)
            self.loads += 1
            loaded = await super().retrieve(sender_id)
            if loaded is None:
                return None
            # a writer between the two reads: the version stays unknown, the next save counts
            with self.engine.connect() as connection:
                if self._version(connection, sender_id) != version:
                    return loaded
            self._remember(sender_id, _Cached(loaded, version))
            tracker = twin(loaded)
        setattr(tracker, _STAMP, (version, len(tracker.events)))
        return tracker

    # -- writing ----------------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Appends the events added since `tracker` was read (or, for a tracker not read here or read
        before another writer, the events Rasa's own count says are new)."""
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        stamp = tracker.__dict__.get(_STAMP)
        table = self.SQLEvent.__table__
        with self.session_scope() as session:
            connection = session.connection()
            before = self._version(connection, sender_id)
            if stamp is not None and stamp[0] == before and tracker.events.maxlen is None:
                new: List[Event] = list(tracker.events)[stamp[1] :]
            else:
                new = list(self._additional_events(session, tracker))
                self.forget(sender_id)
            rows = [row(sender_id, event) for event in new]
            after = before
            for values in rows:  # one by one: the ids are needed, and events are few per turn
                result = connection.execute(table.insert().values(**values))
                after = (int(result.inserted_primary_key[0]), values["timestamp"])
            session.commit()
        setattr(tracker, _STAMP, (after, len(tracker.events)))
        self._advance(sender_id, before, after, rows, tracker)
        log.debug("tracker %s: %d events appended", sender_id, len(rows))

    def _advance(
        self,
        sender_id: str,
        before: Version,
        after: Version,
        rows: List[Dict[str, Any]],
        tracker: DialogueStateTracker,
    ) -> None:
        """Brings the cached copy to `after` by replaying the stored JSON of the new rows."""
        cached = self._cache.get(sender_id)
        if any(r["type_name"] == SessionStarted.type_name for r in rows):
            self.forget(sender_id)  # Rasa's retrieve starts at the latest session: load it afresh
            return
        if cached is None or cached.version != before:
            self.forget(sender_id)
            return
        for event in deserialise_events([json.loads(r["data"]) for r in rows]):
            cached.tracker.update(event)  # what DialogueStateTracker.from_dict does per event
        cached.version = after
        self._cache.move_to_end(sender_id)
