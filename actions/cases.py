"""One way for every change in the shop that opens a case (a return, a complaint): look first, say
what will happen, act only on "ja", and let the customer take it back (issue 22.4, 22.8).

1. An open case of the same kind on the order is named and offered to change, withdraw or keep:
   no second one is created (`propose`).
2. Otherwise a summary (order, item - the one named or chosen where the order has several -,
   reason, refund or exchange) and a yes/no question. The summary is kept in the `case_draft`
   slot, so "ja" (actions/answers.py) creates exactly what was shown (`create`).
3. A just-created case is withdrawn on "doch nicht" where the shop allows it (`withdraw_latest`).

The state of the customer's cases (returns, complaints, requests on file; bot/shop/cases.py) is
reported by `report`: "Wie ist der Stand meiner Reklamation?".
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import shop
from actions.common import day, facts, register, remember, verified_order
from actions.farewell import farewell
from actions.payment_facts import refund_way
from bot.dialogue.case_kind import asks_case_received
from bot.dialogue.case_question import (
    SEND_BACK,
    WHEN,
    asks_about_case,
    asks_created,
    asks_on_file,
    case_number,
)
from bot.dialogue.form_answer import switched_request
from bot.dialogue.return_choice import (
    exchange_note,
    narrows_items,
    rejected_words,
    said_return,
    stated_reason,
)
from bot.dialogue.yes_no import adds_items, opens_with_no, opens_with_yes
from bot.shop.backend import NotAllowed, NotFound, NotSupported, ShopConfigError, ShopUnavailable
from bot.shop.cases import (
    COMPLAINT,
    REQUEST,
    RETURN,
    Case,
    case_items,
    cases_of,
    find_case,
    open_case,
)
from bot.shop.model import Capability, Item

DRAFT = "case_draft"  # what the summary showed: {"kind", "order_id", "reason", "mode", "items", "replaces"}
CASE_REF = (
    "case_ref"  # the case the bot's last question is about (open one offered, or just created)
)
CHOSEN = "case_item"  # the item a button chose ("1".."n": its position in the order)
FORM_SLOTS = {RETURN: ["return_reason", "return_mode"], COMPLAINT: ["complaint_details"]}
FORMS = {RETURN: "return_form", COMPLAINT: "complaint_form"}
CAPABILITY = {RETURN: Capability.CREATE_RETURN, COMPLAINT: Capability.TICKETS}

# "zurückziehen", "doch nicht", "löschen": take it back; "ändern", "ergänzen": change what it says.
WITHDRAW_WORDS = re.compile(
    r"(?i)zur(?:ü|ue|u)ck\s*(?:ziehen|nehmen)|zur(?:ü|ue|u)ckgezogen|widerruf|l(?:ö|oe)sch|"
    r"storn|doch\s+nicht|brauch\w*\s+(?:ich\s+)?(?:sie|ihn|es|die|den|das)?\s*nicht\s+mehr|"
    r"annullier|streich"
)
AMEND_WORDS = re.compile(
    r"(?i)(?:ä|ae)nder|erg(?:ä|ae)nz|korrigier|nachtrag|hinzuf(?:ü|ue)g|anpass|andere[nrs]?\s+grund"
)
# "Wie ist der Stand meiner Reklamation?", "Status meines Tickets": a question about a case on file.
ASKS_CASE = re.compile(
    r"(?i)\b(?:stand|status|schon\s+(?:was|etwas)\s+(?:passiert|getan)|neuigkeit\w*|"
    r"gibt\s+es\s+(?:schon\s+)?(?:was|etwas)\s+neues|wie\s+weit|tut\s+sich|"
    # "… und niemand hat sich gemeldet": a complaint on file that got no answer
    r"(?:niemand|keiner|nie(?:mand)?)\s+(?:hat\s+)?sich\s+(?:\w+\s+){0,2}gemeldet|"
    r"keine\s+(?:antwort|r(?:ü|ue)ckmeldung))\b"
)
NOT_NEW = re.compile(r"(?i)\bkeine?n?\s+neue|\bnicht\s+neu|\bnur\s+(?:wissen|fragen|den\s+stand)")


# Which case a question names: "Reklamation"/"Beschwerde" a complaint, "Ticket"/"Anfrage"/"Vorgang" any.
CASE_WORDS = {
    COMPLAINT: re.compile(
        r"(?i)reklamation|reklamiert|beschwerde|beschwert|mängel|maengel|\bcomplain(?:t|ts|ed)\b"
    ),
    None: re.compile(r"(?i)\b(?:tickets?|vorgang\w*|anfrage\w*|anliegens?)\b"),
}


def named_case_kind(text: str) -> tuple[bool, str | None]:
    """Whether the text names a case at all, and which kind (None: any); a case number ("RT-…",
    "TK-…") names its kind."""
    number = case_number(text)
    if number is not None:
        return True, RETURN if number.startswith("RT") else COMPLAINT
    for kind, words in CASE_WORDS.items():
        if words.search(text or ""):
            return True, kind
    return False, None


def skips_details(kind: str, order: shop.Order | None, tracker: Tracker, request: str) -> bool:
    """Whether the form need not ask its own questions (reason, mode, description): the submit
    names an open case of this kind instead (unless it is the one being changed), reports a case's
    state, or explains why a return is not possible yet (the parcel has not arrived)."""
    if kind == COMPLAINT and asks_case_status(request):
        return True
    if order is None:
        return False
    if kind == RETURN and order.status != shop.DELIVERED:
        return True
    existing = open_case(order, kind)
    replaces = draft_of(tracker).get("replaces")
    return existing is not None and existing.reference != replaces


def asks_case_status(text: str) -> bool:
    """A question about the state of a case ("Wie ist der Stand meiner Reklamation?", "ist die
    Reklamation jetzt angelegt?", "… ist die bei Ihnen angekommen?"), not a new one."""
    return bool(
        ASKS_CASE.search(text or "")
        or NOT_NEW.search(text or "")
        or asks_created(text)
        or asks_case_received(text)
        # "Gibt es da schon was Neues zur Reklamation?", "finden Sie meine alte Reklamation?"
        or (asks_on_file(text) and named_case_kind(text)[0])
    )


def _names(item: Item, text: str) -> bool:
    """Whether the text names the item by a word of its name ("Rucksack") or that word's tail
    ("die Lampe" for "Stirnlampe Lux 300"), also in English ("the headlamp")."""
    low = in_shop_words(text)
    for word in (w for w in re.split(r"[^\wäöüß]+", item.name.lower()) if len(w) >= 5):
        if re.search(rf"\b{re.escape(word)}", low):
            return True
        tails = (word[i:] for i in range(1, len(word) - MIN_TAIL + 1))
        if any(re.search(rf"\b{re.escape(tail)}\b", low) for tail in tails):
            return True
    return False


MIN_TAIL = 4  # "Lampe" names "Stirnlampe"; shorter tails ("hut" of "Sonnenhut") are too vague
# The outdoor goods' everyday English words, read as the German word the shop's item names use
# ("only the headlamp, I keep the backpack" for "Stirnlampe Lux 300", "Rucksack Gipfelstürmer").
ENGLISH_ITEMS = {
    "headlamp": "stirnlampe", "head lamp": "stirnlampe", "headtorch": "stirnlampe",
    "lamp": "lampe", "backpack": "rucksack", "rucksack": "rucksack", "tent": "zelt",
    "jacket": "jacke", "down jacket": "daunenjacke", "boots": "schuhe", "shoes": "schuhe",
    "hiking boots": "wanderschuhe", "socks": "socken", "sleeping bag": "schlafsack",
    "sleeping mat": "isomatte", "mat": "matte", "bottle": "flasche", "water bottle": "trinkflasche",
    "gloves": "handschuhe", "trousers": "hose", "pants": "hose", "hat": "mütze",
}  # fmt: skip
ENGLISH_ITEM_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, ENGLISH_ITEMS), key=len, reverse=True)) + r")\b"
)


