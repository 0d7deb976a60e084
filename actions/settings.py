"""Settings of the action server, read once from the environment."""

from __future__ import annotations

import os

SHOP_DATABASE_URL = os.environ.get("KD_SHOP_DATABASE_URL", "sqlite:///var/shop.db")
MAX_VERIFY_ATTEMPTS = int(os.environ.get("KD_MAX_VERIFY_ATTEMPTS", "3"))
EMPATHY_THRESHOLD = float(os.environ.get("KD_EMPATHY_THRESHOLD", "0.35"))
