"""bot/shop/registry.py: the backend from company.yml `shop:`, overridden and completed from KD_*."""

from __future__ import annotations

import pytest

from bot.shop.backend import ShopConfigError
from bot.shop.demo import DemoShop
from bot.shop.registry import BACKENDS, create_backend, load_config


def test_the_demo_shop_is_the_default() -> None:
    config = load_config({}, {})
    assert config.backend == "demo" and config.numbers.normalize("KD-100234") == "100234"
    assert isinstance(create_backend(config), DemoShop)


def test_company_yml_chooses_and_the_environment_overrides() -> None:
    raw = {
        "backend": "shopware",
        "url": "https://shop.example.de/",
        "order_numbers": {"pattern": r"(?:SW)?(\d{5})", "example": "10023"},
        "shopware": {"note": "x"},
    }
    config = load_config(raw, {"KD_SHOP_TIMEOUT": "3", "KD_SHOPWARE_CLIENT_ID": "id"})
    assert (config.backend, config.url, config.timeout) == (
        "shopware",
        "https://shop.example.de",
        3.0,
    )
    assert config.options == {"note": "x"} and config.secret("KD_SHOPWARE_CLIENT_ID") == "id"
    assert config.numbers.normalize("SW10023") == "10023"
    assert "id" not in repr(config)  # secrets stay out of reprs and logs
    overridden = load_config(raw, {"KD_SHOP_BACKEND": "demo", "KD_SHOP_URL": "http://127.0.0.1:1"})
    assert (overridden.backend, overridden.url) == ("demo", "http://127.0.0.1:1")


def test_configuration_errors_name_what_to_fix() -> None:
    with pytest.raises(ShopConfigError, match="unknown shop backend 'magento'"):
        load_config({"backend": "magento"}, {})
    with pytest.raises(ShopConfigError, match="KD_SHOPWARE_CLIENT_SECRET"):
        load_config({"backend": "shopware"}, {}).secret("KD_SHOPWARE_CLIENT_SECRET")
    with pytest.raises(ShopConfigError, match="pattern"):
        load_config({"order_numbers": {"pattern": "("}}, {})


def test_every_registered_backend_can_be_imported() -> None:
    import importlib

    for name, target in BACKENDS.items():
        module, _, cls = target.partition(":")
        backend = getattr(importlib.import_module(module), cls)
        assert backend.name == name and hasattr(backend, "from_config")
