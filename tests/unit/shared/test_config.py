"""Every KD_* variable is declared once (bot/shared/config.py), and reading one gives its declared type."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from bot.shared import setting as kinds
from bot.shared.config import GROUPS, SETTINGS
from bot.shared.setting import ROOT

NAME = re.compile(r"\bKD_[A-Z0-9_]*[A-Z0-9]\b")
SAMPLES = {  # kind -> (text in the environment, expected value)
    kinds.TEXT: ("x y", "x y"),
    kinds.URL: ("http://h:1/", "http://h:1/"),
    kinds.BASE_URL: ("https://h/", "https://h"),
    kinds.CHOICE: (" TLS ", "tls"),
    kinds.INT: ("7", 7),
    kinds.AT_LEAST_ONE: ("977", 977),
    kinds.FLOAT: ("2.5", 2.5),
    kinds.MEGABYTES: ("1.5", 1572864),
    kinds.BOOL: ("yes", True),
    kinds.LIST: ("a, b,,", ["a", "b"]),
    kinds.RATE: ("3/30", (3, 30.0)),
    kinds.PATH: ("/tmp/kd", Path("/tmp/kd")),
    kinds.OPTIONAL_PATH: ("/tmp/kd", Path("/tmp/kd")),
    kinds.OPTIONAL_FLOAT: ("0.25", 0.25),
}


def names_in_code() -> set:
    found = set()
    for top in ("bot", "actions"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                found |= set(NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


def test_every_variable_in_the_code_is_declared():
    missing = names_in_code() - set(SETTINGS)
    assert not missing, f"declare these in bot/shared/config.py: {sorted(missing)}"


def test_each_variable_is_declared_once_with_a_meaning():
    declared = [s.env for group in GROUPS for s in group.settings]
    assert len(declared) == len(set(declared)) == len(SETTINGS)
    for s in SETTINGS.values():
        assert NAME.fullmatch(s.env) and s.meaning and "|" not in s.meaning + s.shown, s.env
        assert s.kind in SAMPLES, s.env


def runtime_type(kind: kinds.Kind) -> type:
    optional = {kinds.OPTIONAL_PATH: Path, kinds.OPTIONAL_FLOAT: float}
    return optional.get(kind) or typing.get_origin(kind.python) or kind.python


@pytest.mark.parametrize("setting", SETTINGS.values(), ids=lambda s: s.env)
def test_round_trip_from_the_environment(setting):
    """Setting the variable changes the value, parsed to the declared type; unset gives the default."""
    text, expected = SAMPLES[setting.kind]
    if setting.kind is kinds.BOOL and setting.value:
        text, expected = "off", False
    value = setting.read({setting.env: text})
    assert value == expected != setting.value
    assert isinstance(value, runtime_type(setting.kind))
    assert setting.read({}) == setting.value
    if setting.kind.empty_is_default:
        assert setting.read({setting.env: ""}) == setting.value


def test_defaults_have_their_declared_type():
    for s in SETTINGS.values():
        assert s.value is None or isinstance(s.value, runtime_type(s.kind)), s.env
        assert "{root}" not in str(s.value), s.env


def test_at_least_one_login_slot():
    assert SETTINGS["KD_LOGIN_CONCURRENCY"].read({"KD_LOGIN_CONCURRENCY": "0"}) == 1


def test_hub_and_actions_share_one_shop_database():
    """The demo shop the hub seeds is the file the actions open, wherever a process starts."""
    url = SETTINGS["KD_SHOP_DATABASE_URL"].value
    assert url == f"sqlite:///{ROOT / 'var' / 'shop.db'}"
