"""Each declared action-server setting is one constant of actions/settings.py, with its declared value."""

from __future__ import annotations

from actions import settings
from bot.shared.config import ACTIONS, SETTINGS


def test_constants_are_the_declared_settings():
    for s in (*ACTIONS.settings, SETTINGS["KD_SHOP_DATABASE_URL"]):
        assert getattr(settings, s.name.upper()) == s.read(), s.env
