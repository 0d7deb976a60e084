"""Order verification cannot be brute-forced: one answer for unknown order and wrong e-mail, and a
lockout per order number, per conversation and per network that lives in the shop database (not in
a slot). A lock is told as what it is, with its end and a human to turn to; the network's limit is
out of reach of the honest customers behind one address (issue 23.13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import settings, verification
from actions.faq import HUMAN
from actions.handoff import build_summary
from actions.orders import ActionHandleVerified
from actions.verification import LOCKED, ValidateReturnForm, ValidateVerifyForm
from bot.shared.company import company
from bot.shop import ledger
from tests.trackers import make_tracker, user_event

COMPANY = company()
NO_MATCH = COMPANY.notice("verify_no_match", "sie")
PAUSED = "Aus Sicherheitsgründen habe ich die Prüfung"  # this chat's own attempts
OPENINGS = {  # how each lock starts, in the Sie register
    "sender": PAUSED,
    "order": "Zu dieser Bestellnummer gab es zuletzt zu viele erfolglose Prüfversuche",
    "client": "Aus Sicherheitsgründen kann ich gerade keine Bestellung prüfen: "
    "Es gab zu viele Versuche von diesem Netzwerk",
}
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


async def wrong_email(
    order_id: str, sender: str = "attacker", client: str | None = None, form: Any = None
) -> Any:
    d = CollectingDispatcher()
    t = tracker({"order_id": order_id, "verify_attempts": 0}, sender, client, fresh_email=True)
    out = await (form or ValidateVerifyForm()).validate_email("rate@example.com", d, t, {})
    return out, d


async def right_email(
    order_id: str, email: str, sender: str = "owner", client: str | None = None
) -> Any:
    d = CollectingDispatcher()
    t = tracker({"order_id": order_id, "verify_attempts": 0}, sender, client, fresh_email=True)
    return await ValidateVerifyForm().validate_email(email, d, t, {}), d


def texts(d: CollectingDispatcher) -> list:
    return [m.get("text") for m in d.messages]


def is_locked(out: Dict[str, Any], d: CollectingDispatcher, scope: str = "sender") -> bool:
    """One message that tells this lock (with its end and a human to turn to), the form giving up,
    and the lock noted for the handoff summary."""
    return (
        len(d.messages) == 1
        and (d.messages[0].get("text") or "").startswith(OPENINGS[scope])
        and " Uhr" in d.messages[0]["text"]
        and d.messages[0].get("buttons") == [HUMAN]
        and out.get("verified_order") is None
        and out.get("verify_attempts") == settings.MAX_VERIFY_ATTEMPTS
        and str((out.get("bot_actions") or [""])[-1]).startswith(LOCKED)
    )


def is_paused(out: Dict[str, Any], d: CollectingDispatcher) -> bool:
    """Locked for the order number (the lock most tests reach)."""
    return is_locked(out, d, "order")


async def test_unknown_order_and_wrong_email_get_the_same_answer(shop_db):
    unknown, d_unknown = await wrong_email("199999", sender="first")
    mismatch, d_mismatch = await wrong_email("100234", sender="second")
    assert texts(d_unknown) == texts(d_mismatch) == [NO_MATCH]
    assert "keine Bestellung" in NO_MATCH
    assert unknown == mismatch == {"email": None, "verified_order": None, "verify_attempts": 1}
    du = tracker({"order_id": "199999", "register": "du"}, fresh_email=True)
    d = CollectingDispatcher()
    await ValidateVerifyForm().validate_email("rate@example.com", d, du, {})
    assert texts(d) == [COMPANY.notice("verify_no_match", "du")]


async def test_unknown_order_with_a_remembered_email_is_answered_like_a_wrong_one(shop_db):
    remembered = {"email": "anna.schmidt@web.de", "verified_order": "100234"}
    outs = []
    for number in ("199999", "100235"):
        d = CollectingDispatcher()
        outs.append(
            (
                await ValidateVerifyForm().validate_order_id(number, d, tracker(remembered), {}),
                d.messages,
            )
        )
    assert outs[0][1] == outs[1][1] == []
    assert {**outs[0][0], "order_id": "x"} == {**outs[1][0], "order_id": "x"}


async def test_order_is_locked_after_five_failures_even_across_fresh_trackers(shop_db):
    for n in range(
        settings.VERIFY_ORDER_LIMIT - 1
    ):  # each from a new conversation, as after /restart
        out, d = await wrong_email("100234", sender=f"attacker-{n}")
        assert texts(d) == [NO_MATCH]
    out, d = await wrong_email("100234", sender="attacker-last")
    assert is_paused(out, d)
    out, d = await right_email(
        "100234", "anna.schmidt@web.de"
    )  # even the owner, in a new conversation
    assert is_paused(out, d)
    assert (await right_email("100235", "jonas.becker@gmx.de"))[0][
        "verified_order"
    ] == "100235"  # other orders are fine


async def test_an_unknown_order_number_locks_the_same_way(shop_db):
    for n in range(settings.VERIFY_ORDER_LIMIT):
        out, d = await wrong_email("199999", sender=f"attacker-{n}")
    assert is_paused(out, d)


async def test_sender_is_locked_when_the_form_gives_up_despite_restarts(shop_db):
    """The conversation's limit is the form's (KD_MAX_VERIFY_ATTEMPTS, below KD_VERIFY_SENDER_LIMIT):
    what the bot says after the last wrong e-mail holds, a later correct guess is refused (22.11)."""
    limit = verification.limit_of("sender")
    assert limit == min(settings.VERIFY_SENDER_LIMIT, settings.MAX_VERIFY_ATTEMPTS)
    for order_id in ORDERS[: limit - 1]:  # few per order, a fresh tracker each time
        out, d = await wrong_email(order_id, sender="attacker")
        assert texts(d) == [NO_MATCH]
    out, d = await wrong_email(ORDERS[limit - 1], sender="attacker")
    assert is_locked(out, d, "sender")
    out, d = await right_email("100234", "anna.schmidt@web.de", sender="attacker")
    assert is_locked(out, d, "sender")
    assert (await right_email("100234", "anna.schmidt@web.de", sender="someone-else"))[0][
        "verified_order"
    ] == "100234"


async def test_a_correct_guess_after_the_third_wrong_email_in_one_chat_reveals_nothing(shop_db):
    """Three wrong e-mails for one order in one chat: the third answer is the pause with its end and
    what happens next; the fourth and fifth, the right one among them, are refused unchecked."""
    for _ in range(settings.MAX_VERIFY_ATTEMPTS - 1):
        out, d = await wrong_email("100238", sender="guesser")
        assert texts(d) == [NO_MATCH]
    out, d = await wrong_email("100238", sender="guesser")
    assert is_locked(out, d, "sender")
    told = texts(d)[0]
    assert "keine Angaben mehr" in told and "noch einmal versuchen" in told
    assert "Team" in told and " Uhr" in told
    out, d = await right_email("100238", "sophie.mueller@gmail.com", sender="guesser")
    assert is_locked(out, d, "sender") and out.get("verified_order") is None
    since = verification.now() - timedelta(hours=1)
    # refused attempts are neither compared nor counted
    assert len(ledger.verify_failure_times(("order", "100238"), since)) == (
        settings.MAX_VERIFY_ATTEMPTS
    )


async def spray(client: str, failures: int) -> Any:
    """One source guessing over many order numbers, one new conversation per guess (none of the
    numbers, nor any conversation, reaches its own limit); returns the last answer."""
    for n in range(failures):
        last = await wrong_email(str(180000 + n), sender=f"conversation-{n}", client=client)
    return last


async def test_client_from_the_hub_metadata_is_locked_across_conversations(shop_db):
    out, d = await spray("hashed-ip-1", settings.VERIFY_CLIENT_LIMIT)
    assert is_locked(out, d, "client")
    out, d = await right_email(
        "100234", "anna.schmidt@web.de", sender="conversation-new", client="hashed-ip-1"
    )
    assert is_locked(out, d, "client")
    ok, d = await right_email(
        "100234", "anna.schmidt@web.de", sender="conversation-other", client="hashed-ip-2"
    )
    assert ok["verified_order"] == "100234" and d.messages == []


async def test_a_remembered_email_against_a_new_order_counts(shop_db):
    remembered = {"email": "anna.schmidt@web.de", "verified_order": "100234"}
    for n in range(settings.VERIFY_ORDER_LIMIT - 1):
        out = await ValidateVerifyForm().validate_order_id(
            "100235", CollectingDispatcher(), tracker(remembered, f"s{n}"), {}
        )
        assert out == {
            "order_id": "100235",
            "email": None,
            "verified_order": None,
            "verify_attempts": 1,
        }
    d = CollectingDispatcher()
    out = await ValidateVerifyForm().validate_order_id(
        "100235", d, tracker(remembered, "s-last"), {}
    )
    assert is_paused(out, d)
    assert (
        len(
            ledger.verify_failure_times(
                ("order", "100235"), verification.now() - timedelta(hours=1)
            )
        )
        == 5
    )
    out, d = await right_email("100235", "jonas.becker@gmx.de")
    assert is_paused(out, d)


async def test_a_remembered_email_that_matches_still_verifies(shop_db):
    remembered = {"email": "anna.schmidt@web.de", "verified_order": None}
    out = await ValidateVerifyForm().validate_order_id(
        "100234", CollectingDispatcher(), tracker(remembered), {}
    )
    assert out == {"order_id": "100234", "verified_order": "100234"}


async def test_success_before_the_limit_still_works_and_forgets_the_order_failures(shop_db):
    for n in range(settings.VERIFY_ORDER_LIMIT - 1):
        await wrong_email("100234", sender=f"owner-{n}")
    out, d = await right_email("100234", " Anna.Schmidt@web.de")
    assert out == {"email": "anna.schmidt@web.de", "verified_order": "100234"} and d.messages == []
    assert texts((await wrong_email("100234", sender="owner"))[1]) == [
        NO_MATCH
    ]  # the order count started over


async def test_a_locked_order_is_refused_before_asking_for_the_email(shop_db):
    for n in range(settings.VERIFY_ORDER_LIMIT):
        await wrong_email("100234", sender=f"attacker-{n}")
    d = CollectingDispatcher()
    t = tracker({"order_id": "100234"}, sender="new")
    out = await ValidateVerifyForm().validate_order_id("100234", d, t, {})
    assert is_paused(out, d) and out["order_id"] == "100234"
    t.slots.update(out)
    form = ValidateVerifyForm()
    assert (
        await form.required_slots(["order_id", "email"], CollectingDispatcher(), t, {}) == []
    )  # submit offers a human


async def test_the_lock_expires(shop_db, monkeypatch):
    start = verification.now()
    monkeypatch.setattr(verification, "now", lambda: start)
    for n in range(settings.VERIFY_ORDER_LIMIT):
        out, d = await wrong_email("100234", sender=f"attacker-{n}")
    assert is_paused(out, d)
    assert "60 Minuten" in d.messages[0]["text"]
    monkeypatch.setattr(verification, "now", lambda: start + timedelta(minutes=30))
    out, d = await right_email("100234", "anna.schmidt@web.de")
    assert is_paused(out, d) and "30 Minuten" in d.messages[0]["text"]
    monkeypatch.setattr(
        verification, "now", lambda: start + timedelta(seconds=settings.VERIFY_LOCK_SECONDS + 60)
    )
    out, d = await right_email("100234", "anna.schmidt@web.de")
    assert out == {"email": "anna.schmidt@web.de", "verified_order": "100234"} and d.messages == []


async def test_refused_attempts_while_locked_do_not_extend_the_lock(shop_db, monkeypatch):
    start = verification.now()
    monkeypatch.setattr(verification, "now", lambda: start)
    for n in range(settings.VERIFY_ORDER_LIMIT):
        await wrong_email("100234", sender=f"attacker-{n}")
    monkeypatch.setattr(verification, "now", lambda: start + timedelta(minutes=59))
    for n in range(5):
        assert is_paused(*await wrong_email("100234", sender=f"late-{n}"))
    monkeypatch.setattr(verification, "now", lambda: start + timedelta(minutes=61))
    assert (await right_email("100234", "anna.schmidt@web.de"))[0]["verified_order"] == "100234"


@pytest.mark.parametrize("form", [ValidateVerifyForm, ValidateReturnForm])
async def test_every_form_counts(shop_db, form):
    for n in range(settings.VERIFY_ORDER_LIMIT):
        out, d = await wrong_email("100235", sender=f"attacker-{n}", form=form())
    assert is_paused(out, d)


async def test_the_whole_form_action_ends_the_form_when_locked(shop_db, domain):
    """Run as Rasa calls it: a locked attempt deactivates the form, so its submit action offers a human."""
    for n in range(settings.VERIFY_ORDER_LIMIT - 1):
        await wrong_email("100234", sender=f"attacker-{n}")
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
    assert len(d.messages) == 1 and d.messages[0]["text"].startswith(OPENINGS["order"])
    since = verification.now() - timedelta(
        hours=1
    )  # order number and e-mail in one message: one attempt
    assert (
        len(ledger.verify_failure_times(("order", "100234"), since)) == settings.VERIFY_ORDER_LIMIT
    )


# -- issue 23.13: a shared network is no suspect ---------------------------------------------------
async def test_customers_behind_one_network_failing_honestly_lock_nobody(shop_db):
    """An office or a mobile carrier's NAT: thirty customers behind one client address within the
    hour, each mistyping as often as the form lets them, in their own chat. The last try pauses that
    chat only (issue 22.11); nobody else gets locked."""
    for n in range(30):
        for attempt in range(settings.MAX_VERIFY_ATTEMPTS):
            out, d = await wrong_email(str(170000 + n), sender=f"colleague-{n}", client="office")
            if attempt < settings.MAX_VERIFY_ATTEMPTS - 1:
                assert texts(d) == [NO_MATCH]
        assert is_locked(out, d, "sender")
    ok, d = await right_email("100234", "anna.schmidt@web.de", sender="anna", client="office")
    assert ok["verified_order"] == "100234" and d.messages == []


def first_turn(client: str, sender: str, register: str = "sie") -> Any:
    """A customer's first message, naming an order number, from `client`."""
    first = user_event("Wo ist meine Bestellung 100238?", "order_status")
    first["metadata"] = {"client": client}
    t = make_tracker({"order_id": "100238", "register": register}, [first])
    t.sender_id = sender
    return t


