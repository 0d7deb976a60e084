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
# verifications of one order number, in one conversation (sender id), or from one network (the
# hub's keyed hash of the client address) within the window lock every further verification of
# that order / in that conversation / from that network for the lock time. The network's limit is
# far above what a shared office or carrier address reaches by honest use (actions/verification.py).
VERIFY_ORDER_LIMIT: int = SETTINGS["KD_VERIFY_ORDER_LIMIT"].read()
VERIFY_SENDER_LIMIT: int = SETTINGS["KD_VERIFY_SENDER_LIMIT"].read()
VERIFY_CLIENT_LIMIT: int = SETTINGS["KD_VERIFY_CLIENT_LIMIT"].read()
VERIFY_WINDOW_SECONDS: int = SETTINGS["KD_VERIFY_WINDOW_SECONDS"].read()
VERIFY_LOCK_SECONDS: int = SETTINGS["KD_VERIFY_LOCK_SECONDS"].read()
EMPATHY_THRESHOLD: float = SETTINGS["KD_EMPATHY_THRESHOLD"].read()
