"""Shopware 6 through the Admin API (written against Shopware 6.6; 6.5 answers the same).

Authentication: an *integration* (Settings → System → Integrations) gives an access key ID and a
secret; the OAuth2 client-credentials grant (`POST /api/oauth/token`) turns them into a bearer
token of about ten minutes, fetched again shortly before it expires and once after any 401.

Reads: one `POST /api/search/order` with criteria - filter `orderNumber` equals the number,
associations for line items, deliveries (with their state, shipping method and shipping
address), transactions (state, payment method), addresses, documents (type) and the customer,
and `includes` naming per entity only the fields the flows use, so nothing else leaves the shop.
Shopware 6.6 loads nested states only when asked, so every `stateMachineState` is an explicit
association.

How Shopware's states map onto the interface's (bot/shop/model.py):
- order `cancelled` -> cancelled; otherwise the first delivery decides: `open` -> processing,
  `shipped`/`shipped_partially` -> shipped, or delivered once the order is `completed`
  (Shopware knows no delivery date: `delivered_at` is when the order was last changed, i.e.
  completed; `shipped_at` when the delivery was), `returned*` -> delivered;
- the delivery's `shippingDateLatest` is the shop's expected date, its first tracking code and
  shipping method's name the parcel's;
- the latest transaction's state is the payment state, documents of type `invoice` the invoices;
- a delivery in state `returned`/`returned_partially` is a return that arrived (its reference the
  latest credit note's number, else the order number), a `refunded*` transaction a refund.

Writes: cancelling is the order state machine's `cancel` transition
(`POST /api/_action/order/{id}/state/cancel`), sent only after re-reading the order: already
cancelled is success (idempotent), shipped is NotAllowed; a retry that meets Shopware's
SYSTEM__ILLEGAL_STATE_TRANSITION reads again and succeeds if the order is cancelled now. The
address changes with `PATCH /api/order-address/{id}` (the delivery's shipping address) while the
delivery is `open`.

Declared missing (the bot says so and offers a human, who takes a ticket out of hours): creating
returns (Shopware's core has no return entity, only the delivery states above; Shopware Commercial's return management is not
supported yet), tickets/notes (the core order has none), mailing order numbers.
Permissions the integration needs: see docs/operator/shops.md (order:read, order:update,
order_address:update, state_machine… and the read privileges of the associations).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Tuple

from bot.shop.backend import NotAllowed, NotSupported, ShopBackend, ShopConfigError
from bot.shop.http import Response, ShopHttp, raise_for, retry_after
from bot.shop.model import (
    CANCELLED,
    DELIVERED,
    PROCESSING,
    SHIPPED,
    Address,
    Capability,
    Invoice,
    Item,
    Order,
    Refund,
    ReturnCase,
    Shipment,
)
from bot.shop.platform import carrier_name, cents, utc

STATE: Dict[str, Any] = {"stateMachineState": {}}
ASSOCIATIONS: Dict[str, Any] = {
    "stateMachineState": {},
    "orderCustomer": {},
    "lineItems": {},
    "addresses": {"associations": {"country": {}}},
    "deliveries": {
        "associations": {
            **STATE,
            "shippingMethod": {},
            "shippingOrderAddress": {"associations": {"country": {}}},
        }
    },
    "transactions": {"associations": {**STATE, "paymentMethod": {}}},
    "documents": {"associations": {"documentType": {}}},
}
# Data minimisation: the fields each entity (by its apiAlias) may send, nothing else.
INCLUDES: Dict[str, List[str]] = {
    "order": [
        "id",
        "orderNumber",
        "orderDateTime",
        "amountTotal",
        "updatedAt",
        "stateMachineState",
        "orderCustomer",
        "lineItems",
        "addresses",
        "deliveries",
        "transactions",
        "documents",
    ],
    "state_machine_state": ["technicalName"],
    "order_customer": ["email"],
    "order_line_item": ["id", "label", "quantity", "unitPrice", "type", "position"],
    "order_address": ["id", "street", "zipcode", "city", "country"],
    "country": ["iso"],
    "order_delivery": [
        "id",
        "trackingCodes",
        "shippingDateEarliest",
        "shippingDateLatest",
        "shippingOrderAddressId",
        "shippingOrderAddress",
        "stateMachineState",
        "shippingMethod",
        "updatedAt",
    ],
    "shipping_method": ["name"],
    "order_transaction": ["amount", "stateMachineState", "paymentMethod", "createdAt"],
    "payment_method": ["name"],
    "document": ["id", "documentNumber", "config", "documentType", "createdAt"],
    "document_type": ["technicalName"],
}
PAYMENT = {
    "paid": "paid",
    "open": "open",
    "reminded": "pending",
    "in_progress": "pending",
    "unconfirmed": "pending",
    "authorized": "authorized",
    "paid_partially": "pending",
    "failed": "failed",
    "chargeback": "chargeback",
    "refunded": "refunded",
    "refunded_partially": "partially_refunded",
    "cancelled": "unknown",
}
ILLEGAL_TRANSITION = "SYSTEM__ILLEGAL_STATE_TRANSITION"
MISSING_PRIVILEGE = "FRAMEWORK__MISSING_PRIVILEGE_ERROR"
TOKEN_MARGIN = 30  # seconds before expiry a token is renewed
PAGE = 25
MAX_PAGES = 4


def _state(entity: Mapping[str, Any] | None) -> str:
    return str(((entity or {}).get("stateMachineState") or {}).get("technicalName") or "")


def _errors(response: Response) -> List[Dict[str, Any]]:
    body = response.body
    return list(body.get("errors") or []) if isinstance(body, dict) else []


def throttled(response: Response) -> float | None:
    """Shopware's 429 says how long in errors[].meta.parameters.seconds (a proxy may send
    Retry-After instead)."""
    if response.status != 429:
        return None
    if response.headers.get("Retry-After"):
        return retry_after(response)
    for error in _errors(response):
        seconds = ((error.get("meta") or {}).get("parameters") or {}).get("seconds")
        if seconds is not None:
            try:
                return max(0.0, float(seconds))
            except (TypeError, ValueError):
                break
    return 1.0


def _documents(order: Mapping[str, Any], kind: str) -> Tuple[Invoice, ...]:
    """The order's documents of one type (`invoice`, `credit_note`), oldest first."""
    found = [
        Invoice(
            str(d.get("documentNumber") or (d.get("config") or {}).get("documentNumber") or ""),
            utc(d.get("createdAt")),
            str(d.get("id") or ""),
        )
        for d in sorted(order.get("documents") or [], key=lambda d: str(d.get("createdAt") or ""))
        if (d.get("documentType") or {}).get("technicalName") == kind
    ]
    return tuple(doc for doc in found if doc.number)


