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
    from actions.seed import seed

    seed(os.environ["KD_SHOP_DATABASE_URL"])
    shop.clear_verify_failures()
    return os.environ["KD_SHOP_DATABASE_URL"]
