"""Which shop the bot talks to: company.yml `shop:` (non-secret) plus secrets from the environment.

    shop:
      backend: shopware              # demo (default) | shopware | …  (BACKENDS below)
      url: https://shop.example.de   # the shop's base URL (KD_SHOP_URL overrides it)
      order_numbers: {pattern: '(?:SW)?\\s*(\\d{5,})', prefix: '', example: '10023'}
      shopware: {...}                # the backend's own non-secret options

Secrets (API keys, client secrets) are never in company.yml: each backend names its KD_*
variables in `secrets` (declared in bot/shared/config.py, "Shop" group). KD_SHOP_BACKEND and
KD_SHOP_URL override the file, so tests and staging can point the same company.yml at a fake.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping

from bot.shared.company import company
from bot.shared.config import SETTINGS
from bot.shop.backend import ShopBackend, ShopConfigError
from bot.shop.numbers import OrderNumbers

# backend name -> "module:class"; imported only when chosen.
BACKENDS: Dict[str, str] = {
    "demo": "bot.shop.demo:DemoShop",
    "shopware": "bot.shop.shopware:ShopwareShop",
    "shopify": "bot.shop.shopify:ShopifyShop",
    "woocommerce": "bot.shop.woocommerce:WooCommerceShop",
}


@dataclass(frozen=True)
class ShopConfig:
    backend: str = "demo"
    url: str = ""
    numbers: OrderNumbers = field(default_factory=OrderNumbers)
    options: Mapping[str, Any] = field(default_factory=dict)  # company.yml shop.<backend>
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    timeout: float = 8.0
    retries: int = 3
    cache_seconds: float = 60.0
    ca_file: str = ""

    def setting(self, env: str) -> Any:
        """A declared KD_* value (a backend's secret), read from this config's environment."""
        return SETTINGS[env].read(self.environ)

    def secret(self, env: str) -> str:
        value = str(self.setting(env) or "")
        if not value:
            raise ShopConfigError(
                "config", f"{env} is not set (the {self.backend} backend needs it)"
            )
        return value


def load_config(
    raw: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> ShopConfig:
    """The shop configuration from company.yml's `shop:` (raw) and the environment."""
    import os

    env: Mapping[str, str] = dict(os.environ) if environ is None else environ
    section = dict((company().raw.get("shop") if raw is None else raw) or {})
    backend = str(SETTINGS["KD_SHOP_BACKEND"].read(env) or section.get("backend") or "demo")
    backend = backend.strip().lower()
    if backend not in BACKENDS:
        raise ShopConfigError(
            "config", f"unknown shop backend {backend!r} (choose one of {', '.join(BACKENDS)})"
        )
    try:
        numbers = OrderNumbers.from_config(section.get("order_numbers"))
    except ValueError as exc:
        raise ShopConfigError("config", str(exc)) from None
    return ShopConfig(
        backend=backend,
        url=str(SETTINGS["KD_SHOP_URL"].read(env) or section.get("url") or "").rstrip("/"),
        numbers=numbers,
        options=dict(section.get(backend) or {}),
        environ=env,
        timeout=SETTINGS["KD_SHOP_TIMEOUT"].read(env),
        retries=SETTINGS["KD_SHOP_RETRIES"].read(env),
        cache_seconds=SETTINGS["KD_SHOP_CACHE_SECONDS"].read(env),
        ca_file=str(SETTINGS["KD_SHOP_CA_FILE"].read(env) or ""),
    )


def create_backend(config: ShopConfig) -> ShopBackend:
    module, _, name = BACKENDS[config.backend].partition(":")
    cls = getattr(importlib.import_module(module), name)
    backend: ShopBackend = cls.from_config(config)
    return backend
