"""Settings of the action server, read once from the environment."""

from __future__ import annotations

import os

SHOP_DATABASE_URL = os.environ.get("KD_SHOP_DATABASE_URL", "sqlite:///var/shop.db")
# Wrong e-mails in one conversation before the form gives up and offers a human.
MAX_VERIFY_ATTEMPTS = int(os.environ.get("KD_MAX_VERIFY_ATTEMPTS", "3"))
# Persistent lockout (shop database, survives /restart and new conversations): this many failed
# verifications of one order number, or by one client (sender id; hashed client IP from the hub),
# within the window pause every further verification of that order / by that client for the lock time.
VERIFY_ORDER_LIMIT = int(os.environ.get("KD_VERIFY_ORDER_LIMIT", "5"))
VERIFY_CLIENT_LIMIT = int(os.environ.get("KD_VERIFY_CLIENT_LIMIT", "10"))
VERIFY_WINDOW_SECONDS = int(os.environ.get("KD_VERIFY_WINDOW_SECONDS", "3600"))
VERIFY_LOCK_SECONDS = int(os.environ.get("KD_VERIFY_LOCK_SECONDS", "3600"))
EMPATHY_THRESHOLD = float(os.environ.get("KD_EMPATHY_THRESHOLD", "0.35"))
