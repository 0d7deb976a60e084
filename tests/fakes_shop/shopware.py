"""A fake Shopware 6 Admin API (Shopware 6.6).

Wire format from Shopware's own source, shopware/shopware trunk of October 2024 (commit
cfc087db, 6.6 line), which the published Admin API reference is generated from:
- `POST /api/oauth/token` (client_credentials; answer {"token_type": "Bearer", "expires_in":
  600, "access_token"}); a wrong secret is league/oauth2-server's invalid_client as Shopware's
  ErrorResponseFactory writes it: 401 {"errors": [{"code": "4", "status": "401", "title":
  "Client authentication failed", "detail": null}]};
- `POST /api/search/order` with criteria (page, limit, filter equals / multi, sort, associations,
  includes, total-count-mode) answering {"total", "data", "aggregations"} (Accept:
  application/json), entities carrying their `apiAlias`; nested `stateMachineState` only when
  the association is asked for (6.6 behaviour);
- `POST /api/_action/order/{id}/state/{transition}` (OrderActionController) for the order state
  machine (open -> in_progress -> completed, cancel from open/in_progress), 400
  SYSTEM__ILLEGAL_STATE_TRANSITION otherwise (StateMachineException);
- `PATCH /api/order-address/{id}` -> 204;
- every error as {"errors": [{"status", "code", "title", "detail", "meta": {"parameters"}}]}:
  401 without a valid token, 403 FRAMEWORK__MISSING_PRIVILEGE_ERROR (detail is the JSON
  {"message": "Missing privilege", "missingPrivileges": [...]}, MissingPrivilegeException),
  429 FRAMEWORK__RATE_LIMIT_EXCEEDED with meta.parameters.seconds (RateLimitExceededException;
  Shopware sends no Retry-After header).

Seeded with the demo shop's orders (tests/fakes_shop/demo.py); ids are 32-hex strings.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timezone
from typing import Any, Dict, List, Set

from aiohttp import web

from tests.fakes_shop import demo
from tests.fakes_shop.base import FakeShopPlatform, json_response

ALL_PRIVILEGES = frozenset(
    {
        "order:read",
        "order:update",
        "order_address:read",
        "order_address:update",
        "order_customer:read",
        "order_line_item:read",
        "order_delivery:read",
        "order_transaction:read",
        "document:read",
        "document_type:read",
        "state_machine:read",
        "state_machine_state:read",
        "state_machine_transition:read",
        "state_machine_history:create",
        "shipping_method:read",
        "payment_method:read",
        "country:read",
    }
)
ORDER_STATE = {
    "processing": "open",
    "shipped": "in_progress",
    "delivered": "completed",
    "cancelled": "cancelled",
}
DELIVERY_STATE = {
    "processing": "open",
    "shipped": "shipped",
    "delivered": "shipped",
    "cancelled": "cancelled",
}
PAYMENT_STATE = {
    "paid": "paid",
    "open": "open",
    "pending": "open",
    "double_charged": "paid",
    "refund_pending": "paid",  # the goods came back, the refund is not booked yet
    "refunded": "refunded",
}
TRANSITIONS = {  # order state machine: transition -> (allowed from, to)
    "process": ({"open"}, "in_progress"),
    "complete": ({"in_progress"}, "completed"),
    "cancel": ({"open", "in_progress"}, "cancelled"),
    "reopen": ({"completed", "cancelled"}, "open"),
}


def hex_id(*parts: str) -> str:
    return hashlib.md5(":".join(parts).encode()).hexdigest()  # noqa: S324 - an id, not a secret


def iso(value: datetime | None) -> str | None:
    """Shopware's DateTime fields: RFC 3339 with milliseconds and +00:00."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")


def state(name: str) -> Dict[str, Any]:
    return {"technicalName": name, "name": name, "apiAlias": "state_machine_state"}


def error(
    status: int, code: str, title: str, detail: str | None, **parameters: Any
) -> web.Response:
    body: Dict[str, Any] = {"status": str(status), "code": code, "title": title, "detail": detail}
    if parameters:
        body["meta"] = {"parameters": parameters}
    return json_response({"errors": [body]}, status)


