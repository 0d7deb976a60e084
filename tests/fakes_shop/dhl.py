"""A fake DHL "Shipment Tracking - Unified" API, v1 (developer.dhl.com, API reference v1.5.x).

GET /track/shipments?trackingNumber=…[&service=parcel-de][&language=de] with the
`DHL-API-Key` header. Shapes follow DHL's published OpenAPI document for the API
(https://developer.dhl.com/api-reference/shipment-tracking, "dpdhl-tracking-unified"):
{"shipments": [{"id", "service", "origin", "destination", "status": {"timestamp",
"location": {"address": {"countryCode", "postalCode", "addressLocality"}}, "statusCode"
(pre-transit | transit | delivered | failure | unknown), "status", "description"},
"estimatedTimeOfDelivery", "details": {"proofOfDelivery": {...}, "totalNumberOfPieces",
"pieceIds"}, "events": [... newest first ...]}]}. Errors are problem+json bodies
{"status", "title", "detail"}: 401 for a missing or wrong key, 404 when no shipment has the
number, 429 when the key's quota is used up (with Retry-After), 400 for a missing number.

Seeded with the demo orders' parcels: on the way (expected tomorrow), stuck (the overdue
order: last scan six days ago) and delivered (with proof of delivery). German texts, as the
API answers with language=de for parcel-de.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, List

from aiohttp import web

from tests.fakes_shop import demo
from tests.fakes_shop.base import FakeShopPlatform, json_response

ANNOUNCED = "Die Sendung wurde elektronisch angekündigt. Sobald die Sendung von uns bearbeitet wurde, erhalten Sie weitere Informationen."
ORIGIN_HUB = "Die Sendung wurde im Start-Paketzentrum bearbeitet."
TARGET_HUB = "Die Sendung wurde im Ziel-Paketzentrum bearbeitet."
DELIVERED = "Die Sendung wurde erfolgreich zugestellt."


def problem(status: int, title: str, detail: str, **headers: str) -> web.Response:
    response = json_response(
        {"status": status, "title": title, "detail": detail}, status, **headers
    )
    response.content_type = "application/problem+json"
    return response


def place(city: str, postcode: str = "", country: str = "DE") -> Dict[str, Any]:
    return {"address": {"countryCode": country, "postalCode": postcode, "addressLocality": city}}


def event(at: datetime, code: str, text: str, where: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "timestamp": at.strftime(
            "%Y-%m-%dT%H:%M:%S"
        ),  # local time without offset, as DHL writes it
        "location": where,
        "statusCode": code,
        "status": text,
        "description": text,
    }


def shipment(o: demo.DemoOrder) -> Dict[str, Any]:
    """The API's shipment object for one demo parcel."""
    assert o.shipped_at is not None and o.tracking_number
    a = o.address
    events: List[Dict[str, Any]] = [
        event(o.shipped_at - timedelta(hours=3), "pre-transit", ANNOUNCED, place("")),
        event(o.shipped_at + timedelta(hours=5), "transit", ORIGIN_HUB, place("Bruchsal", "76646")),
    ]
    if not o.overdue:
        events.append(
            event(
                o.shipped_at + timedelta(hours=19),
                "transit",
                TARGET_HUB,
                place(a.city, a.zip, a.country),
            )
        )
    if o.delivered_at:
        events.append(
            event(o.delivered_at, "delivered", DELIVERED, place(a.city, a.zip, a.country))
        )
    events.reverse()  # newest first, as the API lists them
    details: Dict[str, Any] = {"totalNumberOfPieces": 1, "pieceIds": [o.tracking_number]}
    if o.delivered_at:
        details["proofOfDelivery"] = {
            "timestamp": o.delivered_at.strftime("%Y-%m-%dT%H:%M:%S"),
            "signatureUrl": f"https://www.dhl.de/pod/{o.tracking_number}/signature",
            "documentUrl": f"https://www.dhl.de/pod/{o.tracking_number}/document",
        }
        details["proofOfDeliverySignedAvailable"] = True
    result: Dict[str, Any] = {
        "id": o.tracking_number,
        "service": "parcel-de",
        "origin": place("Bruchsal", "76646"),
        "destination": place(a.city, a.zip, a.country),
        "status": events[0],
        "details": details,
        "events": events,
    }
    if not o.delivered_at and o.expected_delivery:
        result["estimatedTimeOfDelivery"] = o.expected_delivery.strftime("%Y-%m-%dT%H:%M:%SZ")
    return result


class FakeDhl(FakeShopPlatform):
    def __init__(self, api_key: str = "dhl-test-key") -> None:
        super().__init__()
        self.api_key = api_key
        self.shipments: Dict[str, Dict[str, Any]] = {
            o.tracking_number: shipment(o) for o in demo.orders() if o.tracking_number
        }
        self.app.router.add_get("/track/shipments", self.track)

    def serve_on(self, platform: FakeShopPlatform) -> FakeDhl:
        """Answer DHL's path on another fake's server too (a shop fake and its carrier behind one
        URL, for tests that can pass only one fake); that fake records the calls."""
        platform.app.router.add_get("/track/shipments", self.track)
        return self

    def failure(self, status: int, retry_after: str | None) -> web.Response:
        if status == 429:
            headers = {"Retry-After": retry_after} if retry_after else {}
            return problem(
                429, "Too many requests", "Too many requests within defined time period.", **headers
            )
        return problem(status, "Service Unavailable", "The service is temporarily unavailable.")

    async def track(self, request: web.Request) -> web.Response:
        if request.headers.get("DHL-API-Key") != self.api_key:
            return problem(401, "Unauthorized", "Unauthorized for given resource.")
        number = request.query.get("trackingNumber", "").strip()
        if not number:
            return problem(400, "Bad request", "Missing mandatory query parameter: trackingNumber.")
        found = self.shipments.get(number)
        if found is None:
            return problem(404, "No result found", "No shipment with given tracking number found.")
        return json_response({"shipments": [found]})
