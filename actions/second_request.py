"""The other requests of a message with two questions (issue 22.5): answered or explicitly queued.

"Was kostet der Versand und wo ist mein Paket 100234?" used to get only one of the two answers. The
NLU reads the message as one request and lists the clearly stated others in the parse data
(`other_requests`, bot/rasa_plugins/clauses.py). Whatever flow handles the first, the others are
then said in the same turn:

- a FAQ question is answered at once, "Zu Ihrer zweiten Frage: …" (from the order on the table
  when it is a follow-up, actions/followups.py);
- a request with a flow (status, return, cancellation …) next to a FAQ answer starts that flow;
- a request with a flow next to another flow is queued out loud: the bot says it takes one thing
  at a time and how to go on with the second (one word), and the handoff summary notes it. Nothing
  is created or changed for it without its own yes;
- a question no clause of which the NLU reads surely (intent "unknown") is named with an honest
  "dazu kann ich nichts Sicheres sagen" and a button to a person - never dropped without a word
  (held-out persona run 2, problem 6). English writers get the English FAQ answer, or the same
  honest line in English where the answer has no English text.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import followups, knowledge, open_request
from actions.common import facts, register, topic_label, verified_order
from bot.dialogue.form_answer import PROTEST, asked_beside, read_answer
from bot.dialogue.other_questions import UNKNOWN
from bot.dialogue.passed_on import asks_passed_on
from bot.dialogue.pending import TASK_INTENTS
from bot.dialogue.questions import asks_a_question, content_stems, covers, question_clauses
from bot.dialogue.same_question import goes_on_with_the_one_before
from bot.dialogue.team_note import other_question
from bot.dialogue.told_already import told_already
from bot.shop.backend import ShopError

FLOWS = {
    "return_item": "return_form",
    "complaint": "complaint_form",
    "change_address": "address_form",
}
OPENING = {
    "sie": "Zu Ihrer zweiten Frage",
    "du": "Zu deiner zweiten Frage",
    "en": "As to your other question",
}
PREFIX = {reg: f"{opening}:" for reg, opening in OPENING.items()}
# The one question asked beside a form's value ("name@example.ch – und muss ich … nachzahlen?")
BESIDE = {"sie": "Zu Ihrer Frage:", "du": "Zu deiner Frage:", "en": "As to your question:"}
FLOW_STARTS = {
    "sie": "Zu Ihrer zweiten Frage ({label}) komme ich gleich:",
    "du": "Zu deiner zweiten Frage ({label}) komme ich gleich:",
}
QUEUED = {
    "sie": "Zu Ihrer zweiten Bitte ({label}): eins nach dem anderen – sobald das hier erledigt ist, "
    "schreiben Sie mir einfach „{label}“, dann machen wir damit weiter.",
    "du": "Zu deiner zweiten Bitte ({label}): eins nach dem anderen – sobald das hier erledigt ist, "
    "schreib mir einfach „{label}“, dann machen wir damit weiter.",
}
QUEUED_EN = (
    "As to your second request: one thing at a time – once this is done, just tell me about it "
    "again and we will go on with it."
)
UNSURE_NOTICE = "question_unsure"  # company.yml notices
UNSURE_NOTED = "question_unsure_noted"  # the same with a request open: noted for the team
HUMAN_BUTTON = {"title": "Zum Kundenservice", "payload": "/request_human"}
UNSURE_NOTE = "Frage nicht sicher beantwortet"
# What is not part of the question quoted back: a greeting, a joining word ("Hi there, is …", "und …")
GREETING = re.compile(
    r"^(?:(?:hallo|hi|hey|hello|servus|moin|gr(?:ü|ue)(?:ß|ss)\s+gott|guten\s+(?:tag|morgen|abend))"
    # "also" only with its comma ("Also, can you …"): the German "Also nicht nach Südtirol?" loses
    # its sense without it (held-out run 6, d16 quoted „Nicht nach Südtirol“)
    r"(?:\s+there)?[\s,!.]+)?(?:(?:und|aber|and|but)[\s,]+|also\s*,\s*)?",
    re.IGNORECASE,
)
ANSWERED_NOTE = "Zweite Frage beantwortet"
# Questions about the chat itself ("was machst du da jetzt?", "hallo?") next to a request are no second
# question: the request's own answer is the reply, not the stock "what I can do" block (issue 22).
ABOUT_THE_CHAT = {"capabilities", "repeat", "still_there", "wait"}
# A question about the rules of the very thing the message asks for ("bis wann kann ich zurückschicken
# und wie mach ich das bei 100235?"): its clause reads as the request itself, so it is no other
# request, yet it asks. The rule (a company.yml FAQ answer) is said before the flow goes on.
POLICY_QUESTIONS = {
    "return_item": (
        "return_policy",
        re.compile(
            r"(?i)\bbis wann\b|\bwie lange\b|\bwie viel zeit\b|\bfrist\b|\bwie viele tage\b|"
            r"\bkostenlos|\bkostet\b|\bgratis\b|\bwer zahlt\b|\bumsonst\b"
        ),
    ),
}
POLICY_OPENING = {"sie": "Vorweg zu Ihrer Frage:", "du": "Vorweg zu deiner Frage:"}
# Requests that only read the order: next to another order request they are answered together once
# the order is verified (actions/orders.py, ActionHandleVerified.also_asked), not queued.
READ_ONLY = {"order_status", "payment_issue"}
# What each form answers itself next to its own request (nothing said for it when the form starts):
# the verified answer says status and payment, an address change says when the order comes
# (actions/cancellation.py do_address).
ANSWERED_BY_FORM = {
    "verify_form": frozenset(READ_ONLY),
    "address_form": frozenset({"order_status"}),
}


def others(tracker: Tracker) -> List[Dict[str, Any]]:
    """The latest message's further requests, as the NLU listed them."""
    found = (tracker.latest_message or {}).get("other_requests") or []
    return [r for r in found if isinstance(r, dict) and r.get("intent")]


