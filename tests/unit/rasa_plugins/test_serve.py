"""Rasa start-up fixes: the cached validator judges action responses exactly as Rasa did; SQLite tuning."""

import asyncio
import sqlite3

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.rasa_plugins import serve

VALID = [
    {
        "events": [{"event": "slot", "name": "order_id", "value": "100234"}],
        "responses": [{"text": "Hallo", "buttons": [{"title": "Ja", "payload": "/affirm"}]}],
    },
    {"events": [], "responses": []},
    {},
]
INVALID = [
    {"events": [{"name": "order_id"}]},  # an event without its type
    {"events": "not a list"},
    {"events": [{"event": 7}]},  # a type that is not a string
]


@pytest.fixture()
def cached():
    serve.install_cached_validator()
    yield RemoteAction("action_x", None)
    RemoteAction._validate_action_result = serve.ORIGINAL_VALIDATE


@pytest.mark.parametrize("response", VALID)
def test_valid_responses_pass_as_before(cached, response):
    assert serve.ORIGINAL_VALIDATE(cached, response) is True
    assert cached._validate_action_result(response) is True


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_are_rejected_with_the_same_error(cached, response):
    with pytest.raises(ValidationError) as before:
        serve.ORIGINAL_VALIDATE(cached, response)
    with pytest.raises(ValidationError) as after:
        cached._validate_action_result(response)
    assert after.value.message == before.value.message
    assert list(after.value.path) == list(before.value.path)
    assert "Failed to validate Action server response" in after.value.message


def test_the_schema_is_checked_once_not_per_response(cached, monkeypatch):
    from jsonschema.validators import validator_for

    cls = validator_for(RemoteAction.action_response_format_spec())
    checks = []
    original_check = cls.check_schema.__func__
    monkeypatch.setattr(
        cls,
        "check_schema",
        classmethod(lambda c, schema, **kw: (checks.append(1), original_check(c, schema, **kw))),
    )
    for response in VALID * 5:
        serve.ORIGINAL_VALIDATE(cached, response)
    assert len(checks) == 15  # Rasa's own validation: a metaschema check per response
    for response in VALID * 5:
        cached._validate_action_result(response)
    assert len(checks) == 15  # cached: none


def test_the_sql_tracker_store_runs_sqlite_in_wal_mode(tmp_path):
    """Rasa's own SQLTrackerStore, as configured in endpoints.yml, gets WAL and synchronous=NORMAL."""
    db = tmp_path / "tracker.db"
    serve.install_sqlite_tuning()
    serve.install_sqlite_tuning()  # idempotent
    try:
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        tracker = DialogueStateTracker.from_events("kunde-1", [UserUttered("Hallo")])
        asyncio.run(store.save(tracker))
    finally:
        event.remove(Engine, "connect", serve._sqlite_pragmas)
    assert (
        sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    )  # kept in the file
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0] >= 1


def test_resumed_states_follow_the_tracker_cache_setting(monkeypatch):
    from rasa.shared.core.domain import Domain as RasaDomain

    from bot.rasa_plugins import past_states

    monkeypatch.setattr(RasaDomain, "states_for_tracker_history", past_states.ORIGINAL)
    assert not serve.install_resumed_states({"KD_TRACKER_CACHE": "0"})
    assert RasaDomain.states_for_tracker_history is past_states.ORIGINAL
    assert serve.install_resumed_states({})  # on by default
    assert RasaDomain.states_for_tracker_history is past_states.states_for_tracker_history


def test_turn_shortcuts_follow_their_settings():
    from rasa.core.policies.ted_policy import TEDPolicy

    from bot.rasa_plugins import lazy_ted, local_actions

    try:
        assert serve.install_turn_shortcuts({}) == {
            "local_actions": ["action_faq"],
            "lazy_ted": True,
        }
        assert TEDPolicy.predict_action_probabilities is lazy_ted.predict_action_probabilities
        off = {"KD_LOCAL_ACTIONS": "", "KD_LAZY_TED": "0"}
        assert serve.install_turn_shortcuts(off) == {"local_actions": [], "lazy_ted": False}
        assert TEDPolicy.predict_action_probabilities is lazy_ted.ORIGINAL_PREDICT
    finally:
        local_actions.install([], warm=False)
        lazy_ted.install(False)
