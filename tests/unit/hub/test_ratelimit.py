"""The GCRA limiter: bursts up to the limit, then one request per interval; bounded memory without scans."""

from __future__ import annotations

import pytest

from bot.hub.errors import RateLimited
from bot.hub.ratelimit import RateLimiter


def test_burst_then_one_per_interval() -> None:
    limiter = RateLimiter(3, 60.0)
    for _ in range(3):
        limiter.check("a", now=100.0)
    with pytest.raises(RateLimited) as refused:
        limiter.check("a", now=100.0)
    assert refused.value.retry_after == 20
    limiter.check("b", now=100.0)  # keys are independent
    limiter.check("a", now=120.0)  # one interval later, one more
    with pytest.raises(RateLimited):
        limiter.check("a", now=121.0)
    for _ in range(3):
        limiter.check("a", now=300.0)  # idle for a whole window: a full burst again


def test_idle_keys_are_forgotten_without_scanning() -> None:
    limiter = RateLimiter(120, 60.0)
    for i in range(200_000):
        limiter.check(
            f"ip:{i}", now=1000.0 + i * 0.01
        )  # 100 new clients per second, each seen once
    # Only keys used within the last window can hold state: about 60 s x 100/s.
    assert len(limiter) <= 6_100


def test_the_refusal_is_worded_in_the_conversations_register() -> None:
    limiter = RateLimiter(1, 60.0, {"sie": "Bitte warten Sie.", "du": "Bitte warte."})
    limiter.check("a", now=100.0)
    for register, text in (
        ("du", "Bitte warte."),
        ("sie", "Bitte warten Sie."),
        (None, "Bitte warten Sie."),
    ):
        with pytest.raises(RateLimited) as refused:
            limiter.check("a", now=100.0, register=register)
        assert refused.value.message == text
    plain = RateLimiter(1, 60.0)  # without texts: the default pair
    plain.check("a", now=100.0)
    with pytest.raises(RateLimited) as refused:
        plain.check("a", now=100.0, register="du")
    assert "warte einen Moment" in refused.value.message