def declined(tracker: Tracker) -> List[str]:
    """The requests the latest message refuses ("NICHT stornieren"), as the NLU listed them
    (`declined_requests`, bot/rasa_plugins/clauses.py declined_requests)."""
    found = (tracker.latest_message or {}).get("declined_requests") or []
    return [str(intent) for intent in found]


def policy_question(tracker: Tracker) -> str | None:
    """The FAQ key of a question about the rules of the request the message is read as, if it asks
    one (POLICY_QUESTIONS), else None."""
    message = tracker.latest_message or {}
    intent = str((message.get("intent") or {}).get("name") or "")
    key, asks = POLICY_QUESTIONS.get(intent, (None, None))
    text = str(message.get("text") or "")
    return key if asks is not None and asks.search(text) and asks_a_question(text) else None


def main_text(tracker: Tracker, text: str) -> str:
    """The message without its other requests' clauses: what the first answer is searched for
    ("wie lange braucht ein Paket und kann ich mit PayPal zahlen?" -> the delivery time, not PayPal).
    The clauses are the classifier's (lower case, spelling folded): removed where they are found."""
    rest = text
    for request in others(tracker):
        clause = str(request.get("text") or "").strip()
        if clause:
            rest = re.sub(re.escape(clause), " ", rest, flags=re.IGNORECASE)
    rest = re.sub(r"\s*\b(?:und|aber)\s*(?=[?.!]*\s*$)", "", rest.strip(), flags=re.IGNORECASE)
    return rest if re.search(r"\w{3,}", rest) else text


def reads_team_time(tracker: Tracker) -> bool:
    """With a request open, a message asking when the team answers beside other questions that the
    NLU all listed as requests of their own ("How long until someone answers? And do you ship to
    Switzerland?"): its own reading is that of the when-question, which open_request.answer
    answered with the team's time - only the others are answered, not the FAQ block the
    when-clause reads as (held-out run 6, d12 t3)."""
    text = str((tracker.latest_message or {}).get("text") or "")
    asked = [q for q in re.split(r"(?<=[.!?])\s+", text) if q.rstrip().endswith("?")]
    when = [q for q in asked if open_request.asks_team_time(tracker, q)]
    rest = [q for q in asked if q not in when and other_question(q)]
    listed = set(content_stems(" ".join(str(r.get("text") or "") for r in others(tracker))))
    return bool(when and rest) and all(set(content_stems(q)) & listed for q in rest)


