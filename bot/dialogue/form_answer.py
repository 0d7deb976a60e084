"""Whether a message typed while a form waits for a free-text value (return reason, complaint text,
new address) is that value.

The slots are filled `from_text`, so whatever comes next used to be stored: a question ("muss ich
das Etikett ausdrucken?"), a protest ("hab ich doch schon gesagt: ...") or another request ("wo
ist eigentlich mein Paket?"). One check, used by every form's validation (actions/verification.py):

- a question or another request is no value: nothing is stored, the question is answered by the
  form's rules (FAQ, knowledge) and the form asks again;
- a protest that restates the value ("hab ich doch geschrieben: zu klein") stores what follows
  the protest; a protest without a value is no value;
- a short thank-you, greeting, yes or no ("Danke.", "ok") or a bare "bin so weit!" (bot/dialogue/
  ready.py) describes nothing: the form asks again;
- a value after a lead-in ("Dann legen Sie halt eine neue an: …", bot/dialogue/lead_in.py) is
  stored without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dialogue.case_kind import asks_case_received
from bot.dialogue.lead_in import without_lead_in
from bot.dialogue.questions import question_clauses
from bot.dialogue.ready import only_ready
from bot.dialogue.return_choice import said_return

QUESTION = "question"
PROTEST = "protest"
REQUEST = "request"
SOCIAL = "social"  # "danke", "ok", "ja": polite noise, no description of anything

# Intents that are a request of their own, not a description (a return reason "zu klein" may read
# as return_item or complaint, so those two are never taken as "another request").
OTHER_REQUESTS = frozenset(
    {
        "order_status",
        "cancel_order",
        "invoice_request",
        "payment_issue",
        "account_help",
        "faq",
        "human_handoff",
        "bot_challenge",
    }
)
REQUEST_CONFIDENCE = 0.8
SOCIAL_INTENTS = frozenset({"thank", "greet", "goodbye", "affirm", "deny"})
MAX_SOCIAL_WORDS = (
    4  # a longer message read as thanks may still describe ("danke, die Naht ist auf")
)
_QUESTION_WORD = (
    r"(?:wie|was|wann|wo|wohin|woher|warum|wieso|weshalb|welche[rsmn]?|wer|muss|müssen|"
    r"kann|können|koennen|darf|soll|gibt es|ist das|sind|werden|bekomme|kriege)"
)
_QUESTION = re.compile(rf"\?\s*$|^\s*{_QUESTION_WORD}\b.*\b(?:ich|sie|du|man|es|das)\b", re.I)
_PROTEST = re.compile(
    r"^\s*(?:(?:das\s+)?(?:hab|habe)\s+ich\s+(?:ihnen\s+|dir\s+|euch\s+)?(?:doch\s+)?(?:schon\s+|bereits\s+)?"
    r"(?:geschrieben|gesagt|erwähnt|erwaehnt|angegeben|erklärt|erklaert)|"
    r"wie\s+(?:schon\s+|bereits\s+)?(?:gesagt|geschrieben|erwähnt)|"
    r"steht\s+(?:doch\s+)?(?:schon\s+)?oben|lesen\s+sie\s+(?:doch\s+)?mal|"
    # "wie oft soll ich das noch sagen??": impatience, then (often) the value once more
    r"wie\s+oft\s+(?:soll|muss)\s+ich\s+(?:ihnen\s+|dir\s+|euch\s+)?(?:das|es)\s+(?:denn\s+)?noch\s+"
    r"(?:sagen|schreiben|erklären|erklaeren|wiederholen))\b[\s,.:;!?-]*",
    re.IGNORECASE,
)
MIN_VALUE_CHARS = 3


@dataclass(frozen=True)
class Reading:
    kind: str | None  # None: a plain value; else QUESTION, PROTEST or REQUEST
    value: str | None  # what to store (None: nothing)


def read_answer(text: str, intent: str | None, confidence: float) -> Reading:
    """The message as an answer to a free-text question of a form."""
    text = text.strip()
    protest = _PROTEST.match(text)
    if protest:
        rest = without_lead_in(text[protest.end() :].strip(" \"'„“”"))
        return Reading(PROTEST, rest if len(rest) >= MIN_VALUE_CHARS else None)
    if only_ready(text):  # "So, bin so weit!!": the value is still to come
        return Reading(SOCIAL, None)
    if _QUESTION.search(text) or asks_case_received(text):
        return Reading(QUESTION, None)  # "ich will wissen, ob meine Reklamation angekommen ist"
    if intent in OTHER_REQUESTS and confidence >= REQUEST_CONFIDENCE:
        return Reading(REQUEST, None)
    if (
        intent in SOCIAL_INTENTS
        and confidence >= REQUEST_CONFIDENCE
        and len(text.split()) <= MAX_SOCIAL_WORDS
    ):
        return Reading(SOCIAL, None)
    return Reading(None, without_lead_in(text))


# A message at a return or complaint form that says this is not the request ("Keine Reklamation!",
# "ich will doch nichts zurückschicken", "not a complaint"): it is no value for the form; the request
# it names instead is taken up (actions/verification.py), and a bare "not this" ends the form.
_DISOWNED = {
    "complaint": re.compile(
        r"(?i)\b(?:keine?[nr]?|nicht\s+(?:um\s+)?(?:eine?n?\s+)?)\s*(?:reklamation|beschwerde)\b|"
        r"\bnicht[s]?\s+(?:\w+\s+)?(?:reklamieren|beschweren)\b|\b(?:not\s+a|no)\s+complaint\b"
    ),
    "return_item": re.compile(
        r"(?i)\b(?:keine?[nr]?|nicht\s+(?:um\s+)?(?:eine?n?\s+)?)\s*(?:r(?:ü|ue)cksendung|retoure|"
        r"r(?:ü|ue)ckgabe)\b|\bnichts?\s+(?:\w+\s+){0,2}zur(?:ü|ue)ck(?:schicken|senden|geben)\b|"
        r"\b(?:not\s+a|no)\s+return\b"
    ),
}
# A denied defect at a complaint form ("Nothing is wrong, I just want to return it", "da ist nix
# kaputt", "mit dem Artikel stimmt alles"): the customer says it is no complaint (persona run 4,
# d19, d16), so the message is never stored as the defect. A defect named beside it ("nicht
# kaputt, aber die Naht ist offen") keeps the complaint (`_DEFECT` in what is left).
_NO_DEFECT = re.compile(
    r"(?i)\b(?:nothing(?:'s|\s+is)?\s+wrong|(?:is|it's|its)\s+not\s+(?:broken|damaged|defective)|"
    r"isn't\s+(?:broken|damaged|defective)|not\s+(?:broken|damaged|defective)|no\s+defect|"
    r"(?:nicht|nix|nichts|net|ned)\s+(?:\w+\s+){0,2}?(?:kaputt|defekt|besch(?:ä|ae)digt)|"
    r"kein(?:en)?\s+(?:defekt|mangel|schaden|fehler)|"
    r"(?:mit\s+(?:dem|der|den)\s+\w+\s+)?stimmt\s+(?:doch\s+)?alles|"
    r"(?:ist\s+)?alles\s+(?:in\s+ordnung|ok|okay|gut)\s+mit|"
    r"nichts\s+(?:ist\s+)?(?:kaputt|falsch|defekt)|"
    r"(?:mit\s+(?:dem|der|den)\s+\w+\s+)?(?:ist\s+)?nichts\s+(?:nicht\s+)?in\s+ordnung)\b"
)
_DEFECT = re.compile(
    r"(?i)\b(?:riss|gerissen|loch|l(?:ö|oe)cher|naht|fleck\w*|undicht|schimmel|zerbrochen|kratzer|"
    r"torn|hole|leak\w*|stain\w*|ripped|scratch\w*)\b"
)

# The request named in words once the disowned one is taken out.
_NAMED_REQUESTS = (
    (re.compile(r"(?i)\bstorn\w*|\bcancel\w*|\bbestellung\s+(?:zur(?:ü|ue)ckziehen|aufheben)"), "cancel_order"),
    (re.compile(r"(?i)\br(?:ü|ue)cksendung|\bretoure|\bzur(?:ü|ue)ck(?:schicken|senden|geben)|\breturn"), "return_item"),
    (re.compile(r"(?i)\breklamation|\breklamieren|\bdefekt|\bkaputt|\bcomplaint"), "complaint"),
    (re.compile(r"(?i)\b(?:liefer)?adresse\b|\banschrift|\baddress"), "change_address"),
)  # fmt: skip
CASE_TASKS = frozenset(_DISOWNED)


def switched_request(text: str, form_task: str, intent: str | None) -> str | None:
    """The request a message at a return or complaint form switches to: None when it does not
    disown the form's request, "" when it only does ("Nein, das ist keine Reklamation"), else the
    task it names ("Keine Reklamation! Stornierung von 100236" -> cancel_order). A denied defect
    ("Nothing is wrong. I just want to RETURN it") disowns a complaint the same way."""
    disowned = _DISOWNED.get(form_task)
    text = text or ""
    if disowned is not None and disowned.search(text):
        rest = disowned.sub(" ", text)
    elif form_task == "complaint" and _NO_DEFECT.search(text):
        rest = _NO_DEFECT.sub(" ", text)
        if _DEFECT.search(rest):
            return None  # "nicht kaputt, aber die Naht ist offen": still a defect
        if said_return(rest).get("return_reason"):
            return "return_item"  # "not broken, just too warm": a return with that reason
    else:
        return None
    for pattern, task in _NAMED_REQUESTS:
        if task != form_task and pattern.search(rest):
            return task
    if intent in OTHER_TASKS and intent != form_task:
        return str(intent)
    return ""


# Requests a switch may go to (the flows of actions/verification.py's switch).
OTHER_TASKS = frozenset(
    {"order_status", "cancel_order", "return_item", "complaint", "change_address", "invoice_request", "payment_issue"}
)  # fmt: skip


def switches_case(text: str, intent: str | None) -> bool:
    """Whether the text, at a return or complaint summary, says it is the other request and names
    it ("Nein, das ist doch keine Reklamation. Eine ganz normale Rücksendung, bitte")."""
    return any(switched_request(text, task, intent) for task in CASE_TASKS)


# A question beside a form's value (persona run 2, d07: "name@example.ch – und muss ich bei der
# Zustellung noch etwas nachzahlen?" got only the status). A message that fills the slot asked for
# goes to the form alone, whatever it is read as (Rasa's rules answer a question inside a form only
# when the form rejects the message), so its question is answered beside the value
# (actions/second_request.py answer_beside_form).
FREE_TEXT_SLOTS = frozenset({"return_reason", "complaint_details", "new_address"})
CHOICE_SLOTS = frozenset({"return_mode"})  # "Geld zurück, bitte. Geht das auch aus Portugal?"
_VALUE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:KD-?)?\d{6}\b", re.IGNORECASE)
# What the verified answer says itself: where the order is, when it comes, whether it is paid.
_OWN_ANSWER = re.compile(
    r"(?i)\bwo\s+(?:ist|bleibt|steckt)\b|\bwann\s+(?:kommt|kommen|ist|wird|werden)\b|\bstatus\b|"
    r"\bstand\b|\bschon\s+(?:unterwegs|verschickt|versandt|da|bezahlt|angekommen)\b|\bbezahlt\b|"
    r"\bwhere\s+is\b|\bwhen\s+(?:will|does)\b"
)


def asked_beside(
    text: str, requested_slot: str | None, intent: str | None, confidence: float
) -> str | None:
    """The question a message at a form asks beside (or instead of) the value the form waits for,
    as written; None when there is none, or when it asks what the form's own answer says (where
    the order is, whether it is paid)."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return None
    if requested_slot in FREE_TEXT_SLOTS and read_answer(text, intent, confidence).kind == QUESTION:
        asked = question_clauses(text)
        found = " ".join(asked) if asked else text
    elif _VALUE.search(text) or requested_slot in CHOICE_SLOTS:
        found = " ".join(question_clauses(_VALUE.sub(" ", text))).strip(" –-,.;:")
    else:
        return None
    if not found or _OWN_ANSWER.search(found):
        return None
    return found
