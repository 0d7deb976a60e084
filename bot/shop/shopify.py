"""Shopify through the Admin GraphQL API (pinned version, default 2024-10).

Orders are found by `name` (Shopify's "#1001"), with line items (paged), fulfillments and their
tracking, returns and refunds. Writes: `orderCancel` (asynchronous on Shopify's side; the order's
`cancelledAt` is checked first, so a repeated confirmation never cancels twice), `orderUpdate`
with a new shipping address while nothing is fulfilled, and `returnRequest` (a return the
merchant approves in the admin, as a customer's own request would be; with
`shop.shopify.approve_returns: true` `returnCreate`, an open return that needs no approval).

Cost throttling: every answer carries `extensions.cost` (the query's requested and actual cost,
and the bucket: maximumAvailable, currentlyAvailable, restoreRate). A THROTTLED answer waits
until the bucket has refilled enough for the query; before each call the backend waits if the
last known bucket, refilled at the restore rate since, cannot pay the query's last requested
cost. Both waits stay inside the call's deadline (bot/shop/http.py), else ShopUnavailable.

Not on Shopify's Admin API, so declared missing: invoices (Shopify has no invoice documents),
tickets/notes for the team and mailing a customer their order numbers.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Sequence, Tuple

from bot.shop.backend import (
    NotAllowed,
    NotFound,
    ShopBackend,
    ShopConfigError,
    ShopUnavailable,
)
from bot.shop.http import Response, ShopHttp, retry_after
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
)
from bot.shop.platform import carrier_name, cents, utc

API_VERSION = "2024-10"
ITEMS_PER_PAGE = 50
MAX_ITEMS = 250  # an order with more lines is read only this far

MONEY = "shopMoney { amount currencyCode }"
ORDER_FIELDS = f"""
  id name email createdAt cancelledAt
  displayFinancialStatus displayFulfillmentStatus paymentGatewayNames
  totalPriceSet {{ {MONEY} }}
  shippingAddress {{ firstName lastName address1 address2 zip city countryCodeV2 }}
  lineItems(first: $items) {{
    edges {{ cursor node {{ id name quantity originalUnitPriceSet {{ {MONEY} }} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
  fulfillments(first: 10) {{
    id status displayStatus createdAt inTransitAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 3) {{ company number url }}
    fulfillmentLineItems(first: 50) {{ nodes {{ id quantity lineItem {{ id name }} }} }}
  }}
  returns(first: 10) {{ nodes {{ id name status }} }}
  refunds(first: 10) {{ id createdAt totalRefundedSet {{ {MONEY} }} }}
"""
DOCUMENTS: Dict[str, str] = {
    "ShopInfo": "query ShopInfo { shop { name myshopifyDomain } }",
    "AppScopes": "query AppScopes { currentAppInstallation { accessScopes { handle } } }",
    "OrderByName": f"""query OrderByName($query: String!, $items: Int!) {{
  orders(first: 1, query: $query) {{ nodes {{ {ORDER_FIELDS} }} }}
}}""",
    "OrderLineItems": f"""query OrderLineItems($id: ID!, $first: Int!, $after: String) {{
  order(id: $id) {{
    lineItems(first: $first, after: $after) {{
      edges {{ cursor node {{ id name quantity originalUnitPriceSet {{ {MONEY} }} }} }}
      pageInfo {{ hasNextPage endCursor }}
    }}
  }}
}}""",
    "OrdersByEmail": """query OrdersByEmail($query: String!, $first: Int!) {
  orders(first: $first, query: $query, sortKey: CREATED_AT, reverse: true) { nodes { name } }
}""",
    "OrderCancel": """mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}""",
    "OrderUpdateAddress": """mutation OrderUpdateAddress($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id shippingAddress { address1 zip city countryCodeV2 } }
    userErrors { field message }
  }
}""",
    "ReturnCreate": """mutation ReturnCreate($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) {
    return { id name status }
    userErrors { field message code }
  }
}""",
    "ReturnRequest": """mutation ReturnRequest($input: ReturnRequestInput!) {
  returnRequest(input: $input) {
    return { id name status }
    userErrors { field message code }
  }
}""",
}
PAYMENT = {
    "PAID": "paid",
    "PENDING": "pending",
    "AUTHORIZED": "authorized",
    "PARTIALLY_PAID": "pending",
    "PARTIALLY_REFUNDED": "partially_refunded",
    "REFUNDED": "refunded",
    "VOIDED": "failed",
    "EXPIRED": "failed",
}
GATEWAYS = {
    "paypal": "PayPal",
    "shopify_payments": "Kreditkarte",
    "klarna": "Klarna",
    "bank_deposit": "Vorkasse",
    "cash_on_delivery": "Nachnahme",
}
RETURN_STATUS = {"REQUESTED": "open", "OPEN": "open", "CLOSED": "closed"}
# what the declared capabilities need (docs/operator/shops.md lists them for the operator)
SCOPES = ("read_orders", "write_orders", "read_returns", "write_returns")


class ShopifyShop(ShopBackend):
    name: ClassVar[str] = "shopify"
    secrets: ClassVar[Tuple[str, ...]] = ("KD_SHOPIFY_ACCESS_TOKEN",)
    capabilities: ClassVar[FrozenSet[Capability]] = frozenset(
        {
            Capability.FIND_ORDER,
            Capability.ORDERS_BY_EMAIL,
            Capability.CANCEL,
            Capability.CHANGE_ADDRESS,
            Capability.CREATE_RETURN,
            Capability.READ_RETURNS,
        }
    )

    def __init__(
        self,
        url: str,
        token: str,
        *,
        api_version: str = API_VERSION,
        name_prefix: str = "#",
        timeout: float = 8.0,
        retries: int = 3,
        ca_file: str = "",
        notify_customer: bool = True,
        approve_returns: bool = False,
    ) -> None:
        self.path = f"/admin/api/{api_version}/graphql.json"
        self.name_prefix = name_prefix
        self.notify_customer = notify_customer
        self.approve_returns = approve_returns  # returnCreate (open) instead of returnRequest
        self.http = ShopHttp(
            url,
            timeout=timeout,
            max_attempts=retries,
            ca_file=ca_file,
            headers={"X-Shopify-Access-Token": token},
            throttled=self._throttled,
        )
        # the cost bucket as Shopify last reported it: (available, restore rate, maximum, when)
        self._bucket: tuple[float, float, float, float] | None = None
        self._cost: Dict[str, float] = {}  # operation -> its last requested cost

    @classmethod
    def from_config(cls, config: Any) -> ShopifyShop:
        options: Mapping[str, Any] = config.options
        if not config.url:
            raise ShopConfigError("config", "shop.url is empty (https://<shop>.myshopify.com)")
        return cls(
            config.url,
            config.secret(cls.secrets[0]),
            api_version=str(options.get("api_version") or API_VERSION),
            name_prefix=str(options.get("name_prefix", "#")),
            timeout=config.timeout,
            retries=config.retries,
            ca_file=config.ca_file,
            notify_customer=bool(options.get("notify_customer", True)),
            approve_returns=bool(options.get("approve_returns", False)),
        )

    # --- GraphQL transport ----------------------------------------------------------------------
    def _remember(self, body: Any) -> Dict[str, Any] | None:
        cost = (body.get("extensions") or {}).get("cost") if isinstance(body, dict) else None
        status = (cost or {}).get("throttleStatus")
        if not status:
            return None
        self._bucket = (
            float(status.get("currentlyAvailable") or 0),
            float(status.get("restoreRate") or 1) or 1.0,
            float(status.get("maximumAvailable") or 0),
            time.monotonic(),
        )
        return cost  # type: ignore[no-any-return]

    def _throttled(self, response: Response) -> float | None:
        """Seconds to wait before retrying: a 429's Retry-After, or until the bucket pays the query."""
        wait = retry_after(response)
        if wait is not None:
            return wait
        body = response.body
        errors = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(errors, list):  # a plain-string `errors` (401, 5xx) is no throttle
            return None
        codes = {(e.get("extensions") or {}).get("code") for e in errors if isinstance(e, dict)}
        if "THROTTLED" not in codes:
            return None
        cost = self._remember(body) or {}
        requested = float(cost.get("requestedQueryCost") or 0)
        available, rate, _maximum, _at = self._bucket or (0.0, 50.0, 0.0, 0.0)
        return max(0.05, (requested - available) / rate)

    async def _pace(self, operation: str) -> None:
        """Wait (within the timeout) if the known bucket cannot pay this operation yet."""
        requested = self._cost.get(operation)
        if self._bucket is None or requested is None:
            return
        available, rate, maximum, at = self._bucket
        if requested > maximum:
            return
        now_available = min(maximum, available + (time.monotonic() - at) * rate)
        wait = (requested - now_available) / rate
        if wait > 0:
            if wait >= self.http.timeout:
                raise ShopUnavailable(f"{operation}: Shopify's query budget is used up")
            await asyncio.sleep(wait)

    async def _query(
        self, operation: str, variables: Dict[str, Any], *, write: bool = False
    ) -> Dict[str, Any]:
        await self._pace(operation)
        response = await self.http.request(
            "POST",
            self.path,
            json_body={
                "query": DOCUMENTS[operation],
                "operationName": operation,
                "variables": variables,
            },
            retry=not write,
        )
        body = response.body if isinstance(response.body, dict) else {}
        if response.status == 404:
            raise ShopConfigError("url", f"{response.where()} (a Shopify shop and API version?)")
        if response.status == 403:
            raise ShopConfigError("permission", response.where())
        if response.status in (301, 302, 303, 307, 308) or not response.ok:
            raise ShopConfigError("url", response.where())
        cost = self._remember(body)
        if cost and cost.get("requestedQueryCost") is not None:
            self._cost[operation] = float(cost["requestedQueryCost"])
        errors = body.get("errors")
        if errors:
            first: Any = errors[0] if isinstance(errors, list) else {}
            extensions = (first.get("extensions") if isinstance(first, dict) else None) or {}
            if extensions.get("code") == "ACCESS_DENIED":
                raise ShopConfigError(
                    "permission",
                    f"{operation}: {extensions.get('requiredAccess') or 'access denied'}",
                )
            raise ShopConfigError(
                "config", f"{operation}: GraphQL error {extensions.get('code') or ''}".strip()
            )
        data = body.get("data")
        if not isinstance(data, dict):
            raise ShopUnavailable(f"{operation}: no data in Shopify's answer")
        return data

    # --- reads ----------------------------------------------------------------------------------
    def _name(self, number: str) -> str:
        return number if number.startswith(self.name_prefix) else self.name_prefix + number

    async def _node(self, number: str) -> Dict[str, Any] | None:
        name = self._name(number).replace('"', "")
        data = await self._query(
            "OrderByName", {"query": f'name:"{name}"', "items": ITEMS_PER_PAGE}
        )
        nodes = (data.get("orders") or {}).get("nodes") or []
        node = next((n for n in nodes if str(n.get("name", "")).lower() == name.lower()), None)
        if node is None:
            return None
        edges = list(node["lineItems"]["edges"])
        page = node["lineItems"]["pageInfo"]
        while page.get("hasNextPage") and len(edges) < MAX_ITEMS:
            more = await self._query(
                "OrderLineItems",
                {"id": node["id"], "first": ITEMS_PER_PAGE, "after": page["endCursor"]},
            )
            items = (more.get("order") or {}).get("lineItems") or {"edges": [], "pageInfo": {}}
            edges += items["edges"]
            page = items["pageInfo"]
        node["lineItems"] = {"edges": edges}
        return node

    async def find_order(self, number: str) -> Order | None:
        node = await self._node(number)
        return None if node is None else self._order(number, node)

    def _order(self, number: str, node: Dict[str, Any]) -> Order:
        shipments = []
        for f in node.get("fulfillments") or []:
            if f.get("status") in ("CANCELLED", "ERROR", "FAILURE"):
                continue
            tracking = (f.get("trackingInfo") or [{}])[0] or {}
            shipments.append(
                Shipment(
                    carrier=carrier_name(tracking.get("company") or ""),
                    tracking_number=tracking.get("number") or "",
                    shipped_at=utc(f.get("inTransitAt") or f.get("createdAt")),
                    expected_delivery=utc(f.get("estimatedDeliveryAt")),
                    delivered_at=utc(f.get("deliveredAt")),
                )
            )
        if node.get("cancelledAt"):
            status = CANCELLED
        elif (
            shipments
            and node.get("displayFulfillmentStatus") == "FULFILLED"
            and all(s.delivered_at for s in shipments)
        ):
            status = DELIVERED
        elif shipments:
            status = SHIPPED
        else:
            status = PROCESSING
        a = node.get("shippingAddress") or {}
        street = " ".join(filter(None, [a.get("address1"), a.get("address2")]))
        text = f"{street}, {a.get('zip') or ''} {a.get('city') or ''}".strip(" ,")
        gateways = node.get("paymentGatewayNames") or []
        total = (node.get("totalPriceSet") or {}).get("shopMoney") or {}
        return Order(
            number=number,
            key=node["id"],
            status=status,
            email=node.get("email") or "",
            placed_at=utc(node.get("createdAt")),
            items=tuple(
                Item(
                    name=e["node"]["name"],
                    quantity=int(e["node"].get("quantity") or 1),
                    price_cents=cents(
                        ((e["node"].get("originalUnitPriceSet") or {}).get("shopMoney") or {}).get(
                            "amount"
                        )
                    ),
                    line_id=e["node"]["id"],
                )
                for e in node["lineItems"]["edges"]
            ),
            total_cents=cents(total.get("amount")),
            currency=total.get("currencyCode") or "EUR",
            payment_method=GATEWAYS.get(gateways[0], gateways[0]) if gateways else "",
            payment_status=PAYMENT.get(node.get("displayFinancialStatus") or "", "unknown"),
            shipping_address=Address(
                text, street, a.get("zip") or "", a.get("city") or "", a.get("countryCodeV2") or ""
            ),
            shipments=tuple(shipments),
            returns=tuple(
                ReturnCase(
                    reference=r["name"], status=RETURN_STATUS.get(r.get("status"), "cancelled")
                )
                for r in (node.get("returns") or {}).get("nodes") or []
            ),
            refunds=tuple(
                Refund(
                    amount_cents=cents(
                        ((r.get("totalRefundedSet") or {}).get("shopMoney") or {}).get("amount")
                    ),
                    created_at=utc(r.get("createdAt")),
                )
                for r in node.get("refunds") or []
            ),
        )

    async def orders_by_email(self, email: str) -> List[str]:
        clean = email.strip().lower().replace('"', "")
        data = await self._query("OrdersByEmail", {"query": f'email:"{clean}"', "first": 20})
        return [n["name"] for n in (data.get("orders") or {}).get("nodes") or []]

    async def check(self) -> Order | None:
        """Credentials, the app's access scopes (all of SCOPES), then the newest order."""
        await self._query("ShopInfo", {})
        data = await self._query("AppScopes", {})
        granted = {
            s.get("handle")
            for s in (data.get("currentAppInstallation") or {}).get("accessScopes") or []
        }
        missing = [scope for scope in SCOPES if scope not in granted]
        if missing:
            raise ShopConfigError("permission", f"access scopes missing: {', '.join(missing)}")
        data = await self._query("OrdersByEmail", {"query": "", "first": 1})
        names = [n["name"] for n in (data.get("orders") or {}).get("nodes") or []]
        return await self.find_order(names[0]) if names else None

    # --- writes -----------------------------------------------------------------------------------
    async def _current(self, order: Order) -> Dict[str, Any]:
        node = await self._node(order.number)
        if node is None or node["id"] != order.key:
            raise NotFound("the order is no longer in the shop")
        return node

    async def cancel(self, order: Order, idempotency_key: str) -> Order:
        node = await self._current(order)
        if node.get("cancelledAt"):
            return self._order(order.number, node)  # a repeated confirmation: already done
        if self._order(order.number, node).status != PROCESSING:
            raise NotAllowed("the order has shipped")
        data = await self._query(
            "OrderCancel",
            {
                "orderId": node["id"],
                "reason": "CUSTOMER",
                "refund": True,
                "restock": True,
                "notifyCustomer": self.notify_customer,
                "staffNote": f"Storniert auf Wunsch des Kunden im Chat ({idempotency_key})",
            },
            write=True,
        )
        errors = (data.get("orderCancel") or {}).get("orderCancelUserErrors") or []
        if errors:
            after = await self._current(order)
            if after.get("cancelledAt"):  # cancelled meanwhile (another attempt, the merchant)
                return self._order(order.number, after)
            raise NotAllowed(f"orderCancel: {errors[0].get('code') or 'refused'}")
        node["cancelledAt"] = node.get("cancelledAt") or "pending"  # Shopify's job runs after this
        return self._order(order.number, node)

    async def change_address(self, order: Order, address: Address) -> Order:
        if not address.complete:
            raise NotAllowed("the address needs street, postcode and city")
        node = await self._current(order)
        if self._order(order.number, node).status != PROCESSING:
            raise NotAllowed("the order has shipped")
        current = node.get("shippingAddress") or {}
        new = {
            "firstName": current.get("firstName"),
            "lastName": current.get("lastName"),
            "address1": address.street,
            "address2": "",
            "zip": address.zipcode,
            "city": address.city,
            "countryCode": address.country or current.get("countryCodeV2") or "DE",
        }
        data = await self._query(
            "OrderUpdateAddress", {"input": {"id": node["id"], "shippingAddress": new}}, write=True
        )
        errors = (data.get("orderUpdate") or {}).get("userErrors") or []
        if errors:
            raise NotAllowed(f"orderUpdate: {'/'.join(errors[0].get('field') or [])} refused")
        node["shippingAddress"] = {**current, **new, "countryCodeV2": new["countryCode"]}
        return self._order(order.number, node)

    async def create_return(
        self, order: Order, items: Sequence[Item], reason: str, mode: str
    ) -> ReturnCase:
        node = await self._current(order)
        wanted = {i.line_id for i in items if i.line_id}
        note = f"{'Umtausch' if mode == 'exchange' else 'Erstattung'}: {reason.strip()}"
        # returnRequest takes the customer's note (300 characters), returnCreate a reason note (255)
        note_field = ("returnReasonNote", 255) if self.approve_returns else ("customerNote", 300)
        lines = [
            {
                "fulfillmentLineItemId": fli["id"],
                "quantity": int(fli["quantity"]),
                "returnReason": "OTHER",
                note_field[0]: note[: note_field[1]],
            }
            for f in node.get("fulfillments") or []
            for fli in (f.get("fulfillmentLineItems") or {}).get("nodes") or []
            if not wanted or fli["lineItem"]["id"] in wanted
        ]
        if not lines:
            raise NotAllowed("nothing of this order has been delivered yet")
        if self.approve_returns:
            operation, root = "ReturnCreate", "returnCreate"
            variables: Dict[str, Any] = {
                "returnInput": {
                    "orderId": node["id"],
                    "returnLineItems": lines,
                    "notifyCustomer": self.notify_customer,
                }
            }
        else:
            operation, root = "ReturnRequest", "returnRequest"
            variables = {"input": {"orderId": node["id"], "returnLineItems": lines}}
        data = await self._query(operation, variables, write=True)
        payload = data.get(root) or {}
        if payload.get("userErrors") or not payload.get("return"):
            code = ((payload.get("userErrors") or [{}])[0]).get("code") or "refused"
            raise NotAllowed(f"{root}: {code}")
        created = payload["return"]
        return ReturnCase(reference=created["name"], mode=mode, status="open")

    async def close(self) -> None:
        await self.http.close()
