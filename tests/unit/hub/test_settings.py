"""The hub's Settings are the declared hub settings: same names, types and defaults, read from the environment."""

from __future__ import annotations

import typing
from dataclasses import fields

from bot.hub.settings import (
    Channels,
    MessengerSettings,
    Settings,
    TelegramSettings,
    WhatsAppSettings,
    load_settings,
)
from bot.shared.config import AGENTS, CHANNELS, HUB, LIMITS, MAIL

DERIVED = {"rasa_workers"}  # read only to derive rasa_url


def test_fields_are_the_declared_settings_with_their_types():
    hints = typing.get_type_hints(Settings)
    declared = [s for g in (HUB, LIMITS, AGENTS, MAIL) for s in g.settings if s.name not in DERIVED]
    assert {s.name for s in declared} == {f.name for f in fields(Settings)} - {"channels"}
    for s in declared:
        assert hints[s.name] == s.kind.python, s.env
        assert getattr(Settings(), s.name) == s.value, s.env


def test_channel_fields_are_declared():
    blocks = {
        "telegram": TelegramSettings,
        "messenger": MessengerSettings,
        "whatsapp": WhatsAppSettings,
    }
    for s in CHANNELS.settings:
        channel, _, name = s.name.rpartition(".")
        for cls in [blocks[channel]] if channel else blocks.values():
            assert typing.get_type_hints(cls)[name] == s.kind.python, s.env
            assert getattr(cls(), name) == s.value, s.env


def test_load_reads_the_environment_with_the_declared_types():
    settings = load_settings(
        dotenv=False,
        environ={
            "KD_PORT": "9090",
            "KD_RATE_URGENT": "4/60",
            "KD_ADMIN_2FA": "1",
            "KD_CORS_ORIGINS": "https://a, https://b",
            "KD_WHATSAPP_PHONE_ID": "42",
            "KD_WEBHOOK_MAX_AGE": "60",
        },
    )
    assert (
        settings.port == 9090 and settings.rate_urgent == (4, 60.0) and settings.admin_2fa is True
    )
    assert settings.cors_origins == ["https://a", "https://b"]
    assert settings.channels.whatsapp.phone_number_id == "42"
    assert {c.max_age for c in vars(settings.channels).values()} == {60.0}
    assert load_settings(dotenv=False, environ={}) == Settings()


def test_rasa_urls_follow_port_and_workers_unless_given():
    derived = load_settings(dotenv=False, environ={"KD_RASA_PORT": "6000", "KD_RASA_WORKERS": "2"})
    assert derived.rasa_urls == ["http://127.0.0.1:6000", "http://127.0.0.1:6001"]
    given = load_settings(
        dotenv=False, environ={"KD_RASA_URL": "http://r:1", "KD_RASA_WORKERS": "3"}
    )
    assert given.rasa_urls == ["http://r:1"]


def test_a_channel_is_on_only_with_its_token():
    assert Channels().telegram.token == "" and Channels().messenger.page_token == ""
