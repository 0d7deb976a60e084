"""bot/shop/check.py: `python -m bot.shop check` against the fake Shopware - it works, or it says
in German and English what to fix."""

from __future__ import annotations

from typing import AsyncIterator, Dict, List

import pytest

from bot.shop.backend import ShopError
from bot.shop.check import explain, main, run_check
from bot.shop.registry import load_config
from tests.fakes_shop.base import serving
from tests.fakes_shop.shopware import ALL_PRIVILEGES, FakeShopware


@pytest.fixture()
async def fake() -> AsyncIterator[FakeShopware]:
    async with serving(FakeShopware()) as served:
        yield served


def env(fake: FakeShopware, **extra: str) -> Dict[str, str]:
    return {
        "KD_SHOP_BACKEND": "shopware",
        "KD_SHOP_URL": fake.url,
        "KD_SHOPWARE_CLIENT_ID": fake.client_id,
        "KD_SHOPWARE_CLIENT_SECRET": fake.client_secret,
        "KD_SHOP_TIMEOUT": "2",
        **extra,
    }


async def failure(environ: Dict[str, str]) -> str:
    config = load_config({}, environ)
    with pytest.raises(ShopError) as info:
        await run_check(config)
    return explain(info.value, config)


async def test_working_settings_read_the_newest_order(fake: FakeShopware) -> None:
    said = await run_check(load_config({}, env(fake)))
    assert "funktioniert: neueste Bestellung 1002" in said and "works: newest order" in said
    assert "@" not in said  # nothing personal


async def test_wrong_url(fake: FakeShopware) -> None:
    said = await failure(env(fake, KD_SHOP_URL=fake.url + "/admin"))
    assert "Unter " in said and "No shopware API answers" in said and "KD_SHOP_URL" in said


async def test_nobody_at_the_address() -> None:
    said = await failure(
        {**env(FakeShopware()), "KD_SHOP_URL": "http://127.0.0.1:9", "KD_SHOP_RETRIES": "1"}
    )
    assert "nicht erreichbar" in said and "cannot be reached" in said


async def test_bad_credentials(fake: FakeShopware) -> None:
    said = await failure(env(fake, KD_SHOPWARE_CLIENT_SECRET="falsch"))
    assert "lehnt die Zugangsdaten ab" in said and "refuses the credentials" in said
    assert "KD_SHOPWARE_CLIENT_ID / KD_SHOPWARE_CLIENT_SECRET" in said


async def test_missing_permission_names_it(fake: FakeShopware) -> None:
    fake.privileges = set(ALL_PRIVILEGES) - {"order:read"}
    said = await failure(env(fake))
    assert "fehlt eine Berechtigung" in said and "order:read" in said and "permission" in said


async def test_untrusted_certificate(fake: FakeShopware, tls_server: str) -> None:
    said = await failure(env(fake, KD_SHOP_URL=tls_server))
    assert "TLS-Fehler" in said and "KD_SHOP_CA_FILE" in said and "TLS error" in said


async def test_missing_secret_is_a_configuration_error() -> None:
    said = await failure({"KD_SHOP_BACKEND": "shopware", "KD_SHOP_URL": "https://shop.example.de"})
    assert "Konfigurationsfehler" in said and "KD_SHOPWARE_CLIENT_ID" in said


def test_the_command_exits_0_or_1(monkeypatch: pytest.MonkeyPatch) -> None:
    lines: List[str] = []
    monkeypatch.setenv("KD_SHOP_BACKEND", "demo")
    assert main(["check"], lines.append) == 0 and "funktioniert" in lines[-1]
    monkeypatch.setenv("KD_SHOP_BACKEND", "magento")
    assert main(["check"], lines.append) == 1 and "unknown shop backend" in lines[-1]
    assert main([], lines.append) == 2