def _address(raw: Mapping[str, Any] | None) -> Address:
    raw = raw or {}
    street, zipcode, city = (str(raw.get(k) or "").strip() for k in ("street", "zipcode", "city"))
    country = str((raw.get("country") or {}).get("iso") or "")
    text = ", ".join(filter(None, [street, " ".join(filter(None, [zipcode, city]))]))
    return Address(text, street, zipcode, city, country)


class ShopwareShop(ShopBackend):
    name: ClassVar[str] = "shopware"
    secrets: ClassVar[Tuple[str, ...]] = ("KD_SHOPWARE_CLIENT_ID", "KD_SHOPWARE_CLIENT_SECRET")
    capabilities: ClassVar[FrozenSet[Capability]] = frozenset(
        {
            Capability.FIND_ORDER,
            Capability.ORDERS_BY_EMAIL,
            Capability.CANCEL,
            Capability.CHANGE_ADDRESS,
            Capability.INVOICES,
            Capability.READ_RETURNS,
        }
    )

    def __init__(
        self,
        url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = 8.0,
        retries: int = 3,
        ca_file: str = "",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self._token = ""
        self._expires = 0.0
        self._lock: asyncio.Lock | None = None
        self.http = ShopHttp(
            url,
            timeout=timeout,
            max_attempts=retries,
            ca_file=ca_file,
            auth=self._auth,
            throttled=throttled,
        )

    @classmethod
    def from_config(cls, config: Any) -> ShopwareShop:
        if not config.url:
            raise ShopConfigError("config", "shop.url is empty (the shop's base URL, https://…)")
        return cls(
            config.url,
            *(config.secret(env) for env in cls.secrets),
            timeout=config.timeout,
            retries=config.retries,
            ca_file=config.ca_file,
        )

    # --- authentication --------------------------------------------------------------------------
    async def _auth(self, refresh: bool) -> Dict[str, str]:
        """The bearer header; a new token when there is none, it is about to expire, or the shop
        refused the last one (refresh)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if refresh or not self._token or time.monotonic() >= self._expires:
                await self._fetch_token()
        return {"Authorization": f"Bearer {self._token}"}

    async def _fetch_token(self) -> None:
        response = await self.http.request(
            "POST",
            "/api/oauth/token",
            json_body={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
            authenticate=False,
        )
        body = response.body if isinstance(response.body, dict) else None
        if response.status in (400, 401) and body is not None:
            raise ShopConfigError("credentials", "POST /api/oauth/token refused the access key")
        if body is None or not response.ok or "access_token" not in body:
            raise ShopConfigError(
                "url", f"{response.where()} (is the Shopware Admin API at this URL?)"
            )
        self._token = str(body["access_token"])
        lifetime = float(body.get("expires_in") or 600)
        self._expires = time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN)

    # --- transport -----------------------------------------------------------------------------------
    @staticmethod
    def _check(response: Response) -> Response:
        """Shopware's error body {"errors": [{"status", "code", "title", "detail"}]} to the
        interface's errors; never the detail itself (it can repeat request data)."""
        if response.ok:
            return response
        if not isinstance(response.body, dict) and response.body is not None:
            raise ShopConfigError("url", f"{response.where()} (no Shopware Admin API answer)")
        codes = [str(e.get("code") or "") for e in _errors(response)]
        if MISSING_PRIVILEGE in codes:
            missing: List[str] = []
            for error in _errors(response):
                detail = str(error.get("detail") or "")
                if '"missingPrivileges"' in detail:
                    try:
                        missing += list(json.loads(detail).get("missingPrivileges") or [])
                    except ValueError:
                        pass
            raise ShopConfigError(
                "permission",
                f"{response.where()}: missing {', '.join(missing) or 'privileges'}",
            )
        if ILLEGAL_TRANSITION in codes:
            raise NotAllowed(f"{response.where()}: {ILLEGAL_TRANSITION}")
        if response.status == 404 and not codes:
            raise ShopConfigError("url", f"{response.where()} (is the Admin API at this URL?)")
        return raise_for(response)

    async def _search_raw(self, criteria: Dict[str, Any]) -> Response:
        return self._check(await self.http.request("POST", "/api/search/order", json_body=criteria))

    def _criteria(self, filters: List[Dict[str, Any]], limit: int = 1) -> Dict[str, Any]:
        return {
            "page": 1,
            "limit": limit,
            "filter": filters,
            "associations": ASSOCIATIONS,
            "includes": INCLUDES,
            "total-count-mode": 1,
        }

    async def _raw(self, number: str) -> Dict[str, Any] | None:
        response = await self._search_raw(
            self._criteria([{"type": "equals", "field": "orderNumber", "value": number}])
        )
        data = (response.body or {}).get("data") or []
        return dict(data[0]) if data else None

    # --- reads ------------------------------------------------------------------------------------
    async def find_order(self, number: str) -> Order | None:
        raw = await self._raw(number)
        return None if raw is None else self._order(raw)

    async def orders_by_email(self, email: str) -> List[str]:
        """Order numbers of this e-mail, newest first, page by page (at most MAX_PAGES pages)."""
        numbers: List[str] = []
        page, total = 1, 1
        while len(numbers) < total and page <= MAX_PAGES:
            criteria = {
                "page": page,
                "limit": PAGE,
                "filter": [
                    {"type": "equals", "field": "orderCustomer.email", "value": email.strip()}
                ],
                "sort": [{"field": "orderDateTime", "order": "DESC"}],
                "includes": {"order": ["orderNumber"]},
                "total-count-mode": 1,
            }
            body = (await self._search_raw(criteria)).body or {}
            data = body.get("data") or []
            total = int(body.get("total") or 0)
            numbers += [str(o.get("orderNumber")) for o in data if o.get("orderNumber")]
            if not data:
                break
            page += 1
        return numbers

    def _order(self, raw: Mapping[str, Any]) -> Order:
        deliveries = sorted(
            raw.get("deliveries") or [], key=lambda d: str(d.get("shippingDateLatest") or "")
        )
        delivery = deliveries[0] if deliveries else {}
        order_state, delivery_state = _state(raw), _state(delivery)
        if order_state == "cancelled":
            status = CANCELLED
        elif delivery_state.startswith("returned"):
            status = DELIVERED
        elif delivery_state.startswith("shipped"):
            status = DELIVERED if order_state == "completed" else SHIPPED
        else:
            status = PROCESSING
        delivered_at = utc(raw.get("updatedAt")) if status == DELIVERED else None
        shipments = tuple(
            Shipment(
                carrier=carrier_name(str((d.get("shippingMethod") or {}).get("name") or "")),
                tracking_number=str((d.get("trackingCodes") or [""])[0] or ""),
                shipped_at=utc(d.get("updatedAt")),
                expected_delivery=utc(d.get("shippingDateLatest")),
                delivered_at=delivered_at,
            )
            for d in deliveries
            if _state(d).startswith(("shipped", "returned"))
        )
        address_raw = delivery.get("shippingOrderAddress") or next(
            (
                a
                for a in raw.get("addresses") or []
                if a.get("id") == delivery.get("shippingOrderAddressId")
            ),
            None,
        )
        transactions = sorted(
            raw.get("transactions") or [], key=lambda t: str(t.get("createdAt") or "")
        )
        transaction = transactions[-1] if transactions else {}
        items = sorted(raw.get("lineItems") or [], key=lambda i: int(i.get("position") or 0))
        invoices = _documents(raw, "invoice")
        credit_notes = _documents(raw, "credit_note")
        returns = tuple(
            ReturnCase(
                reference=credit_notes[-1].number if credit_notes else str(raw.get("orderNumber")),
                created_at=utc(d.get("updatedAt")),
                status="received",
            )
            for d in deliveries
            if _state(d).startswith("returned")
        )
        payment_state = _state(transaction)
        refunds = (
            (Refund(cents((transaction.get("amount") or {}).get("totalPrice")), None, "done"),)
            if payment_state in ("refunded", "refunded_partially")
            else ()
        )
        return Order(
            number=str(raw.get("orderNumber") or ""),
            key=str(raw.get("id") or ""),
            status=status,
            email=str((raw.get("orderCustomer") or {}).get("email") or ""),
            placed_at=utc(raw.get("orderDateTime")),
            items=tuple(
                Item(
                    str(i.get("label") or ""),
                    int(i.get("quantity") or 1),
                    cents(i.get("unitPrice")),
                    line_id=str(i.get("id") or ""),
                )
                for i in items
                if i.get("type", "product") in ("product", "custom")
            ),
            total_cents=cents(raw.get("amountTotal")),
            payment_method=str((transaction.get("paymentMethod") or {}).get("name") or ""),
            payment_status=PAYMENT.get(payment_state, "unknown"),
            shipping_address=_address(address_raw),
            shipments=shipments,
            invoices=invoices,
            returns=returns,
            refunds=refunds,
            promised_delivery=None if shipments else utc(delivery.get("shippingDateLatest")),
        )

    # --- writes ------------------------------------------------------------------------------------
    async def _current(self, order: Order) -> Dict[str, Any]:
        raw = await self._raw(order.number)
        if raw is None:
            raise NotAllowed("the order is gone")
        return raw

    async def cancel(self, order: Order, idempotency_key: str) -> Order:
        """The `cancel` transition, checked against the current state first."""
        raw = await self._current(order)
        current = self._order(raw)
        if current.status == CANCELLED:
            return current  # a repeated confirmation, or a retry whose answer was lost
        if current.status != PROCESSING:
            raise NotAllowed("the order has shipped")
        try:
            self._check(
                await self.http.request(
                    "POST", f"/api/_action/order/{raw['id']}/state/cancel", json_body={}
                )
            )
        except NotAllowed:
            again = self._order(await self._current(order))
            if again.status != CANCELLED:
                raise
            return again
        return self._order(await self._current(order))

    async def change_address(self, order: Order, address: Address) -> Order:
        """The delivery's shipping address, while the delivery is open."""
        if not address.complete:
            raise NotSupported(Capability.CHANGE_ADDRESS)  # Shopware needs street, zip and city
        raw = await self._current(order)
        deliveries = raw.get("deliveries") or []
        if self._order(raw).status != PROCESSING or not deliveries:
            raise NotAllowed("the order has shipped")
        if any(_state(d) != "open" for d in deliveries):
            raise NotAllowed("a delivery is no longer open")
        for address_id in {str(d.get("shippingOrderAddressId") or "") for d in deliveries}:
            if address_id:
                self._check(
                    await self.http.request(
                        "PATCH",
                        f"/api/order-address/{address_id}",
                        json_body={
                            "street": address.street,
                            "zipcode": address.zipcode,
                            "city": address.city,
                        },
                    )
                )
        return self._order(await self._current(order))

    # --- operations --------------------------------------------------------------------------------
    async def check(self) -> Order | None:
        criteria = self._criteria([], limit=1)
        criteria["sort"] = [{"field": "orderDateTime", "order": "DESC"}]
        data = ((await self._search_raw(criteria)).body or {}).get("data") or []
        return self._order(data[0]) if data else None

    async def close(self) -> None:
        await self.http.close()
