"""Where one handoff stands against one target: time left, a warning before the breach, met or missed.

The clock starts when the handoff was queued (a transfer to another team keeps that time, as the
queue does) and stops at the first agent reply (first response) or when the agent closed or handed
the conversation back (resolution). Only the team's business time counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict

from bot.hub.sla.clock import aware, business_seconds, deadline
from bot.hub.store.serialize import iso
from bot.shared.calendar import Calendar

# running: time left; warning: at most warn_percent of the target left; breached: past it, still open;
# met / missed: stopped within / after the target
STATES = ("running", "warning", "breached", "met", "missed")


def standing(
    calendar: Calendar,
    target_seconds: int,
    warn_percent: int,
    started: datetime,
    stopped: datetime | None,
    now: datetime,
) -> Dict[str, Any]:
    end = stopped or now
    elapsed = business_seconds(calendar, started, end)
    left = target_seconds - elapsed
    if stopped is not None:
        state = "met" if left >= 0 else "missed"
    elif left < 0:
        state = "breached"
    elif left <= target_seconds * warn_percent / 100:
        state = "warning"
    else:
        state = "running"
    due = deadline(calendar, started, target_seconds)
    return {
        "state": state,
        "target_seconds": target_seconds,
        "elapsed_seconds": int(elapsed),
        "left_seconds": int(left),
        "due_at": iso(due.replace(tzinfo=None)) if due else None,
        # outside the team's hours the clock stands still: the console says so instead of counting down
        "paused": stopped is None and not calendar.is_open(aware(now)),
    }
