"""Action tests run in the Rasa environment against a freshly seeded demo shop."""

from __future__ import annotations

import os
from typing import Any, Dict

import pytest
import yaml

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture()
def shop_db() -> str:
    """A freshly seeded demo shop for each test that changes orders, with no verification failures."""
    from actions import shop
    from bot.shop import ledger
    from bot.shop.demo_seed import seed

    seed(os.environ["KD_SHOP_DATABASE_URL"])
    ledger.clear_verify_failures()
    shop.reset()  # a fresh backend and read cache: tests change orders behind the bot's back
    return os.environ["KD_SHOP_DATABASE_URL"]
