"""`python -m bot.shop check` (also `python -m bot check-shop`): do the shop settings work?

Builds the configured backend (company.yml `shop:` + KD_* secrets), signs in and reads the
newest order, then says in German and English what works or what to fix: wrong URL, refused
credentials, a missing API permission, TLS trouble, an unreachable or overloaded shop, or a
configuration error. It prints the order's number and state only, nothing personal.
Exit status 0 when it works, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Callable, Dict, Tuple

from bot.shop.backend import ShopBackend, ShopConfigError, ShopError
from bot.shop.model import Order
from bot.shop.registry import BACKENDS, ShopConfig, create_backend, load_config
from bot.shop.tracking import check_trackers

STATES = {
    "processing": "in Bearbeitung",
    "shipped": "versandt",
    "delivered": "zugestellt",
    "cancelled": "storniert",
}

# reason -> (German, English); {url}, {backend} and {detail} are filled in.
MESSAGES: Dict[str, Tuple[str, str]] = {
    "url": (
        "Unter {url} antwortet keine {backend}-API. Stimmt die Adresse (company.yml shop.url oder "
        "KD_SHOP_URL)? Gemeint ist die Basisadresse des Shops, ohne /api.",
        "No {backend} API answers at {url}. Is the address right (company.yml shop.url or "
        "KD_SHOP_URL)? It is the shop's base address, without /api.",
    ),
    "unreachable": (
        "Der Shop unter {url} ist nicht erreichbar oder antwortet nicht rechtzeitig "
        "({detail}). Ist die Adresse richtig und der Shop online?",
        "The shop at {url} cannot be reached or does not answer in time ({detail}). Is the "
        "address right and the shop up?",
    ),
    "credentials": (
        "Der Shop lehnt die Zugangsdaten ab. Prüfen Sie {secrets} (docs/operator/shops.md).",
        "The shop refuses the credentials. Check {secrets} (docs/operator/shops.md).",
    ),
    "permission": (
        "Die Zugangsdaten gelten, aber es fehlt eine Berechtigung ({detail}). Ergänzen Sie sie "
        "in der Integration bzw. App des Shops.",
        "The credentials work, but a permission is missing ({detail}). Add it to the shop's "
        "integration or app.",
    ),
    "tls": (
        "TLS-Fehler: Dem Zertifikat von {url} wird nicht vertraut ({detail}). Ist es abgelaufen "
        "oder von einer eigenen CA signiert? Dann deren Zertifikat in KD_SHOP_CA_FILE angeben.",
        "TLS error: the certificate of {url} is not trusted ({detail}). Has it expired, or did a "
        "private CA sign it? Then name that CA's certificate in KD_SHOP_CA_FILE.",
    ),
    "config": ("Konfigurationsfehler: {detail}", "Configuration error: {detail}"),
}


def _secrets(config: ShopConfig | None) -> Tuple[str, ...]:
    """The credentials' KD_* names the configured backend declares."""
    if config is None:
        return ()
    module, _, name = BACKENDS[config.backend].partition(":")
    secrets: Tuple[str, ...] = getattr(importlib.import_module(module), name).secrets
    return secrets


def explain(error: ShopError, config: ShopConfig | None) -> str:
    """The German and the English line for this failure."""
    if isinstance(error, ShopConfigError):
        reason, detail = error.reason, error.detail
    else:
        reason, detail = "unreachable", str(error)
    german, english = MESSAGES.get(reason, MESSAGES["config"])
    values = {
        "secrets": " / ".join(_secrets(config)) or "KD_*",
        "url": (config.url if config else "") or "?",
        "backend": config.backend if config else "?",
        "detail": detail or reason,
    }
    return f"{german.format(**values)}\n{english.format(**values)}"


async def run_check(config: ShopConfig) -> str:
    """What worked, as one German and one English line; raises ShopError."""
    backend: ShopBackend = create_backend(config)
    try:
        order = await backend.check()
    finally:
        await backend.close()
    where = f"{config.backend}" + (f", {config.url}" if config.url else "")
    carriers = await check_trackers(config)  # "" without carrier keys
    return "\n".join(filter(None, [_shop_line(order, where), carriers]))


def _shop_line(order: Order | None, where: str) -> str:
    if order is None:
        return (
            f"Verbindung zum Shop ({where}) funktioniert; der Shop hat noch keine Bestellung.\n"
            f"The shop connection ({where}) works; the shop has no order yet."
        )
    state = STATES.get(order.status, order.status)
    return (
        f"Verbindung zum Shop ({where}) funktioniert: neueste Bestellung {order.number} ({state}).\n"
        f"The shop connection ({where}) works: newest order {order.number} ({order.status})."
    )


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = list(argv or [])
    if args[:1] != ["check"]:
        out("usage: python -m bot.shop check")
        return 2
    config: ShopConfig | None = None
    try:
        config = load_config()
        out(asyncio.run(run_check(config)))
        return 0
    except ShopError as error:
        out(explain(error, config))
    return 1
