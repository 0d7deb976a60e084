"""Parcel tracking: what the carrier says about a parcel, over the shop's own dates.

Shops know when they handed a parcel over and what they promised; only the carrier knows the
last scan, a delay or the time of delivery. `track_order` asks the carrier of each parcel of a
shipped order (DHL: bot/shop/tracking/dhl.py) and puts its answer into the order's shipments:
`last_event`, `delivered_at`, and the carrier's `expected_delivery` where it has one. Whenever
the carrier cannot answer (no tracker for it, no key, unknown number, slow, down, refused), the
shop's own data stays: tracking improves an answer, it never fails one.

DPD and Hermes are not here: neither documents a public tracking API. DPD Germany's web
services (SOAP, parcel life cycle) need a DPD customer login (delisId and password from a
contract); Hermes offers only its business interface (HSI) to contract customers, and the
website's tracking endpoint is undocumented - nothing a product should depend on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Mapping, Protocol

from bot.shop.backend import ShopError
from bot.shop.model import DELIVERED, SHIPPED, Order, Shipment

# the carrier's phase of the parcel (DHL's statusCode values)
PRE_TRANSIT = "pre-transit"
TRANSIT = "transit"
DELIVERED_CODE = "delivered"
FAILURE = "failure"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Tracking:
    """The carrier's view of one parcel. Dates are naive UTC, like the model's."""

    status: str  # PRE_TRANSIT, TRANSIT, DELIVERED_CODE, FAILURE or UNKNOWN
    last_event: str = ""  # the carrier's text of its latest event
    last_event_at: datetime | None = None
    last_place: str = ""  # the town of the latest event, when the carrier names one
    estimated_delivery: datetime | None = None
    delivered_at: datetime | None = None


class Tracker(Protocol):
    carrier: str  # as bot/shop/platform.carrier_name writes it: "DHL"

    async def track(self, tracking_number: str) -> Tracking | None:
        """The parcel's tracking, or None when the carrier does not know the number.
        Raises ShopUnavailable / ShopConfigError like a shop backend."""
        ...

    async def check(self) -> None:
        """The carrier accepts our key (raises ShopConfigError / ShopUnavailable otherwise)."""
        ...

    async def close(self) -> None: ...


def event_text(tracking: Tracking) -> str:
    """'02.12., Bruchsal: Die Sendung wurde … bearbeitet.' - the event as the flows quote it."""
    where = ", ".join(
        filter(
            None,
            [
                tracking.last_event_at.strftime("%d.%m.") if tracking.last_event_at else "",
                tracking.last_place,
            ],
        )
    )
    return f"{where}: {tracking.last_event}" if where else tracking.last_event


def merged(shipment: Shipment, tracking: Tracking) -> Shipment:
    """The shipment with what the carrier knows; the shop's own dates where the carrier is silent."""
    return dataclasses.replace(
        shipment,
        last_event=event_text(tracking) if tracking.last_event else shipment.last_event,
        delivered_at=tracking.delivered_at or shipment.delivered_at,
        expected_delivery=tracking.estimated_delivery or shipment.expected_delivery,
    )


async def track_order(order: Order, trackers: Mapping[str, Tracker]) -> Order:
    """The order with each parcel's carrier tracking applied (see the module's docstring)."""
    if order.status not in (SHIPPED, DELIVERED) or not trackers:
        return order
    shipments = []
    for shipment in order.shipments:
        tracker = trackers.get(shipment.carrier)
        tracking = None
        if tracker is not None and shipment.tracking_number:
            try:
                tracking = await tracker.track(shipment.tracking_number)
            except ShopError:  # the carrier is slow, down or refuses us: the shop's data stands
                tracking = None
        shipments.append(merged(shipment, tracking) if tracking else shipment)
    status = order.status
    if shipments and all(s.delivered_at for s in shipments):
        status = DELIVERED
    return dataclasses.replace(order, shipments=tuple(shipments), status=status)


def trackers_from_config(config: Any) -> Dict[str, Tracker]:
    """The carriers whose keys are configured (`config`: bot/shop/registry.ShopConfig)."""
    found: Dict[str, Tracker] = {}
    key = str(config.setting("KD_DHL_API_KEY") or "")
    if key:
        from bot.shop.tracking.dhl import DhlTracker

        found["DHL"] = DhlTracker(
            str(config.setting("KD_DHL_API_URL")),
            key,
            timeout=min(config.timeout, 5.0),
            retries=config.retries,
            ca_file=config.ca_file,
        )
    return found


async def check_trackers(config: Any) -> str:
    """For `python -m bot.shop check`: one German and one English line per configured carrier."""
    lines = []
    for carrier, tracker in trackers_from_config(config).items():
        try:
            await tracker.check()
            lines += [
                f"Sendungsverfolgung {carrier}: funktioniert.",
                f"{carrier} tracking: works.",
            ]
        except ShopError as error:
            reason = getattr(error, "reason", "unreachable")
            lines += [
                f"Sendungsverfolgung {carrier}: geht nicht ({reason}) - prüfen Sie den Schlüssel "
                f"(KD_{carrier.upper()}_API_KEY); bis dahin gelten die Daten des Shops.",
                f"{carrier} tracking: fails ({reason}) - check the key (KD_{carrier.upper()}_API_KEY); "
                "until then the shop's own dates are used.",
            ]
        finally:
            await tracker.close()
    return "\n".join(lines)