def in_shop_words(text: str) -> str:
    """The text in lower case with the everyday English item words read as the shop's German ones
    ("just the bottle, I keep the tent" -> "just the flasche, i keep the zelt")."""
    return ENGLISH_ITEM_WORDS.sub(lambda m: ENGLISH_ITEMS[m.group(0)], (text or "").lower())


def named_items(order: shop.Order, text: str) -> List[Item]:
    """The order's items the text wants ("der Rucksack", "nur die Lampe"): one it keeps or rejects
    ("nicht den Rucksack, sondern die Stirnlampe", "den Rucksack behalte ich") is left out - of all
    items when it names no other."""
    rejected = rejected_words(text)
    away = [item for item in order.items if _names(item, rejected)]
    found = [item for item in order.items if item not in away and _names(item, text)]
    if away and not found:
        return [item for item in order.items if item not in away]
    return found


def chosen_items(order: shop.Order, tracker: Tracker, text: str) -> List[Item]:
    """The item a button chose, else those the customer named, else the only one; [] for all."""
    choice = str(tracker.get_slot(CHOSEN) or "")
    if choice.isdigit() and 1 <= int(choice) <= len(order.items):
        return [order.items[int(choice) - 1]]
    named = named_items(order, text)
    if named and len(named) < len(order.items):
        return named
    return list(order.items) if len(order.items) == 1 else []


