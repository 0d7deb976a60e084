"""Shop tests that touch the local database get a freshly seeded demo shop."""

from __future__ import annotations

import os

import pytest


@pytest.fixture()
def shop_db() -> str:
    from bot.shop import ledger
    from bot.shop.demo_seed import seed

    seed(os.environ["KD_SHOP_DATABASE_URL"])
    ledger.clear_verify_failures()
    return os.environ["KD_SHOP_DATABASE_URL"]
