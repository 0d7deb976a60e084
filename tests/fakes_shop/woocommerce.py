"""A fake WooCommerce REST API, v3 (WooCommerce 8/9, `/wp-json/wc/v3`).

Payloads follow the WooCommerce REST API reference (woocommerce/woocommerce-rest-api-docs,
source/includes/wp-api-v3/_orders.md, _order-notes.md, _order-refunds.md and
_authentication.md, _pagination.md, _errors.md): order objects with `number`, `status`,
`billing`/`shipping`, `line_items`, `refunds` and `meta_data`; order notes; refunds.
Tracking numbers sit where the WooCommerce Shipment Tracking extension keeps them, in the
order's meta_data under `_wc_shipment_tracking_items`.

Authentication: the consumer key and secret as HTTP Basic credentials (what WooCommerce
takes over HTTPS; the fake stands for a TLS-terminated shop) or as the `consumer_key` /
`consumer_secret` query parameters. Lists page with `page`/`per_page` (1-100, default 10)
and the X-WP-Total / X-WP-TotalPages / Link headers. Errors use WordPress's REST body
{"code", "message", "data": {"status"}}: woocommerce_rest_cannot_view (401, no
credentials), woocommerce_rest_authentication_error (401, wrong key or a read-only key
writing), woocommerce_rest_shop_order_invalid_id (404), rest_invalid_param (400),
rest_no_route (404). Order numbers are not the post ids (as with a sequential-numbers
plugin), so a backend must search and compare `number`.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any, Dict, List, Tuple
from zoneinfo import ZoneInfo

from aiohttp import web

from tests.fakes_shop import demo
from tests.fakes_shop.base import FakeShopPlatform, json_response

BERLIN = ZoneInfo("Europe/Berlin")
STATUS = {"processing": "processing", "shipped": "completed", "delivered": "completed"}
METHOD = {
    "PayPal": ("ppcp-gateway", "PayPal"),
    "Kreditkarte": ("stripe", "Kreditkarte (Stripe)"),
    "Klarna-Rechnung": ("klarna_payments", "Klarna Rechnung"),
    "SEPA-Lastschrift": ("stripe_sepa", "SEPA-Lastschrift"),
    "Vorkasse": ("bacs", "Vorkasse (Überweisung)"),
}
TRACKING_PROVIDER = {"DHL": "deutsche-post-dhl", "DPD": "dpd-de", "Hermes": "hermes-germany"}


def error(code: str, message: str, status: int, **extra: Any) -> web.Response:
    return json_response(
        {"code": code, "message": message, "data": {"status": status, **extra}}, status
    )


def local(value: datetime | None) -> str | None:
    """WooCommerce's date_* fields: the shop's local time, ISO 8601 without offset."""
    return value.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M:%S") if value else None


def gmt(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") if value else None


class FakeWooCommerce(FakeShopPlatform):
    def __init__(
        self,
        key: str = "ck_test",
        secret: str = "cs_test",
        *,
        read_only: bool = False,
        extra_orders: int = 0,
    ) -> None:
        super().__init__()
        self.key, self.secret, self.read_only = key, secret, read_only
        self.orders: Dict[int, Dict[str, Any]] = {}  # post id -> order object
        self.notes: Dict[int, List[Dict[str, Any]]] = {}
        self.refunds: Dict[int, List[Dict[str, Any]]] = {}
        self._next_id = 900
        for n, o in enumerate(demo.orders()):
            self._seed(4100 + n, o)
        # more orders of the first customer, so her search pages (per_page at most 100)
        for n in range(extra_orders):
            self._seed(6000 + n, demo.orders()[0], number=str(200000 + n))
        api = "/wp-json/wc/v3"
        self.app.router.add_get(f"{api}/orders", self.list_orders)
        self.app.router.add_get(f"{api}/orders/{{id}}", self.get_order)
        self.app.router.add_put(f"{api}/orders/{{id}}", self.update_order)
        self.app.router.add_post(f"{api}/orders/{{id}}/notes", self.add_note)
        self.app.router.add_get(f"{api}/orders/{{id}}/notes", self.list_notes)
        self.app.router.add_get(f"{api}/orders/{{id}}/refunds", self.list_refunds)
        self.app.router.add_route("*", "/wp-json/{tail:.*}", self.no_route)

    # -- seeding ------------------------------------------------------------------
    def _seed(self, post_id: int, o: demo.DemoOrder, number: str | None = None) -> None:
        a = o.address
        address = {
            "first_name": a.first_name,
            "last_name": a.last_name,
            "company": "",
            "address_1": a.street,
            "address_2": "",
            "city": a.city,
            "state": "",
            "postcode": a.zip,
            "country": a.country,
        }
        method, title = METHOD.get(o.payment_method, ("cod", o.payment_method))
        status = STATUS.get(o.status, "cancelled")
        if o.status == "processing" and o.payment_status in ("open", "pending"):
            status = "on-hold"
        meta: List[Dict[str, Any]] = []
        if o.tracking_number:
            meta.append(
                {
                    "id": post_id * 10,
                    "key": "_wc_shipment_tracking_items",
                    "value": [
                        {
                            "tracking_provider": TRACKING_PROVIDER.get(o.carrier or "", ""),
                            "custom_tracking_provider": "",
                            "custom_tracking_link": "",
                            "tracking_number": o.tracking_number,
                            "date_shipped": str(int(o.shipped_at.timestamp()))
                            if o.shipped_at
                            else "",
                            "tracking_id": f"{post_id:032x}",
                        }
                    ],
                }
            )
        refunds = []
        if o.payment_status == "refunded":
            refunds.append(
                {
                    "id": post_id + 50000,
                    "date_created": local(o.placed_at),
                    "date_created_gmt": gmt(o.placed_at),
                    "amount": demo.money(o.total_cents),
                    "reason": "Bestellung storniert",
                    "refunded_by": 1,
                    "refunded_payment": True,
                    "meta_data": [],
                    "line_items": [],
                }
            )
        shipping_cents = o.total_cents - sum(i.price_cents * i.quantity for i in o.items)
        self.refunds[post_id] = refunds
        self.notes[post_id] = []
        self.orders[post_id] = {
            "id": post_id,
            "parent_id": 0,
            "number": number or o.number,
            "order_key": f"wc_order_{post_id:013x}",
            "created_via": "checkout",
            "version": "9.4.2",
            "status": status,
            "currency": "EUR",
            "date_created": local(o.placed_at),
            "date_created_gmt": gmt(o.placed_at),
            "date_modified": local(o.shipped_at or o.placed_at),
            "date_modified_gmt": gmt(o.shipped_at or o.placed_at),
            "discount_total": "0.00",
            "shipping_total": demo.money(shipping_cents),
            "total": demo.money(o.total_cents),
            "total_tax": demo.money(round(o.total_cents * 19 / 119)),
            "prices_include_tax": True,
            "customer_id": 0,
            "customer_note": "",
            "billing": {**address, "email": o.email, "phone": ""},
            "shipping": {**address, "phone": ""},
            "payment_method": method,
            "payment_method_title": title,
            "transaction_id": "",
            "date_paid": None if status == "on-hold" else local(o.placed_at),
            "date_paid_gmt": None if status == "on-hold" else gmt(o.placed_at),
            "date_completed": local(o.shipped_at),
            "date_completed_gmt": gmt(o.shipped_at),
            "meta_data": meta,
            "line_items": [
                {
                    "id": post_id * 100 + i,
                    "name": item.name,
                    "product_id": 300 + i,
                    "variation_id": 0,
                    "quantity": item.quantity,
                    "tax_class": "",
                    "subtotal": demo.money(item.price_cents * item.quantity),
                    "total": demo.money(item.price_cents * item.quantity),
                    "sku": "",
                    "price": item.price_cents / 100,
                    "meta_data": [],
                }
                for i, item in enumerate(o.items)
            ],
            "shipping_lines": [
                {
                    "id": post_id * 100 + 99,
                    "method_title": "DHL Paket",
                    "method_id": "flat_rate",
                    "total": demo.money(shipping_cents),
                }
            ],
            "refunds": [
                {"id": r["id"], "reason": r["reason"], "total": "-" + r["amount"]} for r in refunds
            ],
        }

    # -- transport ----------------------------------------------------------------------
    def failure(self, status: int, retry_after: str | None) -> web.Response:
        headers = {"Retry-After": retry_after} if retry_after else {}
        if status == 429:
            body = {
                "code": "woocommerce_rest_too_many_requests",
                "message": "Too many requests. Please wait and try again.",
                "data": {"status": 429},
            }
        else:
            body = {
                "code": "internal_server_error",
                "message": "<p>There has been a critical error on this website.</p>",
                "data": {"status": status},
            }
        return json_response(body, status, **headers)

    def _credentials(self, request: web.Request) -> tuple[str, str] | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            return key, secret
        if "consumer_key" in request.query:
            return request.query["consumer_key"], request.query.get("consumer_secret", "")
        return None

    def _refused(self, request: web.Request, action: str) -> web.Response | None:
        credentials = self._credentials(request)
        if credentials is None:
            return error("woocommerce_rest_cannot_view", f"Sorry, you cannot {action}.", 401)
        key, secret = credentials
        if key != self.key:
            return error("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401)
        if secret != self.secret:
            return error(
                "woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401
            )
        if self.read_only and request.method != "GET":
            return error(
                "woocommerce_rest_authentication_error",
                "The API key provided does not have write permissions.",
                401,
            )
        return None

    def _order(self, request: web.Request) -> Dict[str, Any] | None:
        try:
            return self.orders.get(int(request.match_info["id"]))
        except ValueError:
            return None

    @staticmethod
    def _invalid_id() -> web.Response:
        return error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)

    def _target(
        self, request: web.Request, action: str
    ) -> Tuple[Dict[str, Any], web.Response | None]:
        """The order of the path, or the refusal WooCommerce answers instead (auth, then id)."""
        refused = self._refused(request, action)
        if refused is not None:
            return {}, refused
        order = self._order(request)
        return (order, None) if order else ({}, self._invalid_id())

    # -- routes -------------------------------------------------------------------------
    async def no_route(self, request: web.Request) -> web.Response:
        return error(
            "rest_no_route", "No route was found matching the URL and request method.", 404
        )

    async def list_orders(self, request: web.Request) -> web.Response:
        refused = self._refused(request, "list resources")
        if refused is not None:
            return refused
        q = request.query
        try:
            page, per_page = int(q.get("page", "1")), int(q.get("per_page", "10"))
        except ValueError:
            return error("rest_invalid_param", "Invalid parameter(s): page, per_page", 400)
        if not 1 <= per_page <= 100 or page < 1:
            return error(
                "rest_invalid_param",
                "Invalid parameter(s): per_page",
                400,
                params={"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"},
            )
        term = q.get("search", "").strip().lower()
        found = [o for o in self.orders.values() if not term or term in self._haystack(o)]
        found.sort(key=lambda o: o["date_created_gmt"], reverse=True)
        total = len(found)
        pages = (total + per_page - 1) // per_page
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        if page < pages:
            headers["Link"] = (
                f'<{self.url}{request.path}?page={page + 1}&per_page={per_page}>; rel="next"'
            )
        if page > max(pages, 1):
            return error(
                "woocommerce_rest_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
                400,
            )
        chosen = found[(page - 1) * per_page : page * per_page]
        return json_response([self._fields(request, o) for o in chosen], **headers)

    @staticmethod
    def _fields(request: web.Request, order: Dict[str, Any]) -> Dict[str, Any]:
        """WordPress's global `_fields` parameter: only the named fields; `billing.email` names one
        field of an object (nested fields, WordPress 5.3 and later)."""
        wanted = [f.strip() for f in request.query.get("_fields", "").split(",") if f.strip()]
        if not wanted:
            return order
        chosen: Dict[str, Any] = {}
        for name in wanted:
            top, _, inner = name.partition(".")
            if top not in order:
                continue
            if inner and isinstance(order[top], dict):
                if inner in order[top]:
                    chosen.setdefault(top, {})[inner] = order[top][inner]
            else:
                chosen[top] = order[top]
        return chosen

    @staticmethod
    def _haystack(o: Dict[str, Any]) -> str:
        b = o["billing"]
        parts = [
            o["number"],
            b["email"],
            b["first_name"],
            b["last_name"],
            b["address_1"],
            b["city"],
        ]
        parts += [li["name"] for li in o["line_items"]]
        return " ".join(parts).lower()

    async def get_order(self, request: web.Request) -> web.Response:
        order, refused = self._target(request, "view this resource")
        if refused is not None:
            return refused
        return json_response(self._fields(request, order))

    async def update_order(self, request: web.Request) -> web.Response:
        order, refused = self._target(request, "edit this resource")
        if refused is not None:
            return refused
        body = await request.json()
        statuses = {
            "pending",
            "processing",
            "on-hold",
            "completed",
            "cancelled",
            "refunded",
            "failed",
        }
        if "status" in body and body["status"] not in statuses:
            return error(
                "rest_invalid_param",
                "Invalid parameter(s): status",
                400,
                params={"status": f"status is not one of {', '.join(sorted(statuses))}."},
            )
        if "status" in body:
            order["status"] = body["status"]
        if "shipping" in body:
            order["shipping"].update(
                {k: v for k, v in body["shipping"].items() if k in order["shipping"]}
            )
        order["date_modified_gmt"] = gmt(datetime.now(timezone.utc))
        return json_response(order)

    async def add_note(self, request: web.Request) -> web.Response:
        order, refused = self._target(request, "create resources")
        if refused is not None:
            return refused
        body = await request.json()
        if not str(body.get("note") or "").strip():
            return error(
                "rest_missing_callback_param", "Missing parameter(s): note", 400, params=["note"]
            )
        self._next_id += 1
        now = datetime.now(timezone.utc)
        note = {
            "id": self._next_id,
            "author": "Kundendialog",
            "date_created": local(now),
            "date_created_gmt": gmt(now),
            "note": body["note"],
            "customer_note": bool(body.get("customer_note", False)),
        }
        self.notes[order["id"]].append(note)
        return json_response(note, 201)

    async def list_notes(self, request: web.Request) -> web.Response:
        order, refused = self._target(request, "list resources")
        if refused is not None:
            return refused
        return json_response(self.notes[order["id"]])

    async def list_refunds(self, request: web.Request) -> web.Response:
        order, refused = self._target(request, "list resources")
        if refused is not None:
            return refused
        return json_response(self.refunds[order["id"]])

    def by_number(self, number: str) -> Dict[str, Any]:
        return next(o for o in self.orders.values() if o["number"] == number)