def said_before(tracker: Tracker) -> str:
    """Everything the customer wrote in the conversation: the item named before a form restarted
    ("der Rucksack ist zu klein", then "doch Rücksendung, aber mit Geld zurück") still names the
    item, so the summary does not list the order's other items (persona run 4, d12)."""
    return " ".join(
        str(e.get("text") or "") for e in tracker.events or [] if e.get("event") == "user"
    )


def item_text(order: shop.Order, items: Sequence[Item]) -> str:
    """The summary's item line: the chosen items, or every item of the order."""
    if items and len(items) < len(order.items):
        return " und ".join(i.name for i in items)
    return shop.item_names(order)


def draft_of(tracker: Tracker) -> Dict[str, Any]:
    draft = tracker.get_slot(DRAFT)
    return dict(draft) if isinstance(draft, dict) else {}


def cleared(kind: str) -> List[EventType]:
    """The form's answers are in the draft now: a later return or complaint asks afresh."""
    return [SlotSet(name, None) for name in FORM_SLOTS[kind]] + [
        SlotSet("verify_attempts", 0),
        SlotSet(CHOSEN, None),
    ]


def mode_label(mode: str, reg: str) -> str:
    return facts().notice(f"case_mode_{mode}", reg)


def propose(
    kind: str,
    order: shop.Order,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    request: str,
) -> List[EventType]:
    """The form is complete: an open case of this kind is offered instead of a second one, else the
    summary and "Soll ich …?" (nothing is created here)."""
    replaces = str(draft_of(tracker).get("replaces") or "")
    existing = open_case(order, kind)
    if existing is not None and existing.reference != replaces:
        return cleared(kind) + offer_open(existing, dispatcher, tracker)
    items = chosen_items(order, tracker, request) or chosen_items(
        order, tracker, said_before(tracker)
    )
    draft: Dict[str, Any] = {
        "kind": kind,
        "order_id": order.id,
        "items": [i.name for i in items],
        "replaces": replaces or None,
    }
    if kind == RETURN:
        draft["reason"] = str(tracker.get_slot("return_reason") or "").strip()
        draft["mode"] = str(tracker.get_slot("return_mode") or "refund")
    else:
        draft["reason"] = str(tracker.get_slot("complaint_details") or "").strip()
    summarise(draft, order, items, dispatcher, tracker)
    return cleared(kind) + [
        SlotSet(DRAFT, draft),
        remember(tracker, f"{LABEL[kind]} zu {order.id} zusammengefasst, Bestätigung erfragt"),
    ]


def summarise(
    draft: Dict[str, Any],
    order: shop.Order,
    items: Sequence[Item],
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
) -> None:
    """The summary of a draft and "Soll ich …?" (with a button per item when none is chosen)."""
    kind = str(draft["kind"])
    replaces = str(draft.get("replaces") or "")
    texts = {"mode_text": mode_label(draft["mode"], register(tracker))} if kind == RETURN else {}
    buttons = []
    if not items and len(order.items) > 1:  # several items, none named: one may be meant
        buttons = [
            {"title": f"Nur: {item.name}", "payload": f'/affirm{{"{CHOSEN}":"{n}"}}'}
            for n, item in enumerate(order.items, 1)
        ]
    dispatcher.utter_message(
        response=f"utter_confirm_{kind}",
        order_id=order.id,
        items=item_text(order, items),
        reason=summary_reason(kind, str(draft.get("reason") or "–")),
        replaces=f" (statt {replaces})" if replaces else "",
        buttons=buttons,
        **texts,
    )


