"""A fake Shopify Admin GraphQL API, version 2024-10.

POST /admin/api/2024-10/graphql.json with `X-Shopify-Access-Token`, a body
{"query", "operationName", "variables"}. The fake does not parse GraphQL: it answers the
operations the Shopify backend (bot/shop/shopify.py) sends, matched by `operationName`,
with the JSON those documents select. Shapes follow the Admin GraphQL reference for
2024-10 (https://shopify.dev/docs/api/admin-graphql/2024-10): Order (name, email,
displayFinancialStatus, displayFulfillmentStatus, cancelledAt, totalPriceSet.shopMoney,
shippingAddress, lineItems connection with edges/cursor/pageInfo, fulfillments with
trackingInfo{company number url}, displayStatus, estimatedDeliveryAt, deliveredAt and
fulfillmentLineItems, returns, refunds), the payloads OrderCancelPayload (job,
orderCancelUserErrors), ReturnRequestPayload (return, userErrors with ReturnErrorCode) and
OrderUpdatePayload (order, userErrors).

Rate limits follow https://shopify.dev/docs/api/usage/rate-limits: every answer carries
extensions.cost {requestedQueryCost, actualQueryCost, throttleStatus {maximumAvailable,
currentlyAvailable, restoreRate}}; a query whose requested cost exceeds what is available is
refused with errors[{message: "Throttled", extensions: {code: "THROTTLED"}}] and
actualQueryCost null (HTTP 200). A bad token gets 401 with Shopify's plain-string `errors`;
a field the token's scopes do not cover gets an ACCESS_DENIED error and null data.
"""

from __future__ import annotations

import base64
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Set

from aiohttp import web

from tests.fakes_shop import demo
from tests.fakes_shop.base import FakeShopPlatform, json_response

VERSION = "2024-10"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
ALL_SCOPES = {"read_orders", "write_orders", "read_fulfillments", "read_returns", "write_returns"}
FINANCIAL = {
    "paid": "PAID",
    "open": "PENDING",
    "pending": "PENDING",
    "double_charged": "PAID",
    "refunded": "REFUNDED",
    "refund_pending": "PARTIALLY_REFUNDED",
}
GATEWAY = {
    "PayPal": "paypal",
    "Kreditkarte": "shopify_payments",
    "Klarna-Rechnung": "klarna",
    "SEPA-Lastschrift": "shopify_payments",
    "Vorkasse": "bank_deposit",
}
# operation -> (requested cost, actual cost, scopes it needs): figures of the same order as Shopify's
OPERATIONS: Dict[str, tuple] = {
    "ShopInfo": (1, 1, set()),
    "AppScopes": (2, 2, set()),
    "OrderByName": (78, 24, {"read_orders"}),
    "OrderLineItems": (52, 12, {"read_orders"}),
    "OrdersByEmail": (22, 4, {"read_orders"}),
    "OrderCancel": (10, 10, {"write_orders"}),
    "OrderUpdateAddress": (10, 10, {"write_orders"}),
    "ReturnRequest": (10, 10, {"write_returns"}),
    "ReturnCreate": (10, 10, {"write_returns"}),
}
ROOT_FIELD = {
    "ShopInfo": "shop",
    "AppScopes": "currentAppInstallation",
    "OrderByName": "orders",
    "OrderLineItems": "order",
    "OrdersByEmail": "orders",
    "OrderCancel": "orderCancel",
    "OrderUpdateAddress": "orderUpdate",
    "ReturnRequest": "returnRequest",
    "ReturnCreate": "returnCreate",
}


def gid(kind: str, number: int | str) -> str:
    return f"gid://shopify/{kind}/{number}"


def money_set(cents: int) -> Dict[str, Any]:
    return {"shopMoney": {"amount": demo.money(cents), "currencyCode": "EUR"}}


def cursor(index: int) -> str:
    return base64.b64encode(f'{{"last_id":{index}}}'.encode()).decode()


def uncursor(value: str | None) -> int:
    if not value:
        return -1
    return int(base64.b64decode(value).decode().split(":")[1].rstrip("}"))


