"""Every shop backend the reply-level dialogues run against (tests/integration/test_shop_replies.py).

Adding a backend is one entry in BACKENDS: its name in bot/shop/registry.py, a factory for its
fake platform (None for the demo shop, which needs none) and the environment the action server
gets with the fake's URL - the same KD_* variables an operator sets.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List

from tests.fakes_shop.base import FakeShopPlatform


@dataclass(frozen=True)
class BackendCase:
    name: str  # bot/shop/registry.py BACKENDS key
    fake: Callable[[], FakeShopPlatform] | None  # None: no platform to fake (the demo shop)
    env: Callable[[Any], Dict[str, str]]  # the fake (or None) -> KD_* for the action server

    @property
    def capabilities(self) -> FrozenSet[str]:
        from bot.shop.registry import BACKENDS

        module, _, cls = BACKENDS[self.name].partition(":")
        declared = getattr(importlib.import_module(module), cls).capabilities
        return frozenset(c.value for c in declared)


def _shopware() -> FakeShopPlatform:
    from tests.fakes_shop.shopware import FakeShopware

    return FakeShopware()


def _shopify() -> FakeShopPlatform:
    from tests.fakes_shop.shopify import FakeShopify

    return FakeShopify()


def _woocommerce() -> FakeShopPlatform:
    """WooCommerce knows no delivery: DHL's tracking (same server) says when a parcel arrived."""
    from tests.fakes_shop.dhl import FakeDhl
    from tests.fakes_shop.woocommerce import FakeWooCommerce

    fake = FakeWooCommerce()
    fake.dhl = FakeDhl().serve_on(fake)  # type: ignore[attr-defined]
    return fake


BACKENDS: List[BackendCase] = [
    BackendCase("demo", None, lambda fake: {"KD_SHOP_BACKEND": "demo"}),
    BackendCase(
        "shopware",
        _shopware,
        lambda fake: {
            "KD_SHOP_BACKEND": "shopware",
            "KD_SHOP_URL": fake.url,
            "KD_SHOPWARE_CLIENT_ID": fake.client_id,
            "KD_SHOPWARE_CLIENT_SECRET": fake.client_secret,
        },
    ),
    BackendCase(
        "shopify",
        _shopify,
        lambda fake: {
            "KD_SHOP_BACKEND": "shopify",
            "KD_SHOP_URL": fake.url,
            "KD_SHOPIFY_ACCESS_TOKEN": fake.token,
        },
    ),
    BackendCase(
        "woocommerce",
        _woocommerce,
        lambda fake: {
            "KD_SHOP_BACKEND": "woocommerce",
            "KD_SHOP_URL": fake.url,
            "KD_WOOCOMMERCE_CONSUMER_KEY": fake.key,
            "KD_WOOCOMMERCE_CONSUMER_SECRET": fake.secret,
            "KD_DHL_API_KEY": fake.dhl.api_key,
            "KD_DHL_API_URL": fake.url,
        },
    ),
]
