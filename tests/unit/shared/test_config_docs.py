"""The committed configuration page is the one the declarations generate."""

from __future__ import annotations

from bot.shared.config import SETTINGS
from bot.shared.config_docs import PAGE, markdown


def test_committed_page_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == markdown(), (
        "docs/reference/configuration.md is stale: run `python -m bot config-docs`"
    )


def test_every_setting_has_a_row():
    page = markdown()
    assert all(f"| `{env}` |" in page for env in SETTINGS)