def summary_reason(kind: str, reason: str) -> str:
    """The reason as the summary shows it: the return template ends it with its own full stop
    ("Grund: … verstorben.." in held-out run 6, d06); a complaint quotes it as written."""
    return (reason.rstrip(" .!;") or "–") if kind == RETURN else reason


async def revise(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A change of mind at the summary ("die Jacke lieber in L statt M", "doch nur umtauschen",
    "nur den Rucksack"): the draft takes what the message says and the summary is asked again;
    nothing is created before the "ja" to it."""
    draft = draft_of(tracker)
    kind = str(draft.get("kind") or "")
    text = latest_text(tracker)
    try:
        order = await verified_order(tracker)
    except (ShopUnavailable, ShopConfigError):
        return shop.unavailable(dispatcher, tracker)
    if order is None or kind not in LABEL or order.id != draft.get("order_id"):
        dispatcher.utter_message(response="utter_verification_failed")
        return [SlotSet(DRAFT, None)]
    switch = switched_request(text, TASKS.get(kind, ""), latest_intent(tracker))
    if switch:
        return switch_case(draft, order, switch, tracker)
    before = [i for i in order.items if i.name in (draft.get("items") or [])]
    items = revised_items(order, before, text)
    added = [i for i in items if before and i not in before]
    draft["items"] = [i.name for i in items]
    changes = [f"+ {', '.join(i.name for i in added)}"] if added else []
    if kind == RETURN:
        said = said_return(text)
        draft["mode"] = said.get("return_mode") or draft.get("mode") or "refund"
        reason = re.sub(r"\s*\(Umtausch in [^)]*\)", "", str(draft.get("reason") or "")).strip()
        reason = reason or said.get("return_reason") or ""  # the reason given stays
        stated = stated_reason(text)  # "… eigentlich ist sie mir zu warm": the reason changes too
        if stated and stated not in reason and not named_items(order, text):
            reason = stated
        if added or draft.get("reasons"):  # each item keeps its own reason (persona run 2, d20)
            reason = item_reasons(draft, before, items, text)
        size = said.get("exchange_size")
        draft["reason"] = f"{reason} {exchange_note(size)}".strip() if size else reason
        changes.append(draft["mode"] + (f" {size}" if size else ""))
    elif kind == COMPLAINT and adds_detail(text):
        # "Außerdem ist das Kopfband eingerissen": the description grows, nothing is lost
        draft["reason"] = f"{str(draft.get('reason') or '').strip()} – {text.strip()}".strip(" –")
        changes.append("Beschreibung ergänzt")
    summarise(draft, order, items, dispatcher, tracker)
    note = f"{LABEL[kind]} zu {order.id} geändert ({', '.join(changes) or 'Artikel'}), Bestätigung erfragt"
    return [SlotSet(DRAFT, draft), SlotSet(CHOSEN, None), remember(tracker, note)]


def revised_items(order: shop.Order, before: List[Item], text: str) -> List[Item]:
    """The items after a change at the summary: added to ("die Stirnlampe schicke ich auch mit
    zurück", "Nein, beides!"), narrowed ("nur den Rucksack") or chosen anew; else as they were."""
    named = named_items(order, text)
    if adds_items(text):
        if not named and ALL_ITEMS.search(text):
            return list(order.items)  # "beides" without names: every item of the order
        return before + [i for i in named if i not in before] if before else named
    if named and len(named) < len(order.items):
        return named
    return list(order.items) if named else before


MIN_DETAIL_WORDS = 3


def adds_detail(text: str) -> bool:
    """Whether a correction at a complaint summary describes more (not a yes, a no or a narrowing
    to some items): it is added to the description."""
    if narrows_items(text) or opens_with_yes(text) or opens_with_no(text):
        return False
    return len(text.split()) >= MIN_DETAIL_WORDS


# "beides", "alle", "both": every item, where no item is named.
ALL_ITEMS = re.compile(r"(?i)\b(?:beides|beide[ns]?|alle[ns]?|both|all)\b")


def item_reasons(draft: Dict[str, Any], before: List[Item], items: List[Item], text: str) -> str:
    """The reason line of a case with several items, each with its own reason ("Rucksack
    Gipfelstürmer 35 l: zu klein; Stirnlampe Lux 300: brauche ich nicht"): an added item gets the
    reason the message gives for it, never the reason of another item. Kept in draft["reasons"]."""
    reasons: Dict[str, str] = dict(draft.get("reasons") or {})
    if not reasons and before and draft.get("reason"):
        reasons = {i.name: str(draft["reason"]) for i in before}
    for item in items:
        said = reason_for(item, text)
        if said:
            reasons[item.name] = said
    draft["reasons"] = {i.name: reasons[i.name] for i in items if reasons.get(i.name)}
    return "; ".join(f"{name}: {reason}" for name, reason in draft["reasons"].items())


def reason_for(item: Item, text: str) -> str | None:
    """The reason a sentence naming the item gives ("Die Lampe brauche ich einfach nicht.")."""
    for sentence in re.split(r"(?<=[.!?;])\s+", text or ""):
        if _names(item, sentence):
            reason = said_return(sentence).get("return_reason")
            if reason:
                return reason
    return None


LABEL = {RETURN: "Rücksendung", COMPLAINT: "Reklamation"}
TASKS = {RETURN: "return_item", COMPLAINT: "complaint"}


def switch_case(
    draft: Dict[str, Any], order: shop.Order, task: str, tracker: Tracker
) -> List[EventType]:
    """ "Das ist doch keine Reklamation, eine Rücksendung bitte" at the summary: nothing is created;
    the named request starts on the same order, a return or complaint with what the customer
    described as its reason (shown in its own summary before anything is created)."""
    kind = str(draft.get("kind") or "")
    note = remember(tracker, f"{LABEL.get(kind, 'Vorgang')} verworfen, Anliegen: {task}")
    # the item the summary was about stays chosen ("Nur: …" button index), else all are offered
    names = [i.name for i in order.items]
    kept = [names.index(n) + 1 for n in draft.get("items") or [] if n in names]
    chosen = str(kept[0]) if len(kept) == 1 and len(names) > 1 else None
    events: List[EventType] = [
        SlotSet(DRAFT, None),
        SlotSet(CHOSEN, chosen),
        SlotSet("task", task),
        note,
    ]
    new_kind = next((k for k, t in TASKS.items() if t == task), None)
    if new_kind is not None:
        reason = str(draft.get("reason") or "").strip() or None
        if new_kind == RETURN:  # "Nothing is wrong, it's just too warm": the reason said now wins
            reason = said_return(latest_text(tracker)).get("return_reason") or reason
        slot = FORM_SLOTS[new_kind][0]  # return_reason / complaint_details
        return events + [SlotSet(slot, reason), FollowupAction(FORMS[new_kind])]
    target = "address_form" if task == "change_address" else "verify_form"  # its rule answers
    return events + [FollowupAction(target)]


def offer_open(case: Case, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "There is one already": name it and offer to change, withdraw or keep it - or, once its items
    have arrived and are being handled, say that it can no longer be changed and offer a person."""
    english = register(tracker) == "en"
    detail = (f', "{case.detail}"' if english else f", „{case.detail}“") if case.detail else ""
    dispatcher.utter_message(
        response="utter_case_in_progress" if case.status == "received" else "utter_case_open",
        # an English customer hears "an open return", not "Rücksendung" (held-out run 7, d17)
        label=ENGLISH_LABELS.get(case.kind, case.label).lower() if english else case.label,
        reference=case.reference,
        order_id=case.order_id,
        date=day(case.created_at),
        detail=detail,
    )
    return [
        SlotSet(CASE_REF, case.reference),
        SlotSet(DRAFT, {"kind": case.kind, "order_id": case.order_id}),
        remember(tracker, f"Offene {case.label} {case.reference} genannt, keine zweite angelegt"),
    ]


async def create(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Ja" to the summary: create what it showed, on the order as the shop has it now; a case of
    the same kind that appeared meanwhile (a second tap on "Ja") is named, not duplicated."""
    draft = draft_of(tracker)
    kind = str(draft.get("kind") or "")
    try:
        order = await verified_order(tracker, fresh=True)
        if order is None or kind not in LABEL or order.id != draft.get("order_id"):
            dispatcher.utter_message(response="utter_verification_failed")
            return [SlotSet(DRAFT, None)]
        replaces = str(draft.get("replaces") or "")
        existing = open_case(order, kind)
        if existing is not None and existing.reference != replaces:
            return offer_open(existing, dispatcher, tracker)
        if replaces and existing is not None:
            await shop.withdraw(order, replaces, tracker)
        # a "Nur: …" button of the summary chose one item; else what the summary showed
        items = chosen_items(order, tracker, "") or [
            i for i in order.items if i.name in (draft.get("items") or [])
        ]
        events = await (_create_return if kind == RETURN else _create_complaint)(
            order, draft, items, dispatcher, tracker
        )
    except NotSupported as missing:
        return [SlotSet(DRAFT, None)] + shop.not_here(dispatcher, tracker, missing.capability)
    except (ShopUnavailable, ShopConfigError):
        return [SlotSet(DRAFT, None)] + shop.unavailable(dispatcher, tracker)
    except NotAllowed:
        dispatcher.utter_message(response="utter_case_not_changed")
        return [SlotSet(DRAFT, None)]
    if shop.supports(Capability.WITHDRAW):
        dispatcher.utter_message(response="utter_case_undo_hint", label=LABEL[kind])
    return [SlotSet(DRAFT, None), SlotSet(CHOSEN, None)] + events


async def _create_return(
    order: shop.Order,
    draft: Dict[str, Any],
    items: List[Item],
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
) -> List[EventType]:
    mode = str(draft.get("mode") or "refund")
    ret = await shop.create_return(order, str(draft.get("reason") or ""), mode, tracker, items)
    # Only a shop that issues the label itself may promise it: elsewhere the team approves first.
    dispatcher.utter_message(
        response="utter_return_created" if ret.label_reference else "utter_return_requested",
        return_ref=ret.reference,
        mode_text=facts().notice(f"return_{mode}", register(tracker)),
    )
    return [
        SlotSet(CASE_REF, ret.reference),
        remember(tracker, f"Rücksendung {ret.reference} ({mode}) für {order.id} angelegt"),
    ]


async def _create_complaint(
    order: shop.Order,
    draft: Dict[str, Any],
    items: List[Item],
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
) -> List[EventType]:
    text = str(draft.get("reason") or "")
    if items and len(items) < len(order.items):
        text = f"{'; '.join(i.name for i in items)}: {text}"
    ticket = await shop.create_ticket(order, COMPLAINT, text, tracker)
    dispatcher.utter_message(response="utter_complaint_created", ticket_ref=ticket.reference)
    return [
        SlotSet(CASE_REF, ticket.reference),
        remember(tracker, f"Reklamation {ticket.reference} für {order.id} angelegt"),
    ]


async def decline(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Nein" to the summary: nothing is created. "Nein, keine neue – finden Sie meine alte
    Reklamation?" also gets what the order has on file (held-out persona run 4, d29)."""
    kind = str(draft_of(tracker).get("kind") or "")
    declined: List[EventType] = [
        SlotSet(DRAFT, None),
        remember(tracker, f"{LABEL.get(kind, 'Vorgang')} nicht gewünscht"),
    ]
    text = latest_text(tracker)
    names, named = named_case_kind(text)
    if (names or kind) and asks_on_file(text):
        try:
            order = await verified_order(tracker)
        except (ShopUnavailable, ShopConfigError):
            order = None
        if order is not None:
            dispatcher.utter_message(response="utter_case_declined_lookup")
            return declined + report(order, dispatcher, tracker, named or kind or None)
    dispatcher.utter_message(response="utter_case_declined")
    return declined


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def latest_intent(tracker: Tracker) -> str:
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


async def on_open_case(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The answer to "change, withdraw or keep?": by the words first, then the intent (buttons send
    /correct, /stop, /deny)."""
    text, intent = latest_text(tracker), latest_intent(tracker)
    if WITHDRAW_WORDS.search(text) or intent == "stop":
        return await withdraw_latest(dispatcher, tracker)
    if AMEND_WORDS.search(text) or intent == "correct":
        return amend(dispatcher, tracker)
    reference = str(tracker.get_slot(CASE_REF) or "")
    dispatcher.utter_message(response="utter_case_kept", reference=reference)
    return [SlotSet(DRAFT, None), remember(tracker, f"{reference} bleibt unverändert")]


async def after_created_no(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Nein, doch nicht" right after a case was created withdraws it; "nein danke" says goodbye."""
    if WITHDRAW_WORDS.search(latest_text(tracker)):
        return await withdraw_latest(dispatcher, tracker)
    return farewell(dispatcher, tracker)


def amend(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Change an open case: the form asks its questions again; the summary says which case the new
    one replaces, and only the "ja" to it withdraws the old one."""
    draft = draft_of(tracker)
    kind = str(draft.get("kind") or "")
    reference = str(tracker.get_slot(CASE_REF) or "")
    if kind not in FORMS:  # a request for the team: changed by the team
        dispatcher.utter_message(response="utter_case_not_changed")
        return [SlotSet(DRAFT, None)]
    dispatcher.utter_message(response="utter_case_amend", reference=reference)
    return [
        SlotSet(DRAFT, {"kind": kind, "order_id": draft.get("order_id"), "replaces": reference}),
        SlotSet("task", "return_item" if kind == RETURN else "complaint"),
        *[SlotSet(name, None) for name in FORM_SLOTS[kind]],
        FollowupAction(FORMS[kind]),
    ]


async def withdraw_latest(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Withdraw the case the last question was about (the open one named, or the one just created)."""
    reference = str(tracker.get_slot(CASE_REF) or "")
    try:
        order = await verified_order(tracker, fresh=True)
        case = find_case(order, reference) if order is not None and reference else None
        if order is None or case is None:
            dispatcher.utter_message(response="utter_case_not_changed")
            return [SlotSet(DRAFT, None), SlotSet(CASE_REF, None)]
        await shop.withdraw(order, reference, tracker)
    except NotSupported as missing:
        return shop.not_here(dispatcher, tracker, missing.capability)
    except (ShopUnavailable, ShopConfigError):
        return shop.unavailable(dispatcher, tracker)
    except (NotFound, NotAllowed):
        dispatcher.utter_message(response="utter_case_not_changed")
        return [SlotSet(DRAFT, None), SlotSet(CASE_REF, None)]
    dispatcher.utter_message(response="utter_case_withdrawn", label=case.label, reference=reference)
    return [
        SlotSet(DRAFT, None),
        SlotSet(CASE_REF, None),
        remember(tracker, f"{case.label} {reference} auf Wunsch zurückgezogen"),
    ]


async def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType] | None:
    """ "Wann bekomme ich den Ersatz?", "Muss ich den alten Rucksack zurückschicken?" with a case on
    the table (`case_ref`): the next step of that case, by its kind and mode (None: no such question,
    or no case to answer from - the caller answers as usual). Whether to send an item back asked
    with none on the table is answered from the verified order's open return (run 4, d13)."""
    asked = asks_about_case(latest_text(tracker))
    reference = str(tracker.get_slot(CASE_REF) or "")
    if asked is None or not (reference or asked == SEND_BACK):
        return None
    try:
        order = await verified_order(tracker)
    except (ShopUnavailable, ShopConfigError):
        return None
    if order is not None and not reference:
        on_file = open_case(order, RETURN)
        reference = on_file.reference if on_file else ""
    case = find_case(order, reference) if order is not None and reference else None
    if case is None or case.kind not in LABEL:
        return None
    uncovered = not_covered(order, case, latest_text(tracker)) if asked == SEND_BACK else []
    if order is not None and uncovered:  # "muss die Stirnlampe auch zurück?" beside the Rucksack
        text = facts().notice(
            "case_next_return_not_covered",
            register(tracker),
            reference=reference,
            items=item_list(uncovered, register(tracker)),
            covered=item_list(case_items(order, case), register(tracker)),
        )
        dispatcher.utter_message(text=text)
        return [remember(tracker, f"Frage zu {reference} beantwortet (nicht enthaltener Artikel)")]
    key = f"case_next_{case.kind}_{asked}"
    text_way = ""
    if case.kind == RETURN and asked == WHEN:
        key += "_exchange" if case.mode == "exchange" else "_refund"
        if case.mode != "exchange" and order is not None and register(tracker) != "en":
            text_way = f" Die Erstattung {refund_way(order, register(tracker))}"  # 22.10
    text = facts().notice(key, register(tracker), reference=reference)
    dispatcher.utter_message(text=text + text_way)
    return [remember(tracker, f"Frage zu {reference} beantwortet ({asked})")]


def not_covered(order: shop.Order | None, case: Case, text: str) -> List[Item]:
    """The items a send-back question names that the return on the table does not cover ("muss
    ich die Stirnlampe auch zurückschicken?" after a return of the Rucksack alone); [] when it
    names none, names one the return covers, or the case is no return."""
    if order is None or case.kind != RETURN:
        return []
    named = [item for item in order.items if _names(item, text)]
    covered = case_items(order, case)
    if not named or any(item in covered for item in named):
        return []
    return named


def item_list(items: Sequence[Item], reg: str) -> str:
    """Item names as a list in the customer's language ("A, B und C", "A, B and C")."""
    names = [item.name for item in items]
    last = " and " if reg == "en" else " und "
    return ", ".join(names[:-1]) + last + names[-1] if len(names) > 1 else "".join(names)


def state_text(case: Case, order: shop.Order, reg: str) -> str:
    """Register-neutral state of one case (returns: from the order's refund, see orders.return_text)."""
    if case.kind == RETURN:
        from actions.orders import return_text  # orders imports this module's report

        ret = next(r for r in order.returns if r.reference == case.reference)
        return return_text(order, ret, reg)
    key = "case_state_open" if case.is_open else "case_state_closed"
    return facts().notice(key, reg, date=day(case.created_at))


# What "finde ich keine …" names: the kind asked about, or all of them.
NONE_FOUND: Dict[str, Dict[str | None, str]] = {
    "de": {
        COMPLAINT: "Reklamation",
        RETURN: "Rücksendung",
        None: "Rücksendung, Reklamation oder Anfrage",
    },
    "en": {COMPLAINT: "complaint", RETURN: "return", None: "return, complaint or request"},
}
# What a case is called in an English line of "what is the state?" (German: bot/shop/cases.py LABELS).
ENGLISH_LABELS = {RETURN: "Return", COMPLAINT: "Complaint", REQUEST: "Request"}

HANDOFF_TICKET = (
    "handoff_ticket"  # set by the hub when a handoff became a request (nobody reachable)
)


def asks_handoff_ticket(tracker: Tracker, text: str) -> bool:
    """ "Wie ist der Stand meines Tickets?" in a conversation whose handoff became a request in the
    hub, and no verified order to look at: the hub's request is the case meant."""
    names, kind = named_case_kind(text)
    return (
        bool(tracker.get_slot(HANDOFF_TICKET))
        and names
        and kind is None
        and asks_case_status(text)
        and not tracker.get_slot("verified_order")
    )


def report_handoff_ticket(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Where the hub's request of this conversation stands, as far as the bot knows: noted for the team."""
    ticket = str(tracker.get_slot(HANDOFF_TICKET))
    dispatcher.utter_message(response="utter_handoff_ticket_status", ticket=ticket)
    return [remember(tracker, f"Stand der Anfrage {ticket} genannt")]


def report(
    order: shop.Order, dispatcher: CollectingDispatcher, tracker: Tracker, kind: str | None = None
) -> List[EventType]:
    """ "Wie ist der Stand meiner Reklamation?": the state of the order's cases (of `kind` when it
    has such, else all of them), never a new one."""
    found = cases_of(order)
    number = case_number(latest_text(tracker))
    wanted = (
        [c for c in found if c.reference.upper() == number]
        or [c for c in found if c.kind == kind]
        or found
    )
    if not wanted and tracker.get_slot(HANDOFF_TICKET):
        # none of its own, but the matter went to the team ("ist die Reklamation angelegt?" after a
        # handoff took it over): that request is its state
        return report_handoff_ticket(dispatcher, tracker)
    if not wanted:
        # asked again: not the same "finde keine" word for word - maybe it came by mail, a person is offered
        again = any(
            (e.get("metadata") or {}).get("utter_action") == "utter_case_status_none"
            for e in tracker.events or []
            if e.get("event") == "bot"
        )
        name = "utter_case_status_none_again" if again else "utter_case_status_none"
        names = NONE_FOUND["en" if register(tracker) == "en" else "de"]
        what = names.get(kind, names[None])
        dispatcher.utter_message(response=name, order_id=order.id, what=what)
        return [remember(tracker, f"Kein Vorgang zu {order.id} gefunden")]
    reg = register(tracker)
    lines = [
        facts().notice(
            "case_line",
            reg,
            label=ENGLISH_LABELS[c.kind] if reg == "en" else c.label,
            reference=c.reference,
            date=day(c.created_at),
            state=state_text(c, order, reg),
        )
        for c in wanted[-3:]
    ]
    dispatcher.utter_message(
        response="utter_case_status", order_id=order.id, cases_text="\n".join(lines)
    )
    return [
        SlotSet(CASE_REF, wanted[-1].reference),
        remember(tracker, f"Stand von {', '.join(c.reference for c in wanted[-3:])} genannt"),
    ]
