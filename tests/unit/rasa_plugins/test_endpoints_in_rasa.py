"""The endpoints.yml the launcher writes, read by Rasa 3.6 itself: the Redis lock store keeps credentials, db and
TLS, and action calls carry the action-server secret."""

from __future__ import annotations

from pathlib import Path

from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.hub.settings import Settings
from bot.ops.launcher import actions_token, write_endpoints


def endpoints(tmp_path: Path, redis_url: str = "") -> tuple[Settings, str]:
    s = Settings(
        var_dir=tmp_path / "var",
        database_url=f"sqlite:///{tmp_path / 'hub.db'}",
        redis_url=redis_url,
    )
    return s, str(write_endpoints(s, tmp_path / "endpoints.yml"))


def test_rasa_builds_the_redis_lock_store_with_everything_from_the_url(tmp_path):
    _, path = endpoints(tmp_path, "rediss://rasa:p%40ss@cache.example:6390/5")
    store = LockStore.create(
        read_endpoint_config(path, "lock_store")
    )  # connects lazily: no server needed
    assert isinstance(store, RedisLockStore)
    pool = store.red.connection_pool
    kwargs = pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("cache.example", 6390, 5)
    assert (kwargs["username"], kwargs["password"]) == ("rasa", "p@ss")
    assert pool.connection_class.__name__ == "SSLConnection"


def test_rasa_sends_the_action_secret_on_action_calls(tmp_path):
    settings, path = endpoints(tmp_path)
    action = read_endpoint_config(path, "action_endpoint")
    assert action is not None and action.url.endswith("/webhook")
    assert action.headers == {"Authorization": f"Bearer {actions_token(settings)}"}


def test_rasa_builds_the_cached_tracker_store_and_zero_gives_its_own(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore

    from bot.rasa_plugins.tracker_store import CachedSQLTrackerStore

    settings, path = endpoints(tmp_path)
    store = TrackerStore.create(read_endpoint_config(path, "tracker_store"))
    assert isinstance(store, CachedSQLTrackerStore)
    assert store.cache_size == settings.tracker_cache > 0
    plain = Settings(
        var_dir=tmp_path / "var",
        database_url=f"sqlite:///{tmp_path / 'hub.db'}",
        tracker_cache=0,
    )
    again = TrackerStore.create(
        read_endpoint_config(str(write_endpoints(plain, tmp_path / "plain.yml")), "tracker_store")
    )
    assert type(again) is SQLTrackerStore
