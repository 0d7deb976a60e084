"""Settings of the action server, read once from the environment.

Declared (default, type, meaning) in bot/shared/config.py, like the hub's; the shop
database is the hub's KD_SHOP_DATABASE_URL, so both sides open the same file.
"""

from __future__ import annotations

from bot.shared.config import SETTINGS

SHOP_DATABASE_URL: str = SETTINGS["KD_SHOP_DATABASE_URL"].read()
# Wrong e-mails in one conversation before the form gives up and offers a human.
MAX_VERIFY_ATTEMPTS: int = SETTINGS["KD_MAX_VERIFY_ATTEMPTS"].read()
# Persistent lockout (shop database, survives /restart and new conversations): this many failed
# verifications of one order number, or by one client (sender id; hashed client IP from the hub),
# within the window pause every further verification of that order / by that client for the lock time.
VERIFY_ORDER_LIMIT: int = SETTINGS["KD_VERIFY_ORDER_LIMIT"].read()
VERIFY_CLIENT_LIMIT: int = SETTINGS["KD_VERIFY_CLIENT_LIMIT"].read()
VERIFY_WINDOW_SECONDS: int = SETTINGS["KD_VERIFY_WINDOW_SECONDS"].read()
VERIFY_LOCK_SECONDS: int = SETTINGS["KD_VERIFY_LOCK_SECONDS"].read()
EMPATHY_THRESHOLD: float = SETTINGS["KD_EMPATHY_THRESHOLD"].read()