def already_said(tracker: Tracker) -> bool:
    """Whether this turn already answered the other requests (a form's validation runs more than
    once per turn)."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    start = users[-1] if users else 0
    prefixes = (
        tuple(OPENING.values())
        + tuple(BESIDE.values())
        + tuple(POLICY_OPENING.values())
        + tuple(q.split("(")[0] for q in QUEUED.values())
        + (QUEUED_EN.split(":")[0],)
        + tuple(
            str(text).split("{")[0]
            for key in (UNSURE_NOTICE, UNSURE_NOTED)
            for text in ((facts().raw.get("notices") or {}).get(key) or {}).values()
        )
    )
    return any(
        e.get("event") == "bot" and str(e.get("text") or "").startswith(prefixes)
        for e in events[start:]
    )


def noted(tracker: Tracker, notes: List[str], before: List[EventType]) -> List[EventType]:
    """The notes appended to the handoff summary's list of what the bot did, in one slot event
    that keeps what the caller's events (`before`) noted this turn."""
    if not notes:
        return []
    history: List[str] = list(tracker.get_slot("bot_actions") or [])
    for event in before:
        if event.get("event") == "slot" and event.get("name") == "bot_actions":
            history = list(event.get("value") or [])
    return [SlotSet("bot_actions", (history + notes)[-10:])]


async def answer_others(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    may_start_flow: bool,
    before: List[EventType] | None = None,
    answered_later: frozenset[str] = frozenset(),
) -> List[EventType]:
    """Say the answers to the message's other requests. `may_start_flow`: no form runs or starts
    for the first request, so one other request with a flow may start its own (a FollowupAction).
    `before`: the caller's events this turn (their summary notes are kept). `answered_later`:
    intents the running flow answers itself once it can (nothing said for them now)."""
    notes: List[str] = []
    requests = others(tracker)
    english = register(tracker) == "en"
    reg = "en" if english else "du" if register(tracker) == "du" else "sie"
    policy = None if english else policy_question(tracker)
    if already_said(tracker):
        return []
    if not english:
        requests = requests + [
            {"intent": UNCOVERED, "key": None, "text": question}
            for question in uncovered(dispatcher, tracker, requests)
        ]
        requests = requests + [
            {"intent": PARTLY, "key": None, "text": question}
            for question in uncovered(dispatcher, tracker, requests, partly=True)
        ]
    # "wie lange, bis sich jemand meldet?" with a request open: the team's time, said before
    # (open_request.answer) - no help page or "nichts Sicheres" for it
    requests = [
        r for r in requests if not open_request.asks_team_time(tracker, str(r.get("text") or ""))
    ]
    if not requests and not policy:
        return []
    if policy and not any(r.get("key") == f"faq/{policy}" for r in requests):
        dispatcher.utter_message(text=f"{POLICY_OPENING[reg]} {facts().text('faq', policy, reg)}")
        notes.append(f"{ANSWERED_NOTE}: {policy}")
    events: List[EventType] = []
    started = False
    for request in requests:
        intent, key = str(request["intent"]), request.get("key")
        if intent in (UNCOVERED, PARTLY):  # said only when the help pages answer it
            page = await from_help_pages(tracker, request, whole=intent == PARTLY)
            if page:
                dispatcher.utter_message(text=f"{PREFIX[reg]} {page}")
                notes.append(f"{ANSWERED_NOTE}: Hilfeseiten")
            continue
        if intent == UNKNOWN:
            if asks_passed_on(str(request.get("text") or "")) and await has_open_request(tracker):
                continue  # answered from the open request (actions/orders.py passed_on, run 8 e25)
            # a question about the order on the table ("kommt es trotzdem noch diese Woche?") is
            # answered from it when it can be; else said honestly
            own = await followups.answer(tracker, None, str(request.get("text") or ""))
            if own and not own.form:
                dispatcher.utter_message(text=f"{PREFIX[reg]} {own.text}")
                notes.append(f"{ANSWERED_NOTE}: aus der Bestellung")
                continue
            page = None if english else await from_help_pages(tracker, request)
            if page:
                dispatcher.utter_message(text=f"{PREFIX[reg]} {page}")
                notes.append(f"{ANSWERED_NOTE}: Hilfeseiten")
                continue
            say_unsure(dispatcher, tracker, reg, str(request.get("text") or ""))
            notes.append(f"{UNSURE_NOTE}: {request.get('text')}")
            continue
        if intent == "faq" and key:
            name = str(key).split("/", 1)[-1]
            if name in ABOUT_THE_CHAT:
                continue
            text = await faq_answer(tracker, name, str(request.get("text") or ""), reg)
            if text:
                dispatcher.utter_message(text=f"{PREFIX[reg]} {text}")
                notes.append(f"{ANSWERED_NOTE}: {name}")
            else:  # no answer in the customer's language: said, not dropped
                say_unsure(dispatcher, tracker, reg, str(request.get("text") or ""))
                notes.append(f"{UNSURE_NOTE}: {request.get('text')}")
            continue
        if intent not in TASK_INTENTS or intent in answered_later:
            continue
        label = topic_label(intent) or intent
        if english:  # the flow labels and queue words are German
            dispatcher.utter_message(text=QUEUED_EN)
            notes.append(f"Zweite Bitte vorgemerkt: {label}")
            continue
        if may_start_flow and not started:
            dispatcher.utter_message(text=FLOW_STARTS[reg].format(label=label))
            events += [SlotSet("task", intent), FollowupAction(FLOWS.get(intent, "verify_form"))]
            started = True
            continue
        dispatcher.utter_message(text=QUEUED[reg].format(label=label))
        notes.append(f"Zweite Bitte vorgemerkt: {label}")
    return noted(tracker, notes, list(before or [])) + events


