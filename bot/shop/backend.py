"""The one shop interface the actions use: `ShopBackend`, its errors, and how to add a backend.

A backend connects one shop platform (the demo shop, Shopware 6, Shopify, WooCommerce, …). It
reads orders into the platform-neutral records of bot/shop/model.py and carries out the few
writes a customer confirmed in the chat. The actions reach it only through `actions/shop.py`
(which adds the per-conversation cache and the "cannot do that here / shop is down" answers).

Adding a backend
----------------
1. `bot/shop/<platform>.py`: a subclass of `ShopBackend` with `name`, `capabilities` (only what it
   really does) and the async methods for those capabilities; leave the others to the base class,
   which raises `NotSupported`. Build it with `@classmethod from_config(cls, config)` where
   `config` is the `ShopConfig` from bot/shop/registry.py (company.yml `shop:` + secrets from env).
2. Talk HTTP only through bot/shop/http.py (`ShopHttp`): it applies the timeout, retries with
   back-off, honours 429/Retry-After and turns network trouble into `ShopUnavailable`. Never log
   a response body, order number or e-mail.
3. Register it in `BACKENDS` in bot/shop/registry.py (one line), declare its secrets as KD_* in
   bot/shared/config.py, and say what it needs in docs/operator/shops.md.
4. Tests: `tests/fakes_shop/<platform>.py` (a local aiohttp fake speaking the platform's wire
   format), `tests/unit/shop/test_<platform>.py`, and one entry in `tests/shop_backends.py`
   so the reply-level dialogues run against it too.

Rules every backend keeps
-------------------------
- Reads: `find_order` returns None for an unknown number (never raises NotFound for that).
- Writes are idempotent: `cancel` on an already cancelled order succeeds and returns it; the
  `idempotency_key` (stable for one confirmed request) goes to platforms that accept one.
- State rules are checked against the shop's *current* state before writing (`NotAllowed`).
- Network trouble, timeouts, 5xx and exhausted rate limits are `ShopUnavailable`; wrong
  credentials or a missing permission are `ShopConfigError` (an operator's problem, see
  `python -m bot.shop check`).
"""

from __future__ import annotations

import hmac
from typing import ClassVar, FrozenSet, List, Sequence, Tuple

from bot.shop.model import Address, Capability, Item, Order, ReturnCase, Ticket


class ShopError(Exception):
    """Base of everything a backend raises on purpose. Messages never contain shop data."""


class ShopUnavailable(ShopError):
    """The shop did not answer in time, answered 5xx, or kept rate-limiting: try later / a human."""


class ShopConfigError(ShopError):
    """The shop refused us: wrong URL, bad credentials, a missing API permission, TLS trouble.

    `reason` is one of "url", "credentials", "permission", "tls", "config" (bot/shop/check.py
    turns it into the operator's German/English message)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class NotSupported(ShopError):
    """The backend lacks this capability (declared in `capabilities`)."""

    def __init__(self, capability: Capability) -> None:
        super().__init__(capability.value)
        self.capability = capability


class NotFound(ShopError):
    """A record a write refers to does not exist (any more)."""


class NotAllowed(ShopError):
    """The shop's current state forbids the write (e.g. cancelling a shipped order)."""


class ShopBackend:
    """Async access to one shop. Subclasses override what their `capabilities` declare."""

    name: ClassVar[str] = "abstract"
    capabilities: ClassVar[FrozenSet[Capability]] = frozenset({Capability.FIND_ORDER})
    secrets: ClassVar[Tuple[str, ...]] = ()  # its KD_* credentials (named by check-shop)

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _lacks(self, capability: Capability) -> NotSupported:
        return NotSupported(capability)

    # --- reads -------------------------------------------------------------------------------
    async def find_order(self, number: str) -> Order | None:
        """The order with this (normalised) number, or None."""
        raise NotImplementedError

    async def verify(self, order: Order, email: str) -> bool:
        """Whether `email` is the order's e-mail (case-insensitive, constant time)."""
        given = email.strip().lower().encode()
        return bool(order.email) and hmac.compare_digest(
            order.email.strip().lower().encode(), given
        )

    async def orders_by_email(self, email: str) -> List[str]:
        """Order numbers of the customer with this e-mail, newest first (order-number help)."""
        raise self._lacks(Capability.ORDERS_BY_EMAIL)

    # --- writes (only what the customer confirmed) ---------------------------------------------
    async def cancel(self, order: Order, idempotency_key: str) -> Order:
        """Cancel the whole order; an already cancelled order is success. NotAllowed once shipped."""
        raise self._lacks(Capability.CANCEL)

    async def change_address(self, order: Order, address: Address) -> Order:
        """Replace the shipping address while nothing has shipped; NotAllowed afterwards."""
        raise self._lacks(Capability.CHANGE_ADDRESS)

    async def create_return(
        self, order: Order, items: Sequence[Item], reason: str, mode: str
    ) -> ReturnCase:
        """Announce a return (`mode` "refund" or "exchange") of these items (all when empty)."""
        raise self._lacks(Capability.CREATE_RETURN)

    async def create_ticket(self, order: Order | None, kind: str, text: str) -> Ticket:
        """Leave a request for the team in the shop (ticket or order note)."""
        raise self._lacks(Capability.TICKETS)

    async def withdraw(self, order: Order, reference: str) -> None:
        """Withdraw this order's open return or request `reference` (the customer changed their mind);
        NotFound when the order has no such open record, NotAllowed once the team has acted on it."""
        raise self._lacks(Capability.WITHDRAW)

    async def send_order_numbers(self, email: str) -> bool:
        """Have the shop mail this address's owner their order numbers; whether there were any.
        The chat never tells the customer the result (nobody learns whether an address has orders)."""
        raise self._lacks(Capability.SEND_ORDER_NUMBERS)

    # --- operations ------------------------------------------------------------------------------
    async def check(self) -> Order | None:
        """Credentials work and one order can be read (the newest, or None in an empty shop).
        Raises ShopConfigError / ShopUnavailable; used by `python -m bot.shop check`."""
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections (the action server calls this at shutdown; tests after each run)."""
