"""The cached tracker store: append-only saves, a cached copy per conversation that a cheap version
check discards when another worker wrote or the hub erased, and trackers equal to what Rasa's own
SQLTrackerStore rebuilds from the same rows. Two store instances on one database are two workers."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.rasa_plugins.tracker_store import INDEX, CachedSQLTrackerStore, create_index

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, faq]
slots:
  email:
    type: text
    mappings: [{type: custom}]
responses:
  utter_ok: [{text: "ok"}]
"""
)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def store(db: Path, **kwargs: Any) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db), **kwargs)


def turn(n: int, email: str | None = None) -> List[Event]:
    """One FAQ turn as Rasa logs it: the user message, the answer, back to listening."""
    events: List[Event] = [
        UserUttered(f"Frage {n}", {"name": "faq", "confidence": 0.9}, message_id=f"m{n}"),
        ActionExecuted("utter_ok"),
        BotUttered(f"Antwort {n}"),
    ]
    if email:
        events.append(SlotSet("email", email))
    return events + [ActionExecuted(ACTION_LISTEN_NAME)]


def session_start() -> List[Event]:
    return [
        ActionExecuted(ACTION_SESSION_START_NAME),
        SessionStarted(),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


async def talk(s: CachedSQLTrackerStore, sender: str, n: int, email: str | None = None) -> None:
    """What Rasa's processor does per message: get or create the tracker, update it, save it."""
    tracker = await s.get_or_create_tracker(sender, append_action_listen=False)
    if not tracker.events:
        tracker.update_with_events(session_start(), DOMAIN, override_timestamp=False)
    for event in turn(n, email):
        tracker.update(event)
    await s.save(tracker)


def rows(db: Path, sender: str) -> List[str]:
    with sqlite3.connect(db) as c:
        return [
            r[0]
            for r in c.execute(
                "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            )
        ]


def state(tracker: DialogueStateTracker | None) -> Dict[str, Any]:
    assert tracker is not None
    return tracker.current_state(EventVerbosity.ALL)


def rebuilt(db: Path, sender: str) -> Dict[str, Any]:
    """The tracker as Rasa's own store rebuilds it from the rows."""
    return state(run(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db)).retrieve(sender)))


def test_each_save_appends_only_the_new_events(tmp_path):
    db = tmp_path / "t.db"
    s = store(db)
    run(talk(s, "k1", 1))
    assert len(rows(db, "k1")) == 3 + 4
    for n in range(2, 6):
        run(talk(s, "k1", n))
    assert rows(db, "k1") == rows(db, "k1")[:7] + ["user", "action", "bot", "action"] * 4
    assert state(run(s.retrieve("k1"))) == rebuilt(db, "k1")


def test_an_active_conversation_is_read_from_the_database_once(tmp_path):
    db = tmp_path / "t.db"
    s = store(db)
    for n in range(1, 30):
        run(talk(s, "k1", n, email="a@b.de" if n == 3 else None))
    assert s.loads == 1  # after the first turn; every later turn used the cached copy
    assert state(run(s.retrieve("k1"))) == rebuilt(db, "k1")
    assert run(s.retrieve("k1")).get_slot("email") == "a@b.de"


def test_a_tracker_changed_but_not_saved_leaves_the_cache_alone(tmp_path):
    db = tmp_path / "t.db"
    s = store(db)
    run(talk(s, "k1", 1))
    run(s.retrieve("k1"))
    handed_out = run(s.retrieve("k1"))
    handed_out.update(SlotSet("email", "x@y.de"))  # a turn that fails before its save
    handed_out.update(UserUttered("nie gespeichert"))
    again = run(s.retrieve("k1"))
    assert again.get_slot("email") is None
    assert state(again) == rebuilt(db, "k1")


def test_another_worker_appending_discards_the_cached_copy(tmp_path):
    db = tmp_path / "t.db"
    first, second = store(db), store(db)
    run(talk(first, "k1", 1))
    run(talk(first, "k1", 2))  # cached on the first worker
    run(talk(second, "k1", 3, email="neu@b.de"))  # failover: the second worker takes a turn
    loads = first.loads
    back = run(first.retrieve("k1"))  # and the conversation comes back
    assert first.loads == loads + 1  # version changed: read from the database
    assert back.get_slot("email") == "neu@b.de"
    assert state(back) == rebuilt(db, "k1")
    run(talk(first, "k1", 4))
    assert rows(db, "k1").count("user") == 4  # nothing lost, nothing doubled
    assert state(run(first.retrieve("k1"))) == rebuilt(db, "k1")
    assert state(run(second.retrieve("k1"))) == rebuilt(db, "k1")


def test_a_save_from_a_stale_tracker_counts_the_stored_events_as_rasa_does(tmp_path):
    """Outside the lock store's order (two writers at once) the append position is Rasa's own count
    of stored events, never the stale tracker's idea of it: nothing is written twice."""
    db = tmp_path / "t.db"
    first, second = store(db), store(db)
    run(talk(first, "k1", 1))
    stale = run(first.retrieve("k1"))
    run(talk(second, "k1", 2))  # written while `stale` was out
    for event in turn(3):
        stale.update(event)  # as many events as the other writer's turn
    run(first.save(stale))
    assert rows(db, "k1").count("user") == 2  # Rasa's count: the stale turn's events were "stored"
    loads = first.loads
    assert state(run(first.retrieve("k1"))) == rebuilt(db, "k1")
    assert first.loads == loads + 1  # the cached copy was dropped