# A question of a FAQ message that the NLU read as the same answer as the other one, and that answer
# does not talk of ("Wie viele Tage habe ich für eine Rückgabe, und darf ich online Bestelltes im
# Geschäft umtauschen?": both read as the return policy, which says nothing of the stores).
UNCOVERED = "uncovered"
# A question the answer touches only in part ("Und nach Österreich geht Express auch nicht?" next
# to the delivery countries, which name Austria but not express): quoted from the help pages only
# when a passage names every content word of it (held-out run 6, d16).
PARTLY = "partly"
MIN_UNCOVERED_STEMS = 2  # "wo ist die" asks too little to be searched on its own


def uncovered(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    requests: List[Dict[str, Any]],
    partly: bool = False,
) -> List[str]:
    """The questions of a message read as one FAQ answer that the answer said so far does not
    touch (no content word of theirs in it) while it touches another one: searched on the help
    pages (answer_others). Only outside forms and for FAQ readings; the listed requests are
    answered their own way. `partly`: the questions it touches in part instead (some but not all
    of their content words)."""
    message = tracker.latest_message or {}
    if (tracker.active_loop or {}).get("name") or (message.get("intent") or {}).get(
        "name"
    ) != "faq":
        return []
    asked = question_clauses(typed_text(tracker))
    said = " ".join(str(m.get("text") or "") for m in dispatcher.messages)
    if len(asked) < 2 or not said:
        return []
    # "ab wann? Ab Versand oder ab Zustellung?": the choices are the first question, not a second one
    asked = [q for q in asked if not goes_on_with_the_one_before(q)]
    if len(asked) < 2:
        return []
    listed = " ".join(str(r.get("text") or "") for r in requests).lower()
    touched = [covers(question, said) > 0 for question in asked]
    if not any(touched):
        return []
    if partly:
        whole = [covers(q, said) >= len(content_stems(q)) for q in asked]
        return [
            question
            for question, hit, full in zip(asked, touched, whole, strict=True)
            if hit
            and not full
            and len(content_stems(question)) >= MIN_UNCOVERED_STEMS
            and not (set(content_stems(question)) & set(content_stems(listed)))
        ][:1]
    return [
        question
        for question, hit in zip(asked, touched, strict=True)
        if not hit
        and len(content_stems(question)) >= MIN_UNCOVERED_STEMS
        and not (set(content_stems(question)) & set(content_stems(listed)))
    ][:1]


