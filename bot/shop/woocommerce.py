"""WooCommerce through its REST API v3 (`/wp-json/wc/v3`), authenticated with a consumer key
and secret (HTTP Basic, which WooCommerce accepts only over HTTPS; plain http is refused here
except for a shop on this machine).

Orders are found with `GET /orders?search=<number>` and an exact comparison of `number` (shops
with sequential-number plugins number orders apart from their ids), paging through the results
with X-WP-TotalPages. Only the fields a flow needs are requested (`_fields`). Tracking numbers are
read where the WooCommerce Shipment Tracking extension keeps them (`_wc_shipment_tracking_items`
in meta_data); WooCommerce itself knows no delivery, so "delivered" and delays come from the
carrier (bot/shop/tracking).

Writes: cancelling sets `status: cancelled` after re-reading the order (already cancelled is
success; only pending/on-hold/processing orders are cancelled); the shipping address changes
while the order is not completed; a return or any other request becomes a private order note
for the team. Refunds are read, never created.

The order-number help (`send_order_numbers`, opt-in with `shop.woocommerce.mail_order_numbers`)
adds a *customer note* to the customer's newest order listing their order numbers: WooCommerce
mails customer notes to the order's billing address, so only the address's owner reads them.
Off by default, because it lets anyone in the chat trigger a mail from the shop.

Declared missing: invoices (no invoice documents in WooCommerce itself), and the order-number
mail unless switched on.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Sequence, Tuple
from urllib.parse import urlsplit

from bot.shop.backend import NotAllowed, NotFound, ShopBackend, ShopConfigError
from bot.shop.http import Response, ShopHttp, raise_for
from bot.shop.model import (
    CANCELLED,
    DELIVERED,
    PROCESSING,
    SHIPPED,
    Address,
    Capability,
    Item,
    Order,
    Refund,
    ReturnCase,
    Shipment,
    Ticket,
)
from bot.shop.platform import carrier_name, cents, utc

API = "/wp-json/wc/v3"
FIELDS = ",".join(
    (
        "id",
        "number",
        "status",
        "currency",
        "date_created_gmt",
        "date_paid_gmt",
        "date_completed_gmt",
        "total",
        "billing.email",  # of the billing address only the e-mail (verification)
        "shipping",
        "payment_method_title",
        "line_items",
        "refunds",
        "meta_data",
    )
)
PER_PAGE = 50
MAX_PAGES = 5  # a search matching more than 250 orders is cut off there
OPEN = ("pending", "on-hold", "processing")  # not yet handed to a carrier
STATUS = {
    "pending": PROCESSING,
    "on-hold": PROCESSING,
    "processing": PROCESSING,
    "failed": PROCESSING,
    "completed": SHIPPED,
    "cancelled": CANCELLED,
}
TRACKING_META = "_wc_shipment_tracking_items"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WooCommerceShop(ShopBackend):
    name: ClassVar[str] = "woocommerce"
    secrets: ClassVar[Tuple[str, ...]] = (
        "KD_WOOCOMMERCE_CONSUMER_KEY",
        "KD_WOOCOMMERCE_CONSUMER_SECRET",
    )
    capabilities: ClassVar[FrozenSet[Capability]] = frozenset(
        {
            Capability.FIND_ORDER,
            Capability.ORDERS_BY_EMAIL,
            Capability.CANCEL,
            Capability.CHANGE_ADDRESS,
            Capability.CREATE_RETURN,
            Capability.READ_RETURNS,
            Capability.TICKETS,
        }
    )
    mailing_capabilities: ClassVar[FrozenSet[Capability]] = capabilities | {
        Capability.SEND_ORDER_NUMBERS
    }

    def __init__(
        self,
        url: str,
        key: str,
        secret: str,
        *,
        timeout: float = 8.0,
        retries: int = 3,
        ca_file: str = "",
        mail_order_numbers: bool = False,
    ) -> None:
        if mail_order_numbers:  # this instance declares the order-number mail too
            self.capabilities = self.mailing_capabilities  # type: ignore[misc]  # per instance
        parts = urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in LOOPBACK:
            raise ShopConfigError(
                "url",
                "WooCommerce sends the API key with every request: the shop URL must be https://",
            )
        basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.http = ShopHttp(
            url,
            timeout=timeout,
            max_attempts=retries,
            ca_file=ca_file,
            headers={"Authorization": f"Basic {basic}"},
        )

    @classmethod
    def from_config(cls, config: Any) -> WooCommerceShop:
        if not config.url:
            raise ShopConfigError("config", "shop.url is empty (the WordPress site, https://…)")
        return cls(
            config.url,
            *(config.secret(env) for env in cls.secrets),
            timeout=config.timeout,
            retries=config.retries,
            ca_file=config.ca_file,
            mail_order_numbers=bool(config.options.get("mail_order_numbers", False)),
        )

    # --- transport ------------------------------------------------------------------------------
    @staticmethod
    def _check(response: Response) -> Response:
        """WordPress's error body {"code", "message", "data": {"status"}} to the interface's errors."""
        if response.ok:
            return response
        code = response.body.get("code", "") if isinstance(response.body, dict) else ""
        if code == "woocommerce_rest_shop_order_invalid_id":
            raise NotFound(response.where())
        if code == "rest_no_route" or (response.status == 404 and not code):
            raise ShopConfigError(
                "url", f"{response.where()} (is WooCommerce's REST API at this URL?)"
            )
        if code in (
            "woocommerce_rest_cannot_view",
            "woocommerce_rest_cannot_edit",
            "woocommerce_rest_cannot_create",
        ):
            raise ShopConfigError("permission", f"{response.where()}: {code}")
        return raise_for(response)

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Response:
        return self._check(await self.http.request("GET", API + path, params=params))

    async def _search(self, term: str, want: Any) -> List[Dict[str, Any]]:
        """Orders the search finds that `want` accepts, newest first, page by page."""
        found: List[Dict[str, Any]] = []
        page, pages = 1, 1
        while page <= min(pages, MAX_PAGES):
            response = await self._get(
                "/orders",
                {"search": term, "page": str(page), "per_page": str(PER_PAGE), "_fields": FIELDS},
            )
            pages = int(response.headers.get("X-WP-TotalPages") or 1)
            found += [o for o in response.body or [] if want(o)]
            page += 1
        return found

    # --- reads ------------------------------------------------------------------------------------
    async def _raw(self, number: str) -> Dict[str, Any] | None:
        hits = await self._search(number, lambda o: str(o.get("number")) == number)
        return hits[0] if hits else None

    async def find_order(self, number: str) -> Order | None:
        raw = await self._raw(number)
        return None if raw is None else await self._order(raw)

    async def _order(self, raw: Dict[str, Any]) -> Order:
        status = raw.get("status", "")
        refunds: List[Refund] = []
        if raw.get("refunds"):  # the order lists refunds in short; their dates are on /refunds
            listed = await self._get(f"/orders/{raw['id']}/refunds")
            refunds = [
                Refund(cents(r.get("amount")), utc(r.get("date_created_gmt")))
                for r in listed.body or []
            ]
        if status == "refunded":
            mapped = DELIVERED if raw.get("date_completed_gmt") else CANCELLED
        else:
            mapped = STATUS.get(status, PROCESSING)
        s = raw.get("shipping") or {}
        street = " ".join(filter(None, [s.get("address_1"), s.get("address_2")]))
        return Order(
            number=str(raw["number"]),
            key=str(raw["id"]),
            status=mapped,
            email=(raw.get("billing") or {}).get("email") or "",
            placed_at=utc(raw.get("date_created_gmt")),
            items=tuple(
                Item(
                    name=li.get("name") or "",
                    quantity=int(li.get("quantity") or 1),
                    price_cents=cents(li.get("price")),
                    sku=li.get("sku") or "",
                    line_id=str(li.get("id") or ""),
                )
                for li in raw.get("line_items") or []
            ),
            total_cents=cents(raw.get("total")),
            currency=raw.get("currency") or "EUR",
            payment_method=raw.get("payment_method_title") or "",
            payment_status=self._payment(raw, refunds),
            shipping_address=Address(
                f"{street}, {s.get('postcode') or ''} {s.get('city') or ''}".strip(" ,"),
                street,
                s.get("postcode") or "",
                s.get("city") or "",
                s.get("country") or "",
            ),
            shipments=self._shipments(raw),
            refunds=tuple(refunds),
        )

    @staticmethod
    def _payment(raw: Dict[str, Any], refunds: List[Refund]) -> str:
        status = raw.get("status")
        if status == "refunded":
            return "refunded"
        if refunds:
            return "partially_refunded"
        if status == "failed":
            return "failed"
        if raw.get("date_paid_gmt"):
            return "paid"
        return "pending" if status in ("pending", "on-hold") else "unknown"

    @staticmethod
    def _shipments(raw: Dict[str, Any]) -> tuple[Shipment, ...]:
        items = next(
            (m.get("value") for m in raw.get("meta_data") or [] if m.get("key") == TRACKING_META),
            None,
        )
        shipments = []
        for t in items if isinstance(items, list) else []:
            shipped = str(t.get("date_shipped") or "")
            shipments.append(
                Shipment(
                    carrier=carrier_name(
                        t.get("custom_tracking_provider") or t.get("tracking_provider") or ""
                    ),
                    tracking_number=str(t.get("tracking_number") or ""),
                    shipped_at=utc(_from_timestamp(shipped)) if shipped.isdigit() else utc(shipped),
                )
            )
        if not shipments and raw.get("status") == "completed":
            shipments.append(Shipment(shipped_at=utc(raw.get("date_completed_gmt"))))
        return tuple(shipments)

    async def orders_by_email(self, email: str) -> List[str]:
        wanted = email.strip().lower()
        hits = await self._search(
            wanted,
            lambda o: str((o.get("billing") or {}).get("email", "")).strip().lower() == wanted,
        )
        return [str(o["number"]) for o in hits]

    async def send_order_numbers(self, email: str) -> bool:
        if not self.supports(Capability.SEND_ORDER_NUMBERS):
            raise self._lacks(Capability.SEND_ORDER_NUMBERS)
        wanted = email.strip().lower()
        hits = await self._search(
            wanted,
            lambda o: str((o.get("billing") or {}).get("email", "")).strip().lower() == wanted,
        )
        if not hits:
            return False
        numbers = ", ".join(str(o["number"]) for o in hits[:20])
        text = (
            "Sie haben im Chat nach Ihren Bestellnummern gefragt. "
            f"Ihre Bestellungen bei uns: {numbers}."
        )
        # customer_note: WooCommerce mails it to the order's billing address, nobody else
        await self._write(
            "POST", f"/orders/{hits[0]['id']}/notes", {"note": text, "customer_note": True}, False
        )
        return True

    async def check(self) -> Order | None:
        response = await self._get("/orders", {"per_page": "1", "_fields": FIELDS})
        if not isinstance(response.body, list):
            raise ShopConfigError(
                "url", f"{response.where()}: no order list (is this WooCommerce?)"
            )
        return await self._order(response.body[0]) if response.body else None

    # --- writes -----------------------------------------------------------------------------------
    async def _current(self, order: Order) -> Dict[str, Any]:
        response = await self._get(f"/orders/{order.key}", {"_fields": FIELDS})
        raw = response.body
        if not isinstance(raw, dict) or str(raw.get("number")) != order.number:
            raise NotFound("the order is no longer in the shop")
        return raw

    async def _write(self, method: str, path: str, body: Dict[str, Any], idempotent: bool) -> Any:
        response = await self.http.request(method, API + path, json_body=body, retry=idempotent)
        return self._check(response).body

    async def cancel(self, order: Order, idempotency_key: str) -> Order:
        raw = await self._current(order)
        if raw.get("status") == "cancelled":
            return await self._order(raw)  # a repeated confirmation: already done
        if raw.get("status") not in OPEN:
            raise NotAllowed("the order has shipped or is closed")
        # setting the same status twice changes nothing: safe to retry
        updated = await self._write("PUT", f"/orders/{raw['id']}", {"status": "cancelled"}, True)
        return await self._order(updated)

    async def change_address(self, order: Order, address: Address) -> Order:
        if not address.complete:
            raise NotAllowed("the address needs street, postcode and city")
        raw = await self._current(order)
        if raw.get("status") not in OPEN:
            raise NotAllowed("the order has shipped or is closed")
        shipping = {
            "address_1": address.street,
            "address_2": "",
            "postcode": address.zipcode,
            "city": address.city,
            "country": address.country or (raw.get("shipping") or {}).get("country") or "DE",
        }
        updated = await self._write("PUT", f"/orders/{raw['id']}", {"shipping": shipping}, True)
        return await self._order(updated)

    async def _note(self, order: Order, text: str) -> Dict[str, Any]:
        # a note is created once per call: not retried after it may have reached the shop
        note = await self._write(
            "POST", f"/orders/{order.key}/notes", {"note": text, "customer_note": False}, False
        )
        if not isinstance(note, dict) or "id" not in note:
            raise NotAllowed("WooCommerce did not create the note")
        return note

    async def create_return(
        self, order: Order, items: Sequence[Item], reason: str, mode: str
    ) -> ReturnCase:
        raw = await self._current(order)
        if raw.get("status") != "completed":
            raise NotAllowed("only shipped orders can be returned")
        what = "; ".join(f"{i.quantity}× {i.name}" for i in items) or "alle Artikel"
        kind = "Umtausch" if mode == "exchange" else "Erstattung"
        note = await self._note(
            order, f"Retoure angemeldet im Chat ({kind}): {what}. Grund: {reason.strip()}"
        )
        return ReturnCase(
            reference=f"RT-{note['id']}", created_at=utc(note.get("date_created_gmt")), mode=mode
        )

    async def create_ticket(self, order: Order | None, kind: str, text: str) -> Ticket:
        if order is None:
            raise NotAllowed("WooCommerce keeps requests as notes of an order")
        note = await self._note(order, f"Anfrage aus dem Chat ({kind}): {text.strip()}")
        return Ticket(
            reference=f"N-{note['id']}", kind=kind, created_at=utc(note.get("date_created_gmt"))
        )

    async def close(self) -> None:
        await self.http.close()


def _from_timestamp(value: str) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(int(value), timezone.utc).isoformat()