async def test_a_network_lock_is_told_as_the_networks_before_any_attempt(shop_db, domain):
    """Someone on the same network sprayed guesses. A customer who never tried is told the truth in
    the first turn (too many attempts from this network, when that ends, a human to turn to), no
    e-mail is asked for in vain, nothing counts against them, and the handoff summary keeps a lock,
    not a failed check."""
    await spray("shared-ip", settings.VERIFY_CLIENT_LIMIT)
    t = first_turn("shared-ip", "never-tried")
    lock = verification.lock_of(verification.subjects(t, "100238"), verification.now())
    assert lock is not None and lock.scope == "client"
    d = CollectingDispatcher()
    out = await ValidateVerifyForm().validate_order_id("100238", d, t, {})
    assert is_locked(out, d, "client") and out["order_id"] == "100238"
    text = d.messages[0]["text"]
    until = verification.clock(lock.until)
    assert f"gegen {until} Uhr" in text and "60 Minuten" in text and "Team" in text
    assert "erfolglosen Versuchen" not in text and "pausiert" not in text
    assert out["bot_actions"] == [
        f"{LOCKED}: zu viele Versuche von diesem Netzwerk (bis {until} Uhr)"
    ]
    since = verification.now() - timedelta(hours=2)
    assert ledger.verify_failure_times(verification.subjects(t, "100238")[1], since) == []
    # the form's submit adds no "could not confirm"; the summary shows the lock once
    events = list(t.events) + [{"event": "slot", "name": k, "value": v} for k, v in out.items()]
    after = make_tracker({**t.slots, **out}, events)
    after.sender_id = "never-tried"
    d = CollectingDispatcher()
    result = await ActionHandleVerified().run(d, after, domain)
    assert d.messages == []
    assert "bot_actions" not in {e["name"] for e in result if e.get("event") == "slot"}
    summary = build_summary(after, "customer_request", None)
    assert summary["bot_actions"] == out["bot_actions"] and not summary["email_verified"]
    assert not any("fehlgeschlagen" in note for note in summary["bot_actions"])


