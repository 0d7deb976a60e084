"""Replay protection for webhooks.

A signature proves that the platform sent a body, not when: a captured Meta request
stays correctly signed forever, and once `inbound_updates` has forgotten its id it
would be answered again. So an update whose own timestamp is older than the channel's
window (`max_age` of its settings, KD_WEBHOOK_MAX_AGE, default a day) is acknowledged
with 200 (an error would make the platform redeliver it for hours) and dropped.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

log = logging.getLogger(__name__)


def is_fresh(
    channel: str, update_id: Any, timestamp: Any, window: float, unit: float = 1.0
) -> bool:
    """Whether a platform timestamp (seconds since the epoch; unit=1000 for milliseconds) is within the window.

    A missing or unreadable timestamp counts as stale: every message event of the platforms has one."""
    try:
        seconds = float(timestamp) / unit if not isinstance(timestamp, bool) else None
    except (TypeError, ValueError):
        seconds = None
    if seconds is not None and math.isfinite(seconds) and time.time() - seconds <= window:
        return True
    log.warning(
        "%s: update %s ignored: its timestamp %r is older than %.0f s (replay or late redelivery)",
        channel,
        update_id,
        timestamp,
        window,
    )
    return False
