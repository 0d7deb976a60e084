"""Conversation ids: random, URL-safe, and never starting with "-"."""

from __future__ import annotations

import pytest

from bot.hub.conversations import access


def test_an_id_starting_with_a_dash_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["-FkVvGoAl1u3d-tLc1eRcH4L", "--second", "I_gVaZBs6PH1ZQ6bt7-l168t"])
    monkeypatch.setattr(access.secrets, "token_urlsafe", lambda n: next(drawn))
    assert access.conversation_id() == "I_gVaZBs6PH1ZQ6bt7-l168t"


def test_ids_are_url_safe_and_distinct() -> None:
    ids = {access.conversation_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert not any(i.startswith("-") for i in ids)
    assert all(len(i) == 24 and i.replace("-", "").replace("_", "").isalnum() for i in ids)
