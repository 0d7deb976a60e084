"""bot/shop/cache.py: reads live `ttl` seconds, the oldest go first, writes drop them."""

from __future__ import annotations

from bot.shop.cache import ReadCache


def test_entries_expire_and_can_be_dropped() -> None:
    now = [0.0]
    cache: ReadCache[str] = ReadCache(10, clock=lambda: now[0])
    cache.put(("c1", "100234"), "order")
    assert cache.get(("c1", "100234")) == "order" and cache.get(("c2", "100234")) is None
    now[0] = 10.0
    assert cache.get(("c1", "100234")) is None
    cache.put(("c1", "1"), "a")
    cache.put(("c2", "1"), "b")
    cache.drop_where(lambda key: key[0] == "c1")  # type: ignore[index]
    assert cache.get(("c1", "1")) is None and cache.get(("c2", "1")) == "b"


def test_it_holds_at_most_max_entries_and_nothing_with_ttl_zero() -> None:
    cache: ReadCache[int] = ReadCache(60, max_entries=2)
    for n in range(3):
        cache.put(n, n)
    assert cache.get(0) is None and cache.get(2) == 2
    off: ReadCache[int] = ReadCache(0)
    off.put(1, 1)
    assert off.get(1) is None
