"""actions/shop.py: every flow meets a missing capability or a shop that is down honestly - it
says so and offers a human (a "ja" hands over) instead of failing or going quiet."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, ClassVar, Dict, FrozenSet, List

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.faq import ActionFaq
from actions.orders import ActionChangeAddress, ActionHandleVerified
from actions.returns import ActionCreateComplaint, ActionCreateReturn
from actions.verification import ValidateReturnForm, ValidateVerifyForm
from bot.dialogue import pending
from bot.shop.backend import ShopUnavailable
from bot.shop.demo import DemoShop
from bot.shop.model import Capability, Order
from tests.trackers import make_tracker, user_event


class Limited(DemoShop):
    """The demo shop that can only read orders."""

    capabilities: ClassVar[FrozenSet[Capability]] = frozenset({Capability.FIND_ORDER})


class Down(DemoShop):
    async def find_order(self, number: str) -> Order | None:
        raise ShopUnavailable("POST /api/search/order: no answer within 8 s")


@pytest.fixture()
def limited(shop_db: str) -> Any:
    shop._state["backend"] = Limited()
    yield
    shop.reset()


def verified(number: str, **slots: Any) -> Dict[str, Any]:
    return {"order_id": number, "verified_order": number, "bot_actions": [], **slots}


async def run(action: Any, slots: Dict[str, Any], text: str, intent: str) -> List[Dict[str, Any]]:
    d = CollectingDispatcher()
    events = [user_event(text, intent), {"event": "active_loop", "name": None}]
    await action.run(d, make_tracker(slots, events), {})
    return d.messages


async def cancel() -> List[Dict[str, Any]]:
    return await run(ActionHandleVerified(), verified("100236"), "stornieren", "cancel_order")


async def change_address() -> List[Dict[str, Any]]:
    slots = verified("100236", new_address="Neue Str. 1, 10115 Berlin")
    return await run(ActionChangeAddress(), slots, "Adresse ändern", "change_address")


async def create_return() -> List[Dict[str, Any]]:
    slots = verified("100235", return_reason="zu klein", return_mode="refund")
    return await run(ActionCreateReturn(), slots, "zurückschicken", "return_item")


async def read_returns() -> List[Dict[str, Any]]:
    d = CollectingDispatcher()
    order = await shop.find_order("100243")
    assert order is not None
    await ActionHandleVerified().return_status(order, d, make_tracker(verified("100243")))
    return d.messages


async def invoices() -> List[Dict[str, Any]]:
    return await run(
        ActionHandleVerified(), verified("100234"), "Rechnung bitte", "invoice_request"
    )


async def tickets() -> List[Dict[str, Any]]:
    slots = verified("100235", complaint_details="Naht gerissen")
    return await run(ActionCreateComplaint(), slots, "kaputt", "complaint")


async def send_order_numbers() -> List[Dict[str, Any]]:
    d = CollectingDispatcher()
    tracker = make_tracker(
        {"order_lookup": "offered"},
        [user_event("anna.schmidt@web.de", "inform")],
        active_loop="verify_form",
    )
    out = await ValidateVerifyForm().validate_email("anna.schmidt@web.de", d, tracker, {})
    assert out["order_lookup"] == "sent" and out["verify_attempts"] >= 3  # the form gives up
    return d.messages


FLOWS: Dict[Capability, Callable[[], Awaitable[List[Dict[str, Any]]]]] = {
    Capability.CANCEL: cancel,
    Capability.CHANGE_ADDRESS: change_address,
    Capability.CREATE_RETURN: create_return,
    Capability.READ_RETURNS: read_returns,
    Capability.INVOICES: invoices,
    Capability.TICKETS: tickets,
    Capability.SEND_ORDER_NUMBERS: send_order_numbers,
}


@pytest.mark.parametrize("capability", list(FLOWS), ids=lambda c: c.value)
async def test_a_missing_capability_is_said_and_a_human_offered(
    limited: Any, capability: Capability
) -> None:
    messages = await FLOWS[capability]()
    said = [m for m in messages if m.get("response") == "utter_shop_cannot_here"]
    assert len(said) == 1 and said[0]["what"] == shop.WHAT[capability], messages
    assert pending.QUESTIONS["utter_shop_cannot_here"] == pending.HUMAN_OFFER  # "ja" hands over
    done = {"utter_cancel_done", "utter_address_changed", "utter_return_created"}
    assert not done & {m.get("response") for m in messages}


async def test_order_number_help_is_not_promised_where_numbers_cannot_be_mailed(
    limited: Any,
) -> None:
    d = CollectingDispatcher()
    event = user_event(
        "hab ich nicht",
        "faq",
        response_selector={"faq": {"response": {"intent_response_key": "faq/no_order_number"}}},
    )
    event["parse_data"]["response_selector"]["faq"]["response"]["confidence"] = 0.99
    await ActionFaq().run(d, make_tracker({}, [event], active_loop="verify_form"), {})
    assert [m.get("response") for m in d.messages] == ["utter_shop_cannot_here"]


async def test_a_return_form_asks_no_reason_where_returns_cannot_be_created(limited: Any) -> None:
    tracker = make_tracker(verified("100235"), [user_event("zurückschicken", "return_item")])
    slots = await ValidateReturnForm().required_slots(
        ["order_id", "email", "return_reason", "return_mode"], CollectingDispatcher(), tracker, {}
    )
    assert slots == ["order_id", "email"]


@pytest.fixture()
def down(shop_db: str) -> Any:
    shop._state["backend"] = Down()
    yield
    shop.reset()


async def test_a_shop_that_is_down_is_told_in_every_step(down: Any) -> None:
    messages = await run(ActionHandleVerified(), verified("100234"), "wo ist es", "order_status")
    assert [m.get("response") for m in messages] == ["utter_shop_unavailable"]
    d = CollectingDispatcher()
    tracker = make_tracker({"order_id": "100234", "verify_attempts": 0})
    out = await ValidateVerifyForm().validate_email("anna.schmidt@web.de", d, tracker, {})
    assert [m.get("response") for m in d.messages] == ["utter_shop_unavailable"]
    assert out["verified_order"] is None and out["verify_attempts"] >= 3
    assert out["bot_actions"][-1] == shop.SHOP_DOWN
    # nothing was counted against the customer: no comparison ran
    from datetime import datetime, timedelta

    from bot.shop import ledger

    assert (
        ledger.verify_failure_times(("order", "100234"), datetime.utcnow() - timedelta(hours=1))
        == []
    )


async def test_reads_are_cached_per_conversation_and_writes_read_fresh(shop_db: str) -> None:
    shop.reset()
    tracker = make_tracker(verified("100236"))
    first = await shop.find_order("100236", tracker)
    from bot.shop import demo_db

    demo_db.cancel_order("100236")  # changed in the shop behind the bot's back
    assert await shop.find_order("100236", tracker) is first  # within the same conversation
    fresh = await shop.fresh_order("100236", tracker)
    assert fresh is not None and fresh.status == "cancelled"
    shop.reset()


async def test_the_lock_out_holds_with_a_platform_backend(shop_db: str) -> None:
    """Failed verifications are counted in the bot's ledger whatever the shop: five wrong
    e-mails for a Shopware order lock it, and the right one is refused until the lock ends."""
    from actions import settings
    from tests.fakes_shop.base import serving
    from tests.fakes_shop.shopware import FakeShopware
    from tests.unit.shop.test_shopware import backend_for

    async with serving(FakeShopware()) as fake:
        shop._state["backend"] = backend_for(fake)
        try:
            for n in range(settings.VERIFY_ORDER_LIMIT):
                tracker = make_tracker({"order_id": "100234", "verify_attempts": 0})
                tracker.sender_id = f"attacker-{n}"
                out = await ValidateVerifyForm().validate_email(
                    "rate@example.com", CollectingDispatcher(), tracker, {}
                )
                assert out["verified_order"] is None
            owner = make_tracker({"order_id": "100234", "verify_attempts": 0})
            owner.sender_id = "owner"
            d = CollectingDispatcher()
            out = await ValidateVerifyForm().validate_email("anna.schmidt@web.de", d, owner, {})
            assert out["verified_order"] is None and "Prüfversuche" in d.messages[0]["text"]
            assert len(fake.served("POST", "/api/search/order")) == settings.VERIFY_ORDER_LIMIT
        finally:
            await shop.backend().close()
            shop.reset()
