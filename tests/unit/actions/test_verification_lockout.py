"""Order verification cannot be brute-forced: one answer for unknown order and wrong e-mail, and a
lockout per order number and per client that lives in the shop database (not in a slot)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import settings, shop, verification
from actions.verification import ValidateReturnForm, ValidateVerifyForm
from bot.shared.company import company
from tests.trackers import make_tracker, user_event

COMPANY = company()
NO_MATCH = COMPANY.notice("verify_no_match", "sie")
PAUSED = "Aus Sicherheitsgründen habe ich die Prüfung"
ORDERS = [
    "100236",
    "100237",
    "100238",
    "100239",
    "100240",
    "100241",
    "100300",
    "100301",
    "100302",
    "100303",
]


def tracker(
    slots: Dict[str, Any] | None = None,
    sender: str = "attacker",
    client: str | None = None,
    fresh_email: bool = False,
) -> Any:
    """A conversation's tracker as the action server gets it; `client` as the hub's message metadata.
    Every call is a fresh tracker: the slots (verify_attempts included) start over, as after /restart."""
    user = user_event("...", "inform")
    if client is not None:
        user["metadata"] = {"client": client}
    events = [user] + (
        [{"event": "slot", "name": "email", "value": (slots or {}).get("email")}]
        if fresh_email
        else []
    )
    t = make_tracker(slots, events)
    t.sender_id = sender
    return t


def wrong_email(
    order_id: str, sender: str = "attacker", client: str | None = None, form: Any = None
) -> Any:
    d = CollectingDispatcher()
    t = tracker({"order_id": order_id, "verify_attempts": 0}, sender, client, fresh_email=True)
    out = (form or ValidateVerifyForm()).validate_email("rate@example.com", d, t, {})
    return out, d


def right_email(order_id: str, email: str, sender: str = "owner", client: str | None = None) -> Any:
    d = CollectingDispatcher()
    t = tracker({"order_id": order_id, "verify_attempts": 0}, sender, client, fresh_email=True)
    return ValidateVerifyForm().validate_email(email, d, t, {}), d


def texts(d: CollectingDispatcher) -> list:
    return [m.get("text") for m in d.messages]


def is_paused(out: Dict[str, Any], d: CollectingDispatcher) -> bool:
    return (
        len(d.messages) == 1
        and (d.messages[0].get("text") or "").startswith(PAUSED)
        and out.get("verified_order") is None
        and out.get("verify_attempts") == settings.MAX_VERIFY_ATTEMPTS
    )


def test_unknown_order_and_wrong_email_get_the_same_answer(shop_db):
    unknown, d_unknown = wrong_email("199999")
    mismatch, d_mismatch = wrong_email("100234")
    assert texts(d_unknown) == texts(d_mismatch) == [NO_MATCH]
    assert "keine Bestellung" in NO_MATCH
    assert unknown == mismatch == {"email": None, "verified_order": None, "verify_attempts": 1}
    du = tracker({"order_id": "199999", "register": "du"}, fresh_email=True)
    d = CollectingDispatcher()
    ValidateVerifyForm().validate_email("rate@example.com", d, du, {})
    assert texts(d) == [COMPANY.notice("verify_no_match", "du")]


def test_unknown_order_with_a_remembered_email_is_answered_like_a_wrong_one(shop_db):
    remembered = {"email": "anna.schmidt@web.de", "verified_order": "100234"}
    outs = []
    for number in ("199999", "100235"):
        d = CollectingDispatcher()
        outs.append(
            (ValidateVerifyForm().validate_order_id(number, d, tracker(remembered), {}), d.messages)
        )
    assert outs[0][1] == outs[1][1] == []
    assert {**outs[0][0], "order_id": "x"} == {**outs[1][0], "order_id": "x"}


def test_order_is_locked_after_five_failures_even_across_fresh_trackers(shop_db):
    for n in range(
        settings.VERIFY_ORDER_LIMIT - 1
    ):  # each from a new conversation, as after /restart
        out, d = wrong_email("100234", sender=f"attacker-{n}")
        assert texts(d) == [NO_MATCH]
    out, d = wrong_email("100234", sender="attacker-last")
    assert is_paused(out, d)
    out, d = right_email("100234", "anna.schmidt@web.de")  # even the owner, in a new conversation
    assert is_paused(out, d)
    assert (
        right_email("100235", "jonas.becker@gmx.de")[0]["verified_order"] == "100235"
    )  # other orders are fine


def test_an_unknown_order_number_locks_the_same_way(shop_db):
    for n in range(settings.VERIFY_ORDER_LIMIT):
        out, d = wrong_email("199999", sender=f"attacker-{n}")
    assert is_paused(out, d)


def test_sender_is_locked_after_ten_failures_despite_restarts(shop_db):
    for order_id in ORDERS[
        : settings.VERIFY_CLIENT_LIMIT - 1
    ]:  # few per order, a fresh tracker each time
        out, d = wrong_email(order_id, sender="attacker")
        assert texts(d) == [NO_MATCH]
    out, d = wrong_email(ORDERS[settings.VERIFY_CLIENT_LIMIT - 1], sender="attacker")
    assert is_paused(out, d)
    out, d = right_email("100234", "anna.schmidt@web.de", sender="attacker")
    assert is_paused(out, d)
    assert (
        right_email("100234", "anna.schmidt@web.de", sender="someone-else")[0]["verified_order"]
        == "100234"
    )


def test_client_from_the_hub_metadata_is_locked_across_conversations(shop_db):
    for n, order_id in enumerate(ORDERS[: settings.VERIFY_CLIENT_LIMIT]):
        out, d = wrong_email(order_id, sender=f"conversation-{n}", client="hashed-ip-1")
    assert is_paused(out, d)
    out, d = right_email(
        "100234", "anna.schmidt@web.de", sender="conversation-new", client="hashed-ip-1"
    )
    assert is_paused(out, d)
    ok, d = right_email(
        "100234", "anna.schmidt@web.de", sender="conversation-other", client="hashed-ip-2"
    )
    assert ok["verified_order"] == "100234" and d.messages == []


def test_a_remembered_email_against_a_new_order_counts(shop_db):
    remembered = {"email": "anna.schmidt@web.de", "verified_order": "100234"}
    for n in range(settings.VERIFY_ORDER_LIMIT - 1):
        out = ValidateVerifyForm().validate_order_id(
            "100235", CollectingDispatcher(), tracker(remembered, f"s{n}"), {}
        )
        assert out == {
            "order_id": "100235",
            "email": None,
            "verified_order": None,
            "verify_attempts": 1,
        }
    d = CollectingDispatcher()
    out = ValidateVerifyForm().validate_order_id("100235", d, tracker(remembered, "s-last"), {})
    assert is_paused(out, d)
    assert (
        len(shop.verify_failure_times(("order", "100235"), verification.now() - timedelta(hours=1)))
        == 5
    )
    out, d = right_email("100235", "jonas.becker@gmx.de")
    assert is_paused(out, d)


def test_a_remembered_email_that_matches_still_verifies(shop_db):
    remembered = {"email": "anna.schmidt@web.de", "verified_order": None}
    out = ValidateVerifyForm().validate_order_id(
        "100234", CollectingDispatcher(), tracker(remembered), {}
    )
    assert out == {"order_id": "100234", "verified_order": "100234"}


def test_success_before_the_limit_still_works_and_forgets_the_order_failures(shop_db):
    for _ in range(settings.VERIFY_ORDER_LIMIT - 1):
        wrong_email("100234", sender="owner")
    out, d = right_email("100234", " Anna.Schmidt@web.de")
    assert out == {"email": "anna.schmidt@web.de", "verified_order": "100234"} and d.messages == []
    assert texts(wrong_email("100234", sender="owner")[1]) == [
        NO_MATCH
    ]  # the order count started over


async def test_a_locked_order_is_refused_before_asking_for_the_email(shop_db):
    for n in range(settings.VERIFY_ORDER_LIMIT):
        wrong_email("100234", sender=f"attacker-{n}")
    d = CollectingDispatcher()
    t = tracker({"order_id": "100234"}, sender="new")
    out = ValidateVerifyForm().validate_order_id("100234", d, t, {})
    assert is_paused(out, d) and out["order_id"] == "100234"
    t.slots.update(out)
    form = ValidateVerifyForm()
    assert (
        await form.required_slots(["order_id", "email"], CollectingDispatcher(), t, {}) == []
    )  # submit offers a human


def test_the_lock_expires(shop_db, monkeypatch):
    start = verification.now()
    monkeypatch.setattr(verification, "now", lambda: start)
    for n in range(settings.VERIFY_ORDER_LIMIT):
        out, d = wrong_email("100234", sender=f"attacker-{n}")
    assert is_paused(out, d)
    assert "60 Minuten" in d.messages[0]["text"]
    monkeypatch.setattr(verification, "now", lambda: start + timedelta(minutes=30))
    out, d = right_email("100234", "anna.schmidt@web.de")
    assert is_paused(out, d) and "30 Minuten" in d.messages[0]["text"]
    monkeypatch.setattr(
        verification, "now", lambda: start + timedelta(seconds=settings.VERIFY_LOCK_SECONDS + 60)
    )
    out, d = right_email("100234", "anna.schmidt@web.de")
    assert out == {"email": "anna.schmidt@web.de", "verified_order": "100234"} and d.messages == []


def test_refused_attempts_while_locked_do_not_extend_the_lock(shop_db, monkeypatch):
    start = verification.now()
    monkeypatch.setattr(verification, "now", lambda: start)
    for n in range(settings.VERIFY_ORDER_LIMIT):
        wrong_email("100234", sender=f"attacker-{n}")
    monkeypatch.setattr(verification, "now", lambda: start + timedelta(minutes=59))
    for n in range(5):
        assert is_paused(*wrong_email("100234", sender=f"late-{n}"))
    monkeypatch.setattr(verification, "now", lambda: start + timedelta(minutes=61))
    assert right_email("100234", "anna.schmidt@web.de")[0]["verified_order"] == "100234"


@pytest.mark.parametrize("form", [ValidateVerifyForm, ValidateReturnForm])
def test_every_form_counts(shop_db, form):
    for n in range(settings.VERIFY_ORDER_LIMIT):
        out, d = wrong_email("100235", sender=f"attacker-{n}", form=form())
    assert is_paused(out, d)


async def test_the_whole_form_action_ends_the_form_when_locked(shop_db, domain):
    """Run as Rasa calls it: a locked attempt deactivates the form, so its submit action offers a human."""
    for n in range(settings.VERIFY_ORDER_LIMIT - 1):
        wrong_email("100234", sender=f"attacker-{n}")
    events = [
        user_event("100234 rate@example.com", "inform"),
        {"event": "slot", "name": "order_id", "value": "100234"},
        {"event": "slot", "name": "email", "value": "rate@example.com"},
    ]
    t = make_tracker(
        {"order_id": "100234", "email": "rate@example.com", "verify_attempts": 0},
        events,
        active_loop="verify_form",
    )
    d = CollectingDispatcher()
    out = await ValidateVerifyForm().run(d, t, domain)
    slots = {e["name"]: e["value"] for e in out if e.get("event") == "slot"}
    assert (
        slots["requested_slot"] is None
        and slots["verified_order"] is None
        and slots["email"] is None
    )
    assert len(d.messages) == 1 and d.messages[0]["text"].startswith(PAUSED)
    since = verification.now() - timedelta(
        hours=1
    )  # order number and e-mail in one message: one attempt
    assert len(shop.verify_failure_times(("order", "100234"), since)) == settings.VERIFY_ORDER_LIMIT
