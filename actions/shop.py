"""The actions' one way to the shop: the configured backend (bot/shop), cached reads per
conversation, the ledger of what the bot created, and the two honest answers every flow shares
when the shop cannot help - "that is not possible here" (a capability the backend lacks) and
"the shop is not answering" (down, slow, throttling). Both offer a human, who takes a ticket
outside business hours; the turn never hangs (bot/shop/http.py's deadline) and never fails
silently.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any, Awaitable, Callable, List, Sequence, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.shop import ledger
from bot.shop.backend import NotSupported, ShopBackend, ShopConfigError, ShopUnavailable
from bot.shop.cache import ReadCache
from bot.shop.ledger import (
    Subject,
    clear_verify_failures,
    record_verify_failure,
    verify_failure_times,
)
from bot.shop.model import (
    CANCELLED,
    DELIVERED,
    PROCESSING,
    SHIPPED,
    Address,
    Capability,
    Item,
    Order,
    ReturnCase,
    Ticket,
)
from bot.shop.numbers import OrderNumbers
from bot.shop.registry import ShopConfig, create_backend, load_config
from bot.shop.tracking import Tracker as ParcelTracker
from bot.shop.tracking import track_order, trackers_from_config

__all__ = [
    "CANCELLED",
    "DELIVERED",
    "PROCESSING",
    "SHIPPED",
    "Capability",
    "Order",
    "Subject",
    "clear_verify_failures",
    "record_verify_failure",
    "verify_failure_times",
]

# Notes in the handoff summary (`bot_actions`); verification's unverified() recognises SHOP_DOWN.
SHOP_DOWN = "Shop nicht erreichbar"
NOT_HERE = "Im Chat nicht möglich"
# What the customer is told a missing capability would have been.
WHAT = {
    Capability.CANCEL: "Stornierung",
    Capability.CHANGE_ADDRESS: "Adressänderung",
    Capability.CREATE_RETURN: "Rücksendung",
    Capability.READ_RETURNS: "Stand der Rücksendung",
    Capability.INVOICES: "Rechnung",
    Capability.TICKETS: "Anliegen an das Team",
    Capability.ORDERS_BY_EMAIL: "Bestellnummern per E-Mail",
    Capability.SEND_ORDER_NUMBERS: "Bestellnummern per E-Mail",
    Capability.FIND_ORDER: "Bestellung",
    Capability.WITHDRAW: "Zurückziehen eines Vorgangs",
}

_state: dict[str, Any] = {}


def config() -> ShopConfig:
    if "config" not in _state:
        _state["config"] = load_config()
    cfg: ShopConfig = _state["config"]
    return cfg


def backend() -> ShopBackend:
    """The configured backend, built once per process (tests call reset())."""
    if "backend" not in _state:
        _state["backend"] = create_backend(config())
    shop: ShopBackend = _state["backend"]
    return shop


def trackers() -> dict[str, ParcelTracker]:
    """Carrier tracking (bot/shop/tracking) for the carriers whose keys are set; none by default."""
    if "trackers" not in _state:
        _state["trackers"] = trackers_from_config(config())
    found: dict[str, ParcelTracker] = _state["trackers"]
    return found


def cache() -> ReadCache[Order]:
    if "cache" not in _state:
        _state["cache"] = ReadCache[Order](config().cache_seconds)
    reads: ReadCache[Order] = _state["cache"]
    return reads


def reset() -> None:
    """Forget the backend, configuration and cache (tests switch backends)."""
    _state.clear()


def numbers() -> OrderNumbers:
    return config().numbers


def normalize_order_id(value: Any) -> str | None:
    """The order number in `value` in the shop's format (company.yml shop.order_numbers), or None."""
    return numbers().normalize(value)


def supports(capability: Capability) -> bool:
    """Whether the configured backend can do this; a backend that cannot even be built (a
    configuration error, see `python -m bot.shop check`) can do nothing."""
    try:
        return backend().supports(capability)
    except ShopConfigError:
        return False


def _conversation(tracker: Tracker | None) -> str:
    return tracker.sender_id if tracker is not None else ""


async def find_order(number: str, tracker: Tracker | None = None) -> Order | None:
    """The order, read at most once per conversation within KD_SHOP_CACHE_SECONDS."""
    key = (_conversation(tracker), number)
    cached = cache().get(key)
    if cached is not None:
        return cached
    order = await backend().find_order(number)
    if order is not None:
        cache().put(key, order)
    return order


async def tracked_order(number: str, tracker: Tracker | None = None) -> Order | None:
    """find_order plus the carrier's last scan, estimate and delivery time (bot/shop/tracking),
    for a verified customer only: nobody makes the bot ask a carrier by typing order numbers.
    Cached like find_order; the shop's dates stand when no carrier answers."""
    order = await find_order(number, tracker)
    if order is None or not trackers():
        return order
    key = (_conversation(tracker), number, "tracked")
    cached = cache().get(key)
    if cached is None:
        cached = await track_order(order, trackers())
        cache().put(key, cached)
    return cached