HELP_PAGE = "auf unseren Hilfeseiten steht dazu: „{quote}“\nMehr dazu: {more}"


async def from_help_pages(
    tracker: Tracker, request: Dict[str, Any], whole: bool = False
) -> str | None:
    """The help-page passage that surely answers a second question no clause of which the NLU
    reads surely, quoted with its page ("kann ich auch im Laden in Leipzig umtauschen?" next to the
    return period: the store exchange passage, held-out run 4 d09), or None (said honestly then).
    Pages already shown in the conversation are not quoted again. `whole`: only a passage that
    names every content word of the question counts."""
    shown = [b["passage_id"] for b in knowledge.blocks(tracker.events) if b.get("passage_id")]
    context = str((tracker.latest_message or {}).get("text") or "")
    question = str(request.get("text") or "")
    hit = await knowledge.passage_for(question, [context], shown)
    if hit is None:
        return None
    plain = (
        question.translate(knowledge.PLAIN),
        knowledge.quote_of(hit).translate(knowledge.PLAIN),
    )
    if whole and covers(*plain) < len(content_stems(plain[0])):
        return None
    return HELP_PAGE.format(quote=knowledge.quote_of(hit), more=knowledge.more(hit))


# The actions the rules run for a question inside a form before it goes on (data/rules/rules.yml)
ANSWERING_ACTIONS = frozenset({"action_faq", "action_answer_from_knowledge", "utter_bot_challenge"})