async def test_a_lock_told_again_is_noted_once_and_in_the_customers_register(shop_db):
    await spray("shared-ip", settings.VERIFY_CLIENT_LIMIT)
    t = first_turn("shared-ip", "du-kunde", register="du")
    d = CollectingDispatcher()
    out = await ValidateVerifyForm().validate_order_id("100238", d, t, {})
    assert "Es gab zu viele Versuche von diesem Netzwerk" in d.messages[0]["text"]
    assert "wenn du nicht so lange warten möchtest" in d.messages[0]["text"].lower()
    again = first_turn("shared-ip", "du-kunde", register="du")
    again.slots["bot_actions"] = out["bot_actions"]
    second = await ValidateVerifyForm().validate_order_id(
        "100238", CollectingDispatcher(), again, {}
    )
    assert second["bot_actions"] == out["bot_actions"]  # one lock, one note


async def test_a_check_that_ran_and_failed_is_still_told_and_noted_as_failed(shop_db, domain):
    """The form gave up after wrong e-mails, no lock: the submit says so and offers a human."""
    gave_up = {"order_id": "100234", "email": None, "verify_attempts": settings.MAX_VERIFY_ATTEMPTS}
    t = make_tracker(gave_up, [user_event("x@example.com", "inform")])
    d = CollectingDispatcher()
    result = await ActionHandleVerified().run(d, t, domain)
    assert [m["response"] for m in d.messages] == ["utter_verification_failed"]
    notes = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}["bot_actions"]
    assert notes == ["E-Mail-Prüfung fehlgeschlagen"]
