"""Secrets inside the stack, launcher side: generated once, 0600, never on a command line; endpoints.yml 0600
with the action-server secret and the full Redis URL."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from bot.hub.secrets import ensure_secret
from bot.hub.settings import Settings
from bot.ops.launcher import (
    actions_token,
    child_env,
    commands,
    rasa_status_url,
    rasa_token,
    rasa_token_for,
    redis_lock_store,
    remember_rasa_token,
    write_endpoints,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(var_dir=tmp_path / "var", database_url=f"sqlite:///{tmp_path / 'hub.db'}", **kw)  # type: ignore[arg-type]


def test_secrets_are_generated_once_private_and_random(tmp_path):
    s = settings(tmp_path)
    token, secret = rasa_token(s), actions_token(s)
    assert len(token) >= 40 and len(secret) >= 40 and token != secret
    assert rasa_token(s) == token and actions_token(s) == secret  # stable across runs
    assert (
        mode(tmp_path / "var/secrets/rasa_token") == 0o600
        and mode(tmp_path / "var/secrets/actions_token") == 0o600
    )
    assert mode(tmp_path / "var/secrets") == 0o700
    assert rasa_token(settings(tmp_path / "other")) != token


def test_a_configured_rasa_token_wins_and_nothing_is_generated(tmp_path):
    s = settings(tmp_path, rasa_token="configured")
    assert rasa_token(s) == "configured"
    assert not (tmp_path / "var/secrets/rasa_token").exists()


def test_concurrent_first_runs_agree_on_one_secret(tmp_path):
    path = tmp_path / "secrets" / "shared"
    with ThreadPoolExecutor(8) as pool:
        values = set(pool.map(lambda _: ensure_secret(path), range(32)))
    assert len(values) == 1 and [p.name for p in path.parent.iterdir()] == [
        "shared"
    ]  # no temporary files left


def test_a_secret_written_by_hand_is_used_and_made_private(tmp_path):
    path = tmp_path / "secret"
    path.write_text("chosen-by-operator\n")
    path.chmod(0o644)
    assert ensure_secret(path) == "chosen-by-operator" and mode(path) == 0o600
    path.write_text("")
    with pytest.raises(RuntimeError, match="empty"):
        ensure_secret(path)


def test_endpoints_are_0600_and_carry_the_action_secret(tmp_path):
    s = settings(tmp_path)
    path = tmp_path / "var" / "endpoints.yml"
    path.parent.mkdir(parents=True)
    path.write_text("old")
    path.chmod(0o644)  # a file left by an older version
    write_endpoints(s, path)
    assert mode(path) == 0o600
    action = yaml.safe_load(path.read_text())["action_endpoint"]
    assert action["headers"] == {"Authorization": f"Bearer {actions_token(s)}"}
    assert "token" not in action["url"]
    assert [
        p.name for p in path.parent.iterdir() if p.name.startswith(".")
    ] == []  # no temporary file left


def test_endpoints_are_never_readable_by_others_while_being_written(tmp_path):
    old = os.umask(0)  # the most permissive umask: a plain write_text would give 0666
    try:
        path = write_endpoints(settings(tmp_path), tmp_path / "var" / "endpoints.yml")
    finally:
        os.umask(old)
    assert mode(path) == 0o600


def test_no_secret_on_any_command_line(tmp_path):
    s = settings(tmp_path, rasa_token="configured-token")
    argv = commands(s, tmp_path, tmp_path / "endpoints.yml")
    flat = " ".join(" ".join(a) for a in argv.values())
    assert (
        "configured-token" not in flat
        and actions_token(s) not in flat
        and "--auth-token" not in flat
    )
    assert argv["actions"][2] == "bot.rasa_plugins.action_server"


def test_children_get_both_secrets_in_their_environment(tmp_path):
    s = settings(tmp_path)
    env = child_env(s, {})
    assert env["KD_RASA_TOKEN"] == rasa_token(s) and env["KD_ACTIONS_TOKEN"] == actions_token(s)


def test_status_url_carries_the_token_as_rasa_expects():
    assert (
        rasa_status_url("http://127.0.0.1:5005/", "a+b/c")
        == "http://127.0.0.1:5005/status?token=a%2Bb%2Fc"
    )


@pytest.mark.parametrize(
    "url, expected",
    [
        ("redis://127.0.0.1:6379/0", {"url": "127.0.0.1", "port": 6379, "db": 0}),
        ("redis://redis.internal", {"url": "redis.internal", "port": 6379, "db": 0}),
        (
            "redis://:s3cret@10.0.0.5:6380/2",
            {"url": "10.0.0.5", "port": 6380, "db": 2, "password": "s3cret"},
        ),
        (
            "rediss://rasa:p%40ss%2Fw@cache.example:6390/5",
            {
                "url": "cache.example",
                "port": 6390,
                "db": 5,
                "username": "rasa",
                "password": "p@ss/w",
                "use_ssl": True,
            },
        ),
    ],
)
def test_redis_url_is_passed_through_completely(url, expected):
    assert redis_lock_store(url) == {"type": "redis", **expected}


def test_endpoints_use_the_full_redis_url(tmp_path):
    s = settings(tmp_path, redis_url="rediss://:pw@cache.example:6390/3")
    lock = yaml.safe_load(write_endpoints(s, tmp_path / "endpoints.yml").read_text())["lock_store"]
    assert lock == {
        "type": "redis",
        "url": "cache.example",
        "port": 6390,
        "db": 3,
        "password": "pw",
        "use_ssl": True,
    }


def test_clients_find_a_stack_token_by_any_rasa_url_of_the_stack(tmp_path):
    env = {
        "KD_RASA_URL": "http://127.0.0.1:7005,http://127.0.0.1:7006",
        "KD_RASA_TOKEN": "stack-token",
        "KD_VAR_DIR": str(tmp_path),
    }
    remember_rasa_token(env)
    assert (
        rasa_token_for("http://127.0.0.1:7005")
        == rasa_token_for("http://127.0.0.1:7006/")
        == "stack-token"
    )
