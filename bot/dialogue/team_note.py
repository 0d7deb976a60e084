"""A wish for the team while the matter lies with it (issue 22, held-out persona runs 5 and 6).

After a handoff the bot still answers, and customers tell it what the team should know: "sagen Sie
dem Team, dass ich lieber Ersatz möchte", "bitte notieren: nur vormittags anrufen", "make sure someone
rings me", "bestätigen Sie mir das schriftlich per Post". The classifier reads such a message by its
topic words (the return policy, an invoice form, a thank-you, "nichts gefunden – soll ich Sie
verbinden?"). With a request open (the `handoff_ticket` slot) and no form running, a message that
asks to pass something on, to note it, for a call back or for a written confirmation is a note for
that request: actions/open_request.py adds it to the request and says so in one sentence.

Plain strings in, so the reader, the actions and their tests agree.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue.reading import read_as
from bot.dialogue.short_talk import asks_when_answered
from bot.dialogue.yes_then import plain_yes_first

TICKET = "handoff_ticket"
NOTE_INTENT = "nlu_fallback"  # action_answer_from_knowledge: open_request.answer comes first there
# Readings whose actions call open_request.answer first (the note) and then answer the question.
ANSWERS_BESIDE = frozenset({"faq", "nlu_fallback", "out_of_scope", "product_question"})

_TEAM = (
    r"(?:dem|der|den|das|ihrem|ihrer|ihr|eurem|eurer|euer|ans?|zum|zur)?\s*(?:team|kolleg\w*|"
    r"mitarbeiter\w*|sachbearbeiter\w*|buchhaltung|kundenservice)"
)
# Passing something on, or having it noted: "sagen Sie dem Team", "richten Sie aus", "notieren Sie".
_RELAY = re.compile(
    rf"(?i)\b(?:sagen|sag|schreiben|schreib|geben|gib|leiten|leite)\s+(?:sie|du|ihr)?\s*"
    rf"(?:bitte\s+)?(?:\w+\s+)?{_TEAM}\b"
    r"|\brichte[nt]?\s+(?:sie\s+)?(?:bitte\s+)?(?:\w+\s+){0,4}?aus\b"
    r"|\b(?:notieren|vermerken|festhalten|dazuschreiben|ergänzen|ergaenzen|weitergeben|weiterleiten)"
    r"\s+sie\b"
    r"|\bbitte\s+(?:\w+\s+){0,3}?(?:notieren|vermerken|festhalten|dazuschreiben|weitergeben|"
    r"notier|vermerk)\b"
    r"|\b(?:notier|vermerk|schreib)\s+(?:bitte\s+)?(?:dir|das|mal|auf|dazu)\b"
    r"|\bzur\s+kenntnis\b.{0,30}\bteam\b"
    # "Können Sie der Buchhaltung Bescheid geben, dass ich warte?" (held-out run 8, e13)
    rf"|{_TEAM}\b[^.?!]{{0,30}}\bbescheid\s+(?:geben|sagen|gibt|sagt)\b"
    rf"|\b(?:informieren|benachrichtigen|informiert)\s+(?:sie|ihr|du)\s+(?:bitte\s+)?(?:\w+\s+)?{_TEAM}\b"
    r"|\b(?:tell|inform|let)\s+(?:the|your)\s+(?:team|colleagues?|agent|staff|person)\b"
    r"|\b(?:tell|let)\s+them\s+(?:know\s+)?(?:that\s+)?\b"
    r"|\bpass\s+(?:it|this|that)\s+on\b|\bpass\s+on\s+(?:that|this)\b"
    r"|\b(?:pass|forward|give|mention)\b(?!\s+(?:me|us)\b)[^.?!]{0,20}\bto\s+(?:the|your)\s+(?:team|colleagues?|agent|staff)\b"
    r"|\b(?:please\s+)?(?:make\s+a\s+)?note\s+(?:it|this|that|down)\b|\bplease\s+note\b"
    r"|\b(?:add|put)\s+(?:it|this|that)\s+(?:to|on|in)\s+(?:my|the)\s+(?:request|case|ticket|file)\b"
)
# A call back asked for: "rufen Sie mich an", "ich will angerufen werden", "make sure someone calls me".
_CALL = re.compile(
    r"(?i)\b(?:rufen|ruft)\s+(?:sie|ihr|mich)\s+(?:\w+\s+){0,4}?(?:an|zurück|zurueck)\b"
    r"|\bruf\s+mich\s+(?:\w+\s+){0,3}?(?:an|zurück|zurueck)\b"
    r"|\b(?:angerufen|zurückgerufen|zurueckgerufen)\s+werden\b"
    r"|\b(?:rückruf|rueckruf)\b"
    r"|\b(?:nur\s+)?(?:bis|ab|nach|vor)\s+\d{1,2}(?::\d{2})?\s*uhr\s+(?:\w+\s+){0,2}?anrufen\b"
    r"|\b(?:someone|somebody|anyone|person|colleague|people|team|you|they|agent|staff)\s+"
    r"(?:\w+\s+)?(?:calls?|rings?|phones?)\s+me\b"
    r"|\bcall\s+me\s+(?:back|please|asap|later|before|after|only|on|at)\b|\bplease\s+call\s+me\b"
    r"|\b(?:a\s+)?call\s*-?back\b|\bphone\s+call\b"
    r"|\b(?:möchte|moechte|hätte|haette|will|wünsche|wuensche)\b[^.?!]{0,30}\banruf\b"
)
# A written confirmation asked for: "bestätigen Sie mir das schriftlich", "confirm it by post" - the
# way alone is none ("kann ich per Post zurückschicken?").
_WRITTEN = re.compile(
    r"(?i)\b(?:schriftlich\w*|per\s+(?:post|brief)|in\s+writing|by\s+(?:post|letter|mail))\b"
)
_CONFIRMATION = re.compile(
    r"(?i)\b(?:bestätig\w*|bestaetig\w*|bescheinig\w*|nachweis\w*|confirm\w*|proof)\b"
)
# When the customer can be reached: "ich bin ab 17 Uhr nicht mehr erreichbar", "only available before 5".
_AVAILABLE = re.compile(
    r"(?i)\b(?:erreichbar|reachable|available)\b.{0,40}?\b(?:bis|ab|nach|vor|until|after|before)\s+\d"
    r"|\b(?:bis|ab|nach|vor|until|after|before)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:uhr|pm|am)?\b"
    r"[^.!?]{0,40}?\b(?:erreichbar|reachable|available)\b"
)
_MYSELF = re.compile(r"(?i)\b(?:ich|mich|mir|i|i'm|me)\b")
# A question about the request itself, which open_request.py answers (not a note).
_QUESTION_ONLY = re.compile(
    r"(?i)^\s*(?:wann|wie lange|warum|wieso|when|how long|why|did|has|have)\b[^.!]*\?\s*$"
)

CALL = "call"
NOTE = "note"
# A task asked before the wish ("Bitte stornieren Sie 100236 und sagen Sie dem Team, …"): the task
# starts with its usual confirmation (never done without a yes) and its form notes the wish.
TASK_WORDS = {"cancel_order": re.compile(r"(?i)\bstornier\w*|\bstorno\b|\bcancel\w*")}
_NEGATED = re.compile(r"(?i)\b(?:nicht|nichts|kein\w*|not|never|no)\b|n't\b")


def wish_for_team(text: str) -> str | None:
    """ "call" for a call back asked for, "note" for anything else to pass on or note, None when the
    message asks neither (then it is read as it was)."""
    text = text or ""
    if _QUESTION_ONLY.search(text):
        return None
    if _CALL.search(text):
        return CALL
    written = bool(_WRITTEN.search(text) and _CONFIRMATION.search(text))
    available = bool(_AVAILABLE.search(text) and _MYSELF.search(text))  # not "ist der Laden …"
    if _RELAY.search(text) or written or available:
        return NOTE
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "Ernsthaft?", "Hallo??", "Echt jetzt?" press, they ask nothing of their own; "Und mit PayPal?" does
MIN_QUESTION_WORDS = 3


def other_question(text: str) -> bool:
    """A question in the message beside the wish ("Wo steht Ihre Datenschutzerklärung? Und bitte
    bestätigen Sie mir die Löschung schriftlich."): answered as the classifier read it, the wish
    noted first - not dropped for the note. "Wann ungefähr?" is none: the note names the time. So
    is it beside "wie lange dauert das?": the time is said first (actions/open_request.py)."""
    return any(
        sentence.rstrip().endswith("?")
        and len(sentence.split()) >= MIN_QUESTION_WORDS
        and wish_for_team(sentence) is None
        and not asks_when_answered(sentence)
        for sentence in _SENTENCE_END.split(text or "")
    )


def task_before_wish(text: str, intent: str) -> bool:
    """The message asks for the task it is read as (`intent`, TASK_WORDS) before it passes something
    on ("please cancel order 100236 and tell the team …") - not "sagen Sie dem Team, ich will nicht
    stornieren", nor a task named only inside the wish."""
    words = TASK_WORDS.get(intent)
    relay = _RELAY.search(text or "")
    if words is None or relay is None:
        return False
    before = text[: relay.start()]
    return bool(words.search(before)) and not _NEGATED.search(before)


def read_team_note(
    parse: Dict[str, Any], ticket: Any, active_loop: str | None, question: str | None = None
) -> Dict[str, Any]:
    """With a request open and no form running, a wish for the team is read as a note for it (the
    classifier's topic reading stays in `context.read_as`). After a yes to the pending change
    `question` ("Ja, anlegen. Und sagen Sie dem Team, es ist eilig") the yes stays: the change is
    made, then the wish noted (actions/answers.py; held-out run 8, e05)."""
    text = str(parse.get("text") or "")
    if not ticket or active_loop or wish_for_team(text) is None:
        return parse
    intent = str((parse.get("intent") or {}).get("name") or "")
    if intent == "affirm" and plain_yes_first(text, question):
        return wish_after_yes(parse, ticket, question)
    # "bitte weitergeben, tschüss" leaves; "geben Sie mich weiter" asks for a person
    if intent in ("goodbye", "request_human") and wish_for_team(str(parse.get("text"))) != CALL:
        return parse
    if other_question(text) and intent in ANSWERS_BESIDE:
        return parse  # the answer notes the wish first, then answers the question as read
    if task_before_wish(text, intent):  # the task's form notes the wish (open_request.py)
        return {**parse, "context": {**(parse.get("context") or {}), "team_note": True}}
    return read_as(parse, NOTE_INTENT, team_note=True, read_as=intent)


# Readings that answer or leave, never pass a matter on: a yes to a summary, a goodbye, a person.
_NOT_PASSED = frozenset({"goodbye", "request_human", "affirm", "deny", "correct", "stop"})
_NAMES_TEAM = re.compile(rf"(?i)\b{_TEAM}\b")
# Slots that put a matter on the table: a verified order, a case just created or named.
_ON_TABLE = ("verified_order", "case_ref")


def _latest_slots(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    found: Dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            found[str(event.get("name"))] = event.get("value")
        elif event.get("event") == "active_loop":
            found["active_loop"] = event.get("name")
    return found


def passes_on(events: List[Dict[str, Any]], text: str, intent: str | None) -> bool:
    """With no request at the team yet but a matter on the table (a verified order, a case) and no
    form running, "Können Sie der Buchhaltung Bescheid geben, dass ich warte?" asks to pass it on:
    the matter goes to the team with the wish as its note (bot/dialogue/escalation.py), never the
    refund line again (held-out run 8, e13). A task asked before the wish keeps its form."""
    slots = _latest_slots(events)
    if slots.get(TICKET) or slots.get("active_loop") or wish_for_team(text) != NOTE:
        return False
    if intent in _NOT_PASSED or task_before_wish(text, intent or ""):
        return False
    if not _NAMES_TEAM.search(text):  # "Ja, bitte so weitergeben" at a summary is its yes
        return False
    return any(slots.get(name) for name in _ON_TABLE)


def wish_after_yes(parse: Dict[str, Any], ticket: Any, question: str | None) -> Dict[str, Any]:
    """A yes to the pending change `question` with a wish for the open request after it: the yes
    stays, marked so the wish is noted once the change is made. Also for a yes typed like a button
    ("Ja, genau so anlegen. Und sagen Sie Ihrem Team …"), read on the customer's own words."""
    text = str(parse.get("text") or "")
    intent = (parse.get("intent") or {}).get("name")
    if not ticket or intent != "affirm" or wish_for_team(text) is None:
        return parse
    if not plain_yes_first(text, question):
        return parse
    return {**parse, "context": {**(parse.get("context") or {}), "team_note": True}}


def request_open(events: List[Dict[str, Any]]) -> bool:
    """The conversation's request lies with the team (the hub set `handoff_ticket`, before the
    hand-back to the bot)."""
    value = None
    for event in events:
        if event.get("event") == "slot" and event.get("name") == TICKET:
            value = event.get("value")
    return bool(value)