def answered_by_rule(tracker: Tracker) -> bool:
    """Whether a rule answered the latest message as a question before the form went on. It does
    only when the form rejects the message; a message that also fills the slot asked for ("<e-mail>
    und was kostet …?") goes to the form alone, read as a FAQ question or not."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    since = events[users[-1] + 1 :] if users else []
    return any(e.get("event") == "action" and e.get("name") in ANSWERING_ACTIONS for e in since)


def faq_key_of(message: Dict[str, Any]) -> str | None:
    """The company.yml FAQ answer a message is read as (intent faq), or None."""
    intent = message.get("intent") or {}
    if intent.get("name") != "faq":
        return None
    selector = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    label = intent.get("full_retrieval_intent_name") or selector.get("intent_response_key")
    return str(label).split("/", 1)[-1] if label else None


def typed_text(tracker: Tracker) -> str:
    """The latest message as the customer wrote it: a message naming a button ("Geld zurück bitte.
    Geht das auch aus Italien?") is parsed as the button's payload, and its words stay on the event
    (bot/rasa_plugins/understanding.py)."""
    users = [e for e in tracker.events or [] if e.get("event") == "user"]
    said = str(users[-1].get("text") or "") if users else ""
    return said or str((tracker.latest_message or {}).get("text") or "")


async def answer_beside_form(
    dispatcher: CollectingDispatcher, tracker: Tracker, before: List[EventType]
) -> List[EventType]:
    """A question asked with (or instead of) the value a running form waits for, after the first
    turn of the form: the other requests the NLU listed (answer_others), else the question read
    beside the value (bot/dialogue/form_answer.py asked_beside): its FAQ answer when the message reads
    as one, else from the order on the table, then the help pages, else named honestly with a person
    offered - never dropped (persona run 2, d07: the e-mail with "muss ich bei der Zustellung noch
    etwas nachzahlen?" got the status only)."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    reg = "en" if register(tracker) == "en" else "du" if register(tracker) == "du" else "sie"
    say_sorry_told(dispatcher, tracker, reg)
    if already_said(tracker) or answered_by_rule(tracker):
        return []
    later = ANSWERED_BY_FORM.get(str((tracker.active_loop or {}).get("name")), frozenset())
    if any(r["intent"] not in later for r in others(tracker)):
        # a status listed beside the verification is the form's own answer: the question is read
        # from the words below instead
        return await answer_others(
            dispatcher, tracker, may_start_flow=False, before=before, answered_later=later
        )
    question = asked_beside(
        typed_text(tracker),
        tracker.get_slot("requested_slot"),
        intent.get("name"),
        float(intent.get("confidence") or 0.0),
    )
    if not question:
        return []
    key = faq_key_of(message)
    if key and key not in ABOUT_THE_CHAT:
        text = await faq_answer(tracker, key, question, reg)
        if text:
            dispatcher.utter_message(text=f"{BESIDE[reg]} {text}")
            return noted(tracker, [f"{ANSWERED_NOTE}: {key}"], before)
    own = await followups.answer(tracker, None, question)
    if own and not own.form:
        dispatcher.utter_message(text=f"{BESIDE[reg]} {own.text}")
        return noted(tracker, [f"{ANSWERED_NOTE}: aus der Bestellung"], before)
    found = await knowledge.answer(dispatcher, tracker, question, None)
    if found is not None:
        return found + noted(tracker, [f"{ANSWERED_NOTE}: Hilfeseiten"], before + found)
    say_unsure(dispatcher, tracker, reg, question)
    return noted(tracker, [f"{UNSURE_NOTE}: {question}"], before)


_SORRY = re.compile(r"(?i)entschuldig|\bsorry\b|tut mir leid")


def say_sorry_told(dispatcher: CollectingDispatcher, tracker: Tracker, reg: str) -> None:
    """ "Geld zurück. Wie oft denn noch." at a form: an apology before the form's next question,
    unless the turn apologised already (a protest taken as the value); the words ask nothing, so
    they are never noted for the team (held-out run 8, e05)."""
    text = typed_text(tracker)
    if not told_already(text) or read_answer(text, None, 0.0).kind == PROTEST:
        return  # a protest taken as the value is apologised for by the form itself
    if any(_SORRY.search(str(m.get("text") or "")) for m in dispatcher.messages):
        return
    dispatcher.utter_message(text=facts().text("faq", "repeat_told_already", reg))


async def faq_answer(tracker: Tracker, name: str, clause: str, reg: str) -> str | None:
    """The answer to a FAQ question of the message: from the order on the table when it is a
    follow-up (German; an English writer gets company.yml's English text), else company.yml's."""
    if reg == "en":
        return facts().text("faq", name, "en")
    own = await followups.answer(tracker, name, clause)
    return own.text if own else facts().text("faq", name, reg)


async def has_open_request(tracker: Tracker) -> bool:
    """Whether the verified order has a request open with the team (a ticket, not a lookup)."""
    try:
        order = await verified_order(tracker)
    except ShopError:
        return False
    return order is not None and any(
        t.status == "open" and t.kind != "order_lookup" for t in order.tickets
    )


def say_unsure(dispatcher: CollectingDispatcher, tracker: Tracker, reg: str, question: str) -> None:
    """ "Zu Ihrer Frage „…“ kann ich nichts Sicheres sagen", with a button to a person - or, with a
    request open (the matter lies with the team), the question noted on it and said so, no second
    offer of a person (held-out run 6, d12 t3, d21 t4)."""
    shown = re.sub(r"\s+", " ", question).strip(" ,.;:!?–-")
    shown = GREETING.sub("", shown)
    shown = shown[:1].upper() + shown[1:]
    if open_request.note_question(dispatcher, tracker, shown, UNSURE_NOTED, reg, question=shown):
        return
    text = facts().text("notices", UNSURE_NOTICE, reg, question=shown)
    if text:  # the button in the customer's language (held-out run 6, d12: no German in English)
        dispatcher.utter_message(text=text, buttons=[followups.human_button(reg)])