class FakeShopware(FakeShopPlatform):
    def __init__(
        self,
        client_id: str = "SWIATESTKEY",
        client_secret: str = "test-secret",
        *,
        privileges: Set[str] | frozenset[str] = ALL_PRIVILEGES,
        token_lifetime: int = 600,
    ) -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.privileges = set(privileges)
        self.token_lifetime = token_lifetime
        self.tokens: Set[str] = set()
        self.orders: Dict[str, Dict[str, Any]] = {}  # id -> stored order (full entity)
        self.addresses: Dict[str, Dict[str, Any]] = {}
        for o in demo.orders():
            self._seed(o)
        self.app.router.add_post("/api/oauth/token", self.token)
        self.app.router.add_post("/api/search/order", self.search_orders)
        self.app.router.add_post("/api/_action/order/{id}/state/{transition}", self.transition)
        self.app.router.add_patch("/api/order-address/{id}", self.patch_address)

    # --- seeding ----------------------------------------------------------------------------------
    def _seed(self, o: demo.DemoOrder) -> None:
        oid = hex_id("order", o.number)
        address_id = hex_id("address", o.number)
        country = {"iso": o.address.country, "name": o.address.country, "apiAlias": "country"}
        address = {
            "id": address_id,
            "firstName": o.address.first_name,
            "lastName": o.address.last_name,
            "street": o.address.street,
            "zipcode": o.address.zip,
            "city": o.address.city,
            "country": country,
            "apiAlias": "order_address",
        }
        self.addresses[address_id] = address
        delivered = o.status == "delivered"
        delivery = {
            "id": hex_id("delivery", o.number),
            "orderId": oid,
            "trackingCodes": [o.tracking_number] if o.tracking_number else [],
            "shippingDateEarliest": iso(o.expected_delivery),
            "shippingDateLatest": iso(o.expected_delivery),
            "shippingOrderAddressId": address_id,
            "shippingMethod": {
                "name": f"{o.carrier or 'DHL'} Paket",
                "apiAlias": "shipping_method",
            },
            "stateMachineState": state("returned" if o.returns else DELIVERY_STATE[o.status]),
            "updatedAt": iso(o.returns[0].created_at if o.returns else o.shipped_at),
            "apiAlias": "order_delivery",
        }
        documents = []
        if o.status in ("shipped", "delivered"):
            documents.append(
                {
                    "id": hex_id("invoice", o.number),
                    "documentNumber": f"RE-{o.number}",
                    "config": {"documentNumber": f"RE-{o.number}"},
                    "documentType": {"technicalName": "invoice", "apiAlias": "document_type"},
                    "createdAt": iso(o.shipped_at),
                    "apiAlias": "document",
                }
            )
        for r in o.returns:  # the merchant booked the return: a credit note
            documents.append(
                {
                    "id": hex_id("credit", r.reference),
                    "documentNumber": r.reference,
                    "config": {"documentNumber": r.reference},
                    "documentType": {"technicalName": "credit_note", "apiAlias": "document_type"},
                    "createdAt": iso(r.created_at),
                    "apiAlias": "document",
                }
            )
        self.orders[oid] = {
            "id": oid,
            "orderNumber": o.number,
            "orderDateTime": iso(o.placed_at),
            "amountTotal": o.total_cents / 100,
            "amountNet": round(o.total_cents / 119, 2),
            "updatedAt": iso(o.delivered_at if delivered else o.placed_at),
            "customerComment": None,
            "stateMachineState": state(ORDER_STATE[o.status]),
            "orderCustomer": {
                "email": o.email,
                "firstName": o.address.first_name,
                "lastName": o.address.last_name,
                "apiAlias": "order_customer",
            },
            "lineItems": [
                {
                    "id": hex_id("item", o.number, str(n)),
                    "label": i.name,
                    "quantity": i.quantity,
                    "unitPrice": i.price_cents / 100,
                    "totalPrice": i.quantity * i.price_cents / 100,
                    "type": "product",
                    "position": n + 1,
                    "apiAlias": "order_line_item",
                }
                for n, i in enumerate(o.items)
            ],
            "addresses": [address],
            "deliveries": [delivery],
            "transactions": [
                {
                    "id": hex_id("transaction", o.number),
                    "amount": {"totalPrice": o.total_cents / 100},
                    "createdAt": iso(o.placed_at),
                    "paymentMethod": {"name": o.payment_method, "apiAlias": "payment_method"},
                    "stateMachineState": state(PAYMENT_STATE.get(o.payment_status, "open")),
                    "apiAlias": "order_transaction",
                }
            ],
            "documents": documents,
            "apiAlias": "order",
        }

    # --- helpers for tests ------------------------------------------------------------------------
    def by_number(self, number: str) -> Dict[str, Any]:
        return next(o for o in self.orders.values() if o["orderNumber"] == number)

    def set_state(self, number: str, order: str | None = None, delivery: str | None = None) -> None:
        raw = self.by_number(number)
        if order:
            raw["stateMachineState"] = state(order)
        if delivery:
            raw["deliveries"][0]["stateMachineState"] = state(delivery)

    # --- protocol ---------------------------------------------------------------------------------
    def failure(self, status: int, retry_after: str | None) -> web.Response:
        if status == 429:
            return error(
                429,
                "FRAMEWORK__RATE_LIMIT_EXCEEDED",
                "Too Many Requests",
                f"Too many requests, try again in {retry_after or 1} seconds.",
                seconds=int(float(retry_after or 1)),
            )
        return error(status, "0", "Internal Server Error" if status >= 500 else "Error", "")

    def _authorised(self, request: web.Request) -> web.Response | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in self.tokens:
            return error(
                401,
                "9",
                "Unauthorized",
                "The resource owner or authorization server denied the request.",
            )
        return None

    def _refused(self, request: web.Request, *needed: str) -> web.Response | None:
        """401 without a valid token, else 403 for a missing privilege, else None. (An aiohttp
        response is a mapping and falsy when empty: never `a or b` with responses.)"""
        unauthorised = self._authorised(request)
        return unauthorised if unauthorised is not None else self._privileged(*needed)

    def _privileged(self, *needed: str) -> web.Response | None:
        missing = [p for p in needed if p not in self.privileges]
        if missing:
            detail = json.dumps({"message": "Missing privilege", "missingPrivileges": missing})
            return error(403, "FRAMEWORK__MISSING_PRIVILEGE_ERROR", "Forbidden", detail)
        return None

    async def token(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = dict(await request.post())
        if body.get("grant_type") != "client_credentials":
            return error(400, "2", "The authorization grant type is not supported.", None)
        if (
            body.get("client_id") != self.client_id
            or body.get("client_secret") != self.client_secret
        ):
            return error(401, "4", "Client authentication failed", None)
        token = secrets.token_hex(16)
        self.tokens.add(token)
        return json_response(
            {"token_type": "Bearer", "expires_in": self.token_lifetime, "access_token": token}
        )

    def expire_tokens(self) -> None:
        """Every issued token stops working (Shopware's are short-lived)."""
        self.tokens.clear()

    async def search_orders(self, request: web.Request) -> web.Response:
        refused = self._refused(request, "order:read")
        if refused is not None:
            return refused
        criteria = await request.json()
        associations = criteria.get("associations") or {}
        refused = self._privileged(*self._association_privileges(associations))
        if refused is not None:
            return refused
        hits = [o for o in self.orders.values() if self._matches(o, criteria.get("filter") or [])]
        for sort in reversed(criteria.get("sort") or []):
            hits.sort(
                key=lambda o: str(self._field(o, sort["field"]) or ""),
                reverse=str(sort.get("order", "ASC")).upper() == "DESC",
            )
        limit = int(criteria.get("limit") or 25)
        page = int(criteria.get("page") or 1)
        if limit < 1 or limit > 500:
            return error(
                400, "FRAMEWORK__INVALID_LIMIT_QUERY", "Bad Request", "limit must be 1-500"
            )
        chunk = hits[(page - 1) * limit : page * limit]
        data = [self._shape(o, associations, criteria.get("includes") or {}) for o in chunk]
        total = len(hits) if criteria.get("total-count-mode") in (1, "exact") else len(chunk)
        return json_response({"total": total, "data": data, "aggregations": []})

    @staticmethod
    def _association_privileges(associations: Dict[str, Any]) -> List[str]:
        names = {
            "lineItems": "order_line_item:read",
            "deliveries": "order_delivery:read",
            "transactions": "order_transaction:read",
            "addresses": "order_address:read",
            "documents": "document:read",
            "orderCustomer": "order_customer:read",
        }
        return [p for key, p in names.items() if key in associations]

    @staticmethod
    def _field(order: Dict[str, Any], path: str) -> Any:
        value: Any = order
        for part in path.removeprefix("order.").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def _matches(self, order: Dict[str, Any], filters: List[Dict[str, Any]]) -> bool:
        for f in filters:
            kind = f.get("type")
            if kind == "equals":
                value = self._field(order, f["field"])
                if f["field"].endswith("email"):
                    if str(value or "").lower() != str(f.get("value") or "").lower():
                        return False
                elif str(value) != str(f.get("value")):
                    return False
            elif kind == "equalsAny":
                if str(self._field(order, f["field"])) not in [
                    str(v) for v in f.get("value") or []
                ]:
                    return False
            elif kind == "multi":
                results = [self._matches(order, [q]) for q in f.get("queries") or []]
                if not (
                    all(results) if f.get("operator", "AND").upper() == "AND" else any(results)
                ):
                    return False
        return True

    def _shape(
        self, order: Dict[str, Any], associations: Dict[str, Any], includes: Dict[str, List[str]]
    ) -> Dict[str, Any]:
        """The order as Shopware 6.6 returns it: associations only when asked (nested state
        machine states too), then `includes` applied per apiAlias."""

        def loaded(entity: Any, wanted: Dict[str, Any], own: Set[str]) -> Any:
            if isinstance(entity, list):
                return [loaded(e, wanted, own) for e in entity]
            if not isinstance(entity, dict):
                return entity
            out: Dict[str, Any] = {}
            for key, value in entity.items():
                if (
                    isinstance(value, (dict, list))
                    and key not in own
                    and key
                    not in (
                        "amount",
                        "config",
                        "trackingCodes",
                    )
                ):
                    if key not in wanted:
                        out[key] = None if isinstance(value, dict) else []
                        continue
                    nested = (wanted.get(key) or {}).get("associations") or {}
                    out[key] = loaded(value, nested, set())
                else:
                    out[key] = value
            return out

        shaped = loaded(order, {**associations, "stateMachineState": {}}, set())
        if "deliveries" in associations and "shippingOrderAddress" in (
            (associations["deliveries"] or {}).get("associations") or {}
        ):
            for d in shaped.get("deliveries") or []:
                d["shippingOrderAddress"] = dict(self.addresses[d["shippingOrderAddressId"]])
        return self._included(shaped, includes)

    def _included(self, entity: Any, includes: Dict[str, List[str]]) -> Any:
        if isinstance(entity, list):
            return [self._included(e, includes) for e in entity]
        if not isinstance(entity, dict):
            return entity
        alias = entity.get("apiAlias")
        keep = includes.get(alias) if alias else None
        return {
            k: self._included(v, includes)
            for k, v in entity.items()
            if keep is None or k in keep or k == "apiAlias"
        }

    async def transition(self, request: web.Request) -> web.Response:
        refused = self._refused(request, "order:update", "state_machine_history:create")
        if refused is not None:
            return refused
        order = self.orders.get(request.match_info["id"])
        if order is None:
            return error(404, "FRAMEWORK__ENTITY_NOT_FOUND", "Not Found", "order not found")
        name = request.match_info["transition"]
        current = order["stateMachineState"]["technicalName"]
        allowed, target = TRANSITIONS.get(name, (set(), ""))
        if current not in allowed:
            possible = [t for t, (src, _) in TRANSITIONS.items() if current in src]
            return error(
                400,
                "SYSTEM__ILLEGAL_STATE_TRANSITION",
                "Bad Request",
                f'Illegal transition "{name}" from state "{current}". Possible transitions are: '
                + ", ".join(possible),
                currentState=current,
                transition=name,
                possibleTransitions=possible,
            )
        order["stateMachineState"] = state(target)
        if target == "cancelled":
            order["deliveries"][0]["stateMachineState"] = state("cancelled")
        return json_response({**state(target), "id": hex_id("state", target)})

    async def patch_address(self, request: web.Request) -> web.Response:
        refused = self._refused(request, "order_address:update")
        if refused is not None:
            return refused
        address = self.addresses.get(request.match_info["id"])
        if address is None:
            return error(404, "FRAMEWORK__ENTITY_NOT_FOUND", "Not Found", "order_address not found")
        body = await request.json()
        for key in ("street", "zipcode", "city"):
            if key in body:
                address[key] = body[key]
        return web.Response(status=204)