class FakeShopify(FakeShopPlatform):
    def __init__(
        self,
        token: str = "shpat_test",
        *,
        scopes: Set[str] | None = None,
        extra_items: int = 0,
        maximum: float = 1000.0,
        restore_rate: float = 50.0,
    ) -> None:
        super().__init__()
        self.token = token
        self.scopes = set(ALL_SCOPES if scopes is None else scopes)
        self.maximum, self.restore_rate = maximum, restore_rate
        self._available, self._at = maximum, time.monotonic()
        self.orders: Dict[str, Dict[str, Any]] = {}  # name ("#100234") -> Order node
        self.cancelled_ids: List[str] = []  # every order id orderCancel was run on
        self.throttled = 0  # queries refused with THROTTLED
        self.return_notes: List[
            str
        ] = []  # the note of each return created (customerNote/returnReasonNote)
        for n, order in enumerate(demo.orders(extra_items)):
            self.orders["#" + order.number] = self._node(5000 + n, order)
        self.app.router.add_post("/admin/api/{version}/graphql.json", self.graphql)

    # -- seeding ------------------------------------------------------------------
    @staticmethod
    def _node(order_id: int, o: demo.DemoOrder) -> Dict[str, Any]:
        line_items = [
            {
                "id": gid("LineItem", order_id * 100 + i),
                "name": item.name,
                "quantity": item.quantity,
                "originalUnitPriceSet": money_set(item.price_cents),
            }
            for i, item in enumerate(o.items)
        ]
        fulfillments = []
        if o.status in ("shipped", "delivered"):
            delivered = o.status == "delivered"
            fulfillments.append(
                {
                    "id": gid("Fulfillment", order_id),
                    "status": "SUCCESS",
                    "displayStatus": "DELIVERED" if delivered else "IN_TRANSIT",
                    "createdAt": demo.iso(o.shipped_at),
                    "inTransitAt": demo.iso(o.shipped_at),
                    "deliveredAt": demo.iso(o.delivered_at),
                    "estimatedDeliveryAt": demo.iso(o.expected_delivery),
                    "trackingInfo": [
                        {
                            "company": "DHL Express" if o.carrier == "DHL" else o.carrier,
                            "number": o.tracking_number,
                            "url": f"https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={o.tracking_number}",
                        }
                    ],
                    "fulfillmentLineItems": {
                        "nodes": [
                            {
                                "id": gid("FulfillmentLineItem", order_id * 100 + i),
                                "quantity": li["quantity"],
                                "lineItem": {"id": li["id"], "name": li["name"]},
                            }
                            for i, li in enumerate(line_items)
                        ]
                    },
                }
            )
        cancelled = o.status == "cancelled"
        a = o.address
        return {
            "id": gid("Order", order_id),
            "name": "#" + o.number,
            "email": o.email,
            "createdAt": demo.iso(o.placed_at),
            "processedAt": demo.iso(o.placed_at),
            "cancelledAt": demo.iso(o.placed_at) if cancelled else None,
            "cancelReason": "CUSTOMER" if cancelled else None,
            "displayFinancialStatus": FINANCIAL.get(o.payment_status, "PAID"),
            "displayFulfillmentStatus": "FULFILLED" if fulfillments else "UNFULFILLED",
            "paymentGatewayNames": [GATEWAY.get(o.payment_method, "manual")],
            "totalPriceSet": money_set(o.total_cents),
            "shippingAddress": {
                "firstName": a.first_name,
                "lastName": a.last_name,
                "address1": a.street,
                "address2": None,
                "zip": a.zip,
                "city": a.city,
                "countryCodeV2": a.country,
            },
            "_lineItems": line_items,
            "fulfillments": fulfillments,
            "returns": {
                "nodes": [
                    {
                        "id": gid("Return", order_id * 10 + i),
                        "name": f"#{o.number}-R{i + 1}",
                        "status": "OPEN",
                    }
                    for i, _ in enumerate(o.returns)
                ]
            },
            "refunds": [
                {
                    "id": gid("Refund", order_id),
                    "createdAt": demo.iso(o.placed_at),
                    "totalRefundedSet": money_set(o.total_cents),
                }
            ]
            if o.payment_status == "refunded"
            else [],
        }

    def by_id(self, order_id: str) -> Dict[str, Any] | None:
        return next((o for o in self.orders.values() if o["id"] == order_id), None)

    # -- cost bucket ----------------------------------------------------------------
    def available(self) -> float:
        now = time.monotonic()
        self._available = min(self.maximum, self._available + (now - self._at) * self.restore_rate)
        self._at = now
        return self._available

    def drain(self, to: float = 0.0, restore_rate: float | None = None) -> None:
        """Empty the bucket (as a burst of other calls would) so the next query is throttled."""
        self.available()
        self._available = to
        if restore_rate is not None:
            self.restore_rate = restore_rate

    def _cost(self, requested: float, actual: float | None) -> Dict[str, Any]:
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": {
                    "maximumAvailable": self.maximum,
                    "currentlyAvailable": round(self._available),
                    "restoreRate": self.restore_rate,
                },
            }
        }

    # -- transport --------------------------------------------------------------------
    def failure(self, status: int, retry_after: str | None) -> web.Response:
        headers = {"Retry-After": retry_after} if retry_after else {}
        text = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
        body = {"errors": text if status == 429 else "Internal Server Error"}
        return json_response(body, status, **headers)

    async def graphql(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Shopify-Access-Token") != self.token:
            return json_response({"errors": INVALID_TOKEN}, 401)
        if request.match_info["version"] != VERSION:
            return json_response({"errors": "Not Found"}, 404)
        body = await request.json()
        op = body.get("operationName")
        if op not in OPERATIONS:
            return json_response({"errors": [{"message": f"fake: unknown operation {op!r}"}]}, 400)
        requested, actual, needs = OPERATIONS[op]
        if self.available() < requested:
            self.throttled += 1
            throttled = {
                "message": "Throttled",
                "extensions": {
                    "code": "THROTTLED",
                    "documentation": "https://shopify.dev/api/usage/rate-limits",
                },
            }
            return json_response({"errors": [throttled], "extensions": self._cost(requested, None)})
        self._available -= actual
        missing = sorted(needs - self.scopes)
        if missing:
            field = ROOT_FIELD[op]
            denied = {
                "message": f"Access denied for {field} field. Required access: `{missing[0]}` access scope.",
                "locations": [{"line": 2, "column": 3}],
                "path": [field],
                "extensions": {
                    "code": "ACCESS_DENIED",
                    "documentation": "https://shopify.dev/api/usage/access-scopes",
                    "requiredAccess": f"`{missing[0]}` access scope.",
                },
            }
            return json_response(
                {"errors": [denied], "data": None, "extensions": self._cost(requested, actual)}
            )
        data = getattr(self, "op_" + op)(body.get("variables") or {})
        return json_response({"data": data, "extensions": self._cost(requested, actual)})

    # -- operations -------------------------------------------------------------------
    def op_ShopInfo(self, v: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "shop": {"name": "Bergsport Demo", "myshopifyDomain": "bergsport-demo.myshopify.com"}
        }

    def op_AppScopes(self, v: Dict[str, Any]) -> Dict[str, Any]:
        scopes = [{"handle": h} for h in sorted(self.scopes)]
        return {"currentAppInstallation": {"accessScopes": scopes}}

    @staticmethod
    def _search(query: str) -> Dict[str, str]:
        """Shopify search syntax, the subset sent: `name:#1001`, `email:a@b.de` (values may be quoted)."""
        terms = {}
        for part in query.split():
            key, _, value = part.partition(":")
            terms[key] = value.strip('"').lower()
        return terms

    def _line_items(self, order: Dict[str, Any], first: int, after: str | None) -> Dict[str, Any]:
        items = order["_lineItems"]
        start = uncursor(after) + 1
        page = items[start : start + first]
        return {
            "edges": [{"cursor": cursor(start + i), "node": n} for i, n in enumerate(page)],
            "pageInfo": {
                "hasNextPage": start + first < len(items),
                "endCursor": cursor(start + len(page) - 1) if page else None,
            },
        }

    def _order_view(self, order: Dict[str, Any], items: int) -> Dict[str, Any]:
        view = {k: v for k, v in order.items() if not k.startswith("_")}
        view["lineItems"] = self._line_items(order, items, None)
        return view

    def op_OrderByName(self, v: Dict[str, Any]) -> Dict[str, Any]:
        name = self._search(v["query"]).get("name", "")
        found = [o for n, o in self.orders.items() if n.lower() == name]
        return {"orders": {"nodes": [self._order_view(o, int(v.get("items", 50))) for o in found]}}

    def op_OrderLineItems(self, v: Dict[str, Any]) -> Dict[str, Any]:
        order = self.by_id(v["id"])
        if order is None:
            return {"order": None}
        return {
            "order": {"lineItems": self._line_items(order, int(v.get("first", 50)), v.get("after"))}
        }

    def op_OrdersByEmail(self, v: Dict[str, Any]) -> Dict[str, Any]:
        email = self._search(v["query"]).get("email")
        found = sorted(
            (o for o in self.orders.values() if email is None or o["email"].lower() == email),
            key=lambda o: o["createdAt"],
            reverse=True,
        )
        return {
            "orders": {"nodes": [{"name": o["name"]} for o in found[: int(v.get("first", 20))]]}
        }

    def op_OrderCancel(self, v: Dict[str, Any]) -> Dict[str, Any]:
        order = self.by_id(v["orderId"])
        errors = []
        if order is None:
            errors.append(
                {"field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"}
            )
        elif order["cancelledAt"]:
            errors.append(
                {
                    "field": ["orderId"],
                    "message": "Order has already been cancelled",
                    "code": "INVALID",
                }
            )
        elif order["fulfillments"]:
            errors.append(
                {
                    "field": ["orderId"],
                    "message": "Cannot cancel a fulfilled order",
                    "code": "INVALID",
                }
            )
        if errors:
            return {"orderCancel": {"job": None, "orderCancelUserErrors": errors}}
        assert order is not None
        self.cancelled_ids.append(order["id"])
        order["cancelledAt"] = demo.iso(datetime.now(timezone.utc))
        order["cancelReason"] = v.get("reason", "CUSTOMER")
        if v.get("refund") and order["displayFinancialStatus"] == "PAID":
            order["displayFinancialStatus"] = "REFUNDED"
        job = {"id": gid("Job", uuid.uuid4()), "done": False}
        return {"orderCancel": {"job": job, "orderCancelUserErrors": []}}

    def op_OrderUpdateAddress(self, v: Dict[str, Any]) -> Dict[str, Any]:
        data = v.get("input") or {}
        order = self.by_id(data.get("id", ""))
        if order is None:
            return {
                "orderUpdate": {
                    "order": None,
                    "userErrors": [{"field": ["id"], "message": "Order does not exist"}],
                }
            }
        address = data.get("shippingAddress") or {}
        errors = [
            {"field": ["shippingAddress", key], "message": f"{label} can't be blank"}
            for key, label in (("address1", "Address1"), ("zip", "Zip"), ("city", "City"))
            if not str(address.get(key) or "").strip()
        ]
        if address.get("countryCode") and len(address["countryCode"]) != 2:
            errors.append(
                {"field": ["shippingAddress", "countryCode"], "message": "Country is invalid"}
            )
        if errors:
            return {"orderUpdate": {"order": None, "userErrors": errors}}
        current = order["shippingAddress"]
        current.update(
            {
                k: address[k]
                for k in ("firstName", "lastName", "address1", "address2", "zip", "city")
                if k in address
            }
        )
        if address.get("countryCode"):
            current["countryCodeV2"] = address["countryCode"]
        return {
            "orderUpdate": {
                "order": {"id": order["id"], "shippingAddress": current},
                "userErrors": [],
            }
        }

    def op_ReturnRequest(self, v: Dict[str, Any]) -> Dict[str, Any]:
        """A customer's return request: status REQUESTED, the merchant approves it."""
        return {
            "returnRequest": self._new_return(v.get("input") or {}, "REQUESTED", "customerNote")
        }

    def op_ReturnCreate(self, v: Dict[str, Any]) -> Dict[str, Any]:
        """A return the merchant creates: status OPEN at once."""
        return {
            "returnCreate": self._new_return(v.get("returnInput") or {}, "OPEN", "returnReasonNote")
        }

    def _new_return(self, data: Dict[str, Any], status: str, note_field: str) -> Dict[str, Any]:
        order = self.by_id(data.get("orderId", ""))
        if order is None:
            err = {
                "field": ["input", "orderId"],
                "message": "Order does not exist",
                "code": "NOT_FOUND",
            }
            return {"return": None, "userErrors": [err]}
        fulfilled = {
            fli["id"]: fli["quantity"]
            for f in order["fulfillments"]
            for fli in f["fulfillmentLineItems"]["nodes"]
        }
        errors = []
        lines = data.get("returnLineItems") or []
        if not lines:
            errors.append(
                {
                    "field": ["input", "returnLineItems"],
                    "message": "Return must have at least one line item",
                    "code": "INVALID",
                }
            )
        for i, line in enumerate(lines):
            if line.get("fulfillmentLineItemId") not in fulfilled:
                errors.append(
                    {
                        "field": ["input", "returnLineItems", str(i), "fulfillmentLineItemId"],
                        "message": "Fulfillment line item does not exist",
                        "code": "NOT_FOUND",
                    }
                )
            elif not 1 <= int(line.get("quantity", 0)) <= fulfilled[line["fulfillmentLineItemId"]]:
                errors.append(
                    {
                        "field": ["input", "returnLineItems", str(i), "quantity"],
                        "message": "Quantity is not available for return",
                        "code": "INVALID",
                    }
                )
            elif line.get("returnReason") not in RETURN_REASONS:
                errors.append(
                    {
                        "field": ["input", "returnLineItems", str(i), "returnReason"],
                        "message": "Return reason is invalid",
                        "code": "INVALID",
                    }
                )
        if errors:
            return {"return": None, "userErrors": errors}
        returns = order["returns"]["nodes"]
        created = {
            "id": gid("Return", uuid.uuid4().int % 10**9),
            "name": f"{order['name']}-R{len(returns) + 1}",
            "status": status,
        }
        returns.append(created)
        self.return_notes.append(" ".join(str(line.get(note_field, "")) for line in lines))
        return {"return": created, "userErrors": []}


RETURN_REASONS = {
    "COLOR",
    "DEFECTIVE",
    "NOT_AS_DESCRIBED",
    "OTHER",
    "SIZE_TOO_LARGE",
    "SIZE_TOO_SMALL",
    "STYLE",
    "UNKNOWN",
    "UNWANTED",
    "WRONG_ITEM",
}
