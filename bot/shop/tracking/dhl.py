"""DHL's "Shipment Tracking - Unified" API (developer.dhl.com, v1): one GET per parcel.

GET {KD_DHL_API_URL}/track/shipments?trackingNumber=…&language=de with the `DHL-API-Key`
header (a key from the DHL developer portal with the Shipment Tracking - Unified API). The
answer's first shipment gives the phase (`status.statusCode`), the latest event (`status`
description, time, place), DHL's `estimatedTimeOfDelivery` and, once delivered, the time of
delivery (`details.proofOfDelivery.timestamp`, else the delivered event's). Errors are
problem+json: 404 means DHL does not know the number (None), 401 a bad key (ShopConfigError),
429 the key's quota (waits for Retry-After within the deadline, then ShopUnavailable).

DHL writes event times without offset in the local time of the event; for German parcels
that is Europe/Berlin, which is assumed.
"""

from __future__ import annotations

from typing import Any, Dict

from bot.shop.backend import NotFound
from bot.shop.http import ShopHttp, raise_for
from bot.shop.platform import utc
from bot.shop.tracking import DELIVERED_CODE, UNKNOWN, Tracking

LOCAL_ZONE = "Europe/Berlin"


class DhlTracker:
    carrier = "DHL"

    def __init__(
        self, url: str, api_key: str, *, timeout: float = 5.0, retries: int = 3, ca_file: str = ""
    ) -> None:
        self.http = ShopHttp(
            url or "https://api-eu.dhl.com",
            timeout=timeout,
            max_attempts=retries,
            ca_file=ca_file,
            headers={"DHL-API-Key": api_key},
        )

    async def track(self, tracking_number: str) -> Tracking | None:
        number = "".join(tracking_number.split())
        if not number:
            return None
        response = await self.http.request(
            "GET", "/track/shipments", params={"trackingNumber": number, "language": "de"}
        )
        if response.status == 404:
            return None
        try:
            raise_for(response)
        except NotFound:  # raise_for's 404 is handled above; keeps mypy and readers calm
            return None
        shipments = (
            (response.body or {}).get("shipments") if isinstance(response.body, dict) else None
        )
        return parse(shipments[0]) if shipments else None

    async def check(self) -> None:
        """A number DHL cannot know: 404 means the key works, 401 raises ShopConfigError."""
        await self.track("00000000000000000000")

    async def close(self) -> None:
        await self.http.close()


def parse(shipment: Dict[str, Any]) -> Tracking:
    """One `shipments[]` object of the API as a Tracking."""
    status = shipment.get("status") or {}
    code = str(status.get("statusCode") or UNKNOWN)
    proof = (shipment.get("details") or {}).get("proofOfDelivery") or {}
    at = utc(status.get("timestamp"), LOCAL_ZONE)
    delivered = None
    if code == DELIVERED_CODE:
        delivered = utc(proof.get("timestamp"), LOCAL_ZONE) or at
    place = ((status.get("location") or {}).get("address") or {}).get("addressLocality") or ""
    return Tracking(
        status=code,
        last_event=str(status.get("description") or status.get("status") or ""),
        last_event_at=at,
        last_place=str(place),
        estimated_delivery=utc(shipment.get("estimatedTimeOfDelivery"), LOCAL_ZONE),
        delivered_at=delivered,
    )