@pytest.mark.parametrize("reuse_ids", [False, True])
def test_erasure_or_retention_drops_the_cached_copy(tmp_path, reuse_ids):
    """The hub deletes every row of a conversation (GDPR erasure, retention). SQLite hands the deleted
    top ids out again: a new conversation under the same id must still not see the erased one."""
    db = tmp_path / "t.db"
    first, second = store(db), store(db)
    run(talk(first, "k1", 1, email="geheim@b.de"))
    run(talk(first, "k1", 2))
    assert run(first.retrieve("k1")).get_slot("email") == "geheim@b.de"
    with sqlite3.connect(db) as c:  # what bot.hub.privacy.tracker.TrackerStore.erase does
        c.execute("DELETE FROM events WHERE sender_id = ?", ("k1",))
    if not reuse_ids:
        assert run(first.retrieve("k1")) is None
        return
    run(talk(second, "k1", 1))
    run(talk(second, "k1", 2))  # as many rows as before, on the same ids
    back = run(first.retrieve("k1"))
    assert back.get_slot("email") is None
    assert state(back) == rebuilt(db, "k1")


def test_a_new_session_is_read_as_rasa_reads_it(tmp_path):
    db = tmp_path / "t.db"
    s = store(db)
    run(talk(s, "k1", 1, email="a@b.de"))
    run(talk(s, "k1", 2))
    tracker = run(s.retrieve("k1"))
    tracker.update_with_events(session_start(), DOMAIN, override_timestamp=True)
    for event in turn(3):
        tracker.update(event)
    run(s.save(tracker))
    after = run(s.retrieve("k1"))
    assert [e.text for e in after.events if isinstance(e, UserUttered)] == ["Frage 3"]
    assert state(after) == rebuilt(db, "k1")


def test_the_cache_keeps_the_most_recently_used_conversations(tmp_path):
    db = tmp_path / "t.db"
    s = store(db, cache_size=2)
    for sender in ("a", "b", "c"):
        run(talk(s, sender, 1))
        run(s.retrieve(sender))
    assert list(s._cache) == ["b", "c"]
    loads = s.loads
    run(s.retrieve("a"))
    assert s.loads == loads + 1
    assert list(s._cache) == ["c", "a"]


def test_cache_size_zero_reads_every_turn_from_the_database(tmp_path):
    db = tmp_path / "t.db"
    s = store(db, cache_size=0)
    for n in range(1, 4):
        run(talk(s, "k1", n))
    assert s.loads == 2 and not s._cache
    assert state(run(s.retrieve("k1"))) == rebuilt(db, "k1")


def test_postgresql_two_workers_and_the_newest_row_index(tmp_path):
    pytest.importorskip("psycopg2")
    from tests.services import postgres_server

    try:
        server = postgres_server()
        url = server.__enter__()
    except RuntimeError as error:  # pragma: no cover - scripts/system_deps.sh installs it
        pytest.skip(str(error))
    try:
        db = url.rsplit("/", 1)[-1]

        def pg() -> CachedSQLTrackerStore:
            return CachedSQLTrackerStore(
                DOMAIN, dialect="postgresql", host=url.rsplit("/", 1)[0], db=db
            )

        first, second = pg(), pg()
        run(talk(first, "k1", 1))
        run(talk(first, "k1", 2))
        run(talk(second, "k1", 3, email="pg@b.de"))
        back = run(first.retrieve("k1"))
        assert back.get_slot("email") == "pg@b.de"
        assert [e.text for e in back.events if isinstance(e, UserUttered)] == [
            "Frage 1",
            "Frage 2",
            "Frage 3",
        ]
        plain = SQLTrackerStore(DOMAIN, dialect="postgresql", host=url.rsplit("/", 1)[0], db=db)
        assert state(back) == state(run(plain.retrieve("k1")))
        with first.engine.connect() as c:
            indexes = c.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'events'"
            ).scalars()
            assert INDEX in set(indexes)
        first.engine.dispose()
        second.engine.dispose()
        plain.engine.dispose()
    finally:
        server.__exit__(None, None, None)


def test_a_sqlite_file_keeps_its_connections_between_turns(tmp_path):
    s = store(tmp_path / "t.db")
    run(talk(s, "keep", 1))
    first = s.engine.pool.checkedin()
    run(s.retrieve("keep"))
    assert first >= 1 and s.engine.pool.checkedin() == first  # reused, not opened anew


def test_an_index_another_worker_created_meanwhile_is_no_error(tmp_path: Path) -> None:
    """Two workers starting on one database race to create the version index; the loser carries on."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'race.db'}")

    def events() -> sa.Table:  # each worker's own metadata
        return sa.Table("events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))

    events().create(engine)
    sa.Index(INDEX, events().c.id).create(engine)  # the other worker was first

    class Late(sa.Index):  # this worker's check ran before the other's CREATE
        def create(self, bind: Any, checkfirst: bool = False) -> None:
            super().create(bind, checkfirst=False)

    with pytest.raises(sa.exc.DBAPIError):
        Late(INDEX, events().c.id).create(engine)
    create_index(engine, Late(INDEX, events().c.id))  # no error: the index is there
    with pytest.raises(sa.exc.DBAPIError):  # any other failure still raises
        create_index(
            engine,
            Late("ix_missing", sa.Table("nope", sa.MetaData(), sa.Column("x", sa.Integer)).c.x),
        )