async def fresh_order(number: str, tracker: Tracker | None = None) -> Order | None:
    """The order as the shop has it now (before a write the customer confirmed)."""
    cache().drop((_conversation(tracker), number))
    cache().drop((_conversation(tracker), number, "tracked"))
    return await find_order(number, tracker)


async def email_matches(order: Order, email: str) -> bool:
    return await backend().verify(order, email)


def _require(capability: Capability) -> ShopBackend:
    """The backend, if it declares this capability (what it declares is what the bot does)."""
    shop = backend()
    if not shop.supports(capability):
        raise NotSupported(capability)
    return shop


def _forget(tracker: Tracker | None, order: Order) -> None:
    cache().drop((_conversation(tracker), order.number))
    cache().drop((_conversation(tracker), order.number, "tracked"))


async def cancel(order: Order, tracker: Tracker) -> Order:
    """Cancel; the key makes a retried confirmation of the same request one cancellation."""
    _forget(tracker, order)
    key = hashlib.sha256(f"{tracker.sender_id}:{order.key}:cancel".encode()).hexdigest()[:32]
    return await _require(Capability.CANCEL).cancel(order, key)


async def change_address(order: Order, address: str, tracker: Tracker) -> Order:
    _forget(tracker, order)
    return await _require(Capability.CHANGE_ADDRESS).change_address(order, Address.parse(address))


async def create_return(
    order: Order, reason: str, mode: str, tracker: Tracker, items: Sequence[Item] = ()
) -> ReturnCase:
    """A return (of `items`, all when empty), recorded in the ledger as created in this conversation."""
    _forget(tracker, order)
    ret = await _require(Capability.CREATE_RETURN).create_return(order, items, reason, mode)
    ledger.record_created(tracker.sender_id, "return", ret.reference, backend().name)
    return ret


async def create_ticket(
    order: Order | None, kind: str, text: str, tracker: Tracker | None
) -> Ticket:
    """A request for the team, recorded as created in the tracker's conversation; None for one
    that is not the conversation's customer's (the order-number mail to an address's owner)."""
    if order is not None:
        _forget(tracker, order)
    ticket = await _require(Capability.TICKETS).create_ticket(order, kind, text)
    if tracker is not None:
        ledger.record_created(tracker.sender_id, "ticket", ticket.reference, backend().name)
    return ticket


async def withdraw(order: Order, reference: str, tracker: Tracker) -> None:
    """Withdraw an open return or request of the order; the ledger forgets it (it no longer exists)."""
    _forget(tracker, order)
    await _require(Capability.WITHDRAW).withdraw(order, reference)
    ledger.forget_created(tracker.sender_id, reference)


async def send_order_numbers(email: str) -> bool:
    """Have the shop mail the address's owner their order numbers (the chat never tells whether
    there were any, so nobody learns through the bot whether an address has orders)."""
    return await _require(Capability.SEND_ORDER_NUMBERS).send_order_numbers(email)


def item_names(order: Order) -> str:
    """ "A; B und C": item names contain commas ("Wanderschuhe Alpin Pro, Gr. 39"), so no comma list."""
    names = [f"{i.quantity}× {i.name}" if i.quantity > 1 else i.name for i in order.items]
    return " und ".join(filter(None, ["; ".join(names[:-1]), names[-1]])) if names else ""


def euro(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


def remember_note(tracker: Tracker, note: str) -> SlotSet:
    history: List[str] = list(tracker.get_slot("bot_actions") or [])
    if history[-1:] != [note]:
        history = (history + [note])[-10:]
    return SlotSet("bot_actions", history)


def not_here(
    dispatcher: CollectingDispatcher, tracker: Tracker, capability: Capability
) -> List[EventType]:
    """The backend lacks this capability: say so plainly and offer a human ("ja" hands over)."""
    what = WHAT.get(capability, capability.value)
    dispatcher.utter_message(response="utter_shop_cannot_here", what=what)
    return [remember_note(tracker, f"{NOT_HERE}: {what}")]


def unavailable(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The shop is down, slow or throttling (or refuses our credentials): say so, offer a human."""
    dispatcher.utter_message(response="utter_shop_unavailable")
    return [remember_note(tracker, SHOP_DOWN)]


Run = TypeVar("Run", bound=Callable[..., Awaitable[List[EventType]]])


def guarded(run: Run) -> Run:
    """For an action's run(): a shop that is down or lacks a capability gets the honest answer
    instead of an exception (which Rasa would turn into silence)."""

    @functools.wraps(run)
    async def wrapper(
        self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> List[EventType]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except NotSupported as missing:
            return not_here(dispatcher, tracker, missing.capability)
        except (ShopUnavailable, ShopConfigError):
            return unavailable(dispatcher, tracker)

    return wrapper  # type: ignore[return-value]
