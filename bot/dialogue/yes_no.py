"""A yes or a no in free form, read against the bot's pending yes/no question (issue 22.2, 22.4).

The classifier reads "Ja, bitte stornieren Sie die Bestellung" as cancel_order (the words), "jep" as
nothing it knows, "passt so" as thanks. Right after "Soll ich Ihre Bestellung … stornieren?" they
all answer the question. bot.dialogue.pending names the question; this module reads the answer:

- after a confirmation (cancel, address change, return or complaint summary, the "stattdessen"
  offers) a message that opens with a yes - also with words after it, in dialect or slang - is a
  yes, unless it turns ("ja, aber …", "ja, nur nicht …"); one that opens with a no is a no ("doch
  nicht" a stop), unless it contrasts ("nein, sondern …", which the clause reading serves);
- a message there that changes a choice ("lieber in L statt M", "doch nur umtauschen") is a
  correction: the summary takes it and is asked again (actions/cases.py);
- after the softer questions ("Kann ich sonst noch helfen?", "Hat das geholfen?") only a message
  that is nothing but a yes or no is read so: "ja, wo ist meine Bestellung?" stays the request.

The offer of a person is read by bot.dialogue.human_request, and choices among open cases
(change, withdraw, keep) by actions/cases.py, so neither is touched here.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue import address_fix, plain_yes
from bot.dialogue import pending as p
from bot.dialogue.case_kind import CANCEL, narrows_cancellation
from bot.dialogue.form_answer import switches_case
from bot.dialogue.human_request import refuses_person
from bot.dialogue.return_choice import names_choice, narrows_items, stated_reason, states_choice
from bot.dialogue.word_patterns import OK_THANKS, TAKEN_BACK, THANKS_ANYWAY

AFFIRM = "affirm"
DENY = "deny"
STOP = "stop"
CORRECT = "correct"
CONFIDENCE = 0.95

# Questions that confirm a change in the shop or an offer to do one: a yes with words after it
# still answers them.
CONFIRMATIONS = frozenset(
    {p.CONFIRM_CANCEL, p.CONFIRM_ADDRESS, p.CONFIRM_CASE, p.RETURN_OFFER, p.CANCEL_OFFER}
)
# Questions where only a bare yes or no is read as one (a request after "ja" stays a request).
SOFT = frozenset(
    {p.ANYTHING_ELSE, p.DID_IT_HELP, p.KNOWLEDGE_CHECK, p.RATING_OFFER, p.CASE_CREATED}
)
# Where a stated choice revises what the question summarised.
REVISABLE = frozenset({p.CONFIRM_CASE})

_YES = (
    r"(?:ja+|jo+|joa|jep|jap|jup|jawohl|jawoll|jou|yes|yep|yup|ok(?:ay|ey|i)?|genau|ganz\s+genau|"
    r"gern|gerne|gärn|gaern|klar|na\s+klar|na\s+gut|sicher|freilich|passt(?:\s+so)?|einverstanden|"
    r"in\s+ordnung|richtig|korrekt|stimmt|unbedingt|auf\s+jeden\s+fall|sehr\s+gern|super|prima|"
    r"perfekt|bitte|bitteschön|mach(?:en\s+sie|t)?\s+(?:das|es|mal|so)|so\s+machen|"
    r"(?:das\s+)?(?:klingt|hört\s+sich)\s+gut(?:\s+an)?|👍|✅|👌)"
)
_NO = (
    r"(?:nein|nee+|ne|nö|noe|nope|no|na|naa|nei|noi|nix\s+da|lieber\s+nicht|doch\s+nicht|"
    r"bitte\s+nicht|auf\s+keinen\s+fall|bloß\s+nicht|bloss\s+nicht|besser\s+nicht|"
    r"lass\s+(?:mal|es|das|nur)|lieber\s+doch\s+nicht|👎)"
)
_OPEN_YES = re.compile(rf"(?i)^\W*{_YES}(?![\w])")
# Openers that say yes to a confirmation only ("Alles klar, danke" to "Sonst noch etwas?" closes).
_OPEN_CONFIRM_YES = re.compile(
    r"(?i)^\W*(?:alles\s+klar|natürlich|selbstverständlich|alright|all\s+right|sure|"
    r"sounds\s+good)(?![\w])"
)
_OPEN_NO = re.compile(rf"(?i)^\W*{_NO}(?![\w])")
_STOP = re.compile(
    r"(?i)\bdoch\s+(?:lieber\s+)?nicht\b|\bvergiss\s+(?:es|das)\b|\bvergessen\s+sie\s+(?:es|das)\b|"
    r"\babbrechen\b|\blass\s+(?:es|das)\s+(?:lieber\s+)?(?:sein|bleiben)\b"
)
# A yes that turns or a no that contrasts is no plain answer: the clause reading serves it.
_TURN = re.compile(
    r"(?i)\b(?:aber|sondern|statt|stattdessen|lieber|jedoch|allerdings|nur\s+nicht)\b"
)
_THANKS_ANYWAY = re.compile(rf"(?i){THANKS_ANYWAY}|{OK_THANKS}")
_NEGATION = re.compile(r"(?i)\b(?:nicht|kein\w*|nö|nee|nein)\b")
# What may follow a bare yes or no without making it more: thanks, "bitte", greetings, emoji.
_FILLER = re.compile(
    r"(?i)^(?:[\s,.!;:)(-]|danke(?:\s+schön|\s+sehr|\s+dir|\s+ihnen)?|dankeschön|bitte|gern|gerne|"
    r"das\s+wär'?s|das\s+war'?s|alles\s+gut|mal|so|doch|eh|schon|super|prima|[^\w\s])*$"
)
# Readings the context never overrides: they already say what the answer means.
KEEP = frozenset({"correct", "stop", "request_human", "frustration"})
_OWN_WAY = frozenset({"request_human", "frustration"})  # a person or anger: never re-read


def _opening(text: str) -> str | None:
    """AFFIRM or DENY for the yes or no the text opens with; the longer opener wins ("na klar" is
    a yes, "bitte nicht" a no)."""
    yes, no = _OPEN_YES.search(text), _OPEN_NO.search(text)
    if yes and (not no or yes.end() > no.end()):
        return AFFIRM
    return DENY if no else None


def opens_with_yes(text: str) -> bool:
    return _opening(text) == AFFIRM


def opens_with_no(text: str) -> bool:
    return _opening(text) == DENY


def _rest(text: str, opener: re.Pattern[str]) -> str:
    found = opener.search(text)
    return text[found.end() :] if found else text


# A sentence end inside the rest of a yes: "Ja, bitte so anlegen. Das Geld geht dann aber …, oder?"
_SENTENCE_END = re.compile(r"[.!]+\s+|\n+")
# A follow-up question that changes nothing: no negation, no "nur"/"statt"/"lieber"/"sondern", and no
# "aber" opening it ("Ja. Aber nur die Lampe?" restricts); a mid-sentence "dann aber" is a particle.
_CHANGES = re.compile(
    r"(?i)^\W*(?:aber|jedoch|allerdings)\b|\b(?:nur|sondern|statt|stattdessen|lieber)\b"
)


def follow_up_question(rest: str) -> bool:
    """The rest of a yes is a plain yes sentence, then a question of its own that changes nothing
    ("Ja, bitte so anlegen. Das Geld geht dann aber auf mein PayPal, oder?"): the yes stands, the
    question is answered after the change is done (persona run, problem 4)."""
    parts = _SENTENCE_END.split(rest.strip(), maxsplit=1)
    if len(parts) < 2 or not parts[1].strip().endswith("?"):
        return False
    first, question = parts
    if _TURN.search(first) or _NEGATION.search(first):
        return False
    return not (_CHANGES.search(question) or _NEGATION.search(question) or states_choice(question))


def trailing_question(text: str) -> str | None:
    """The question after a yes that confirms ("Ja, bitte so anlegen. Wohin geht das Geld?" ->
    "Wohin geht das Geld?"), answered once the change is done; None for anything else."""
    text = (text or "").strip()
    if not opens_with_yes(text):
        return None
    rest = _rest(text, _OPEN_YES)
    if not follow_up_question(rest):
        return None
    return _SENTENCE_END.split(rest.strip(), maxsplit=1)[1].strip()


def answer(text: str, question: str | None, intent: str | None, address: str = "") -> str | None:
    """The intent a message has as the answer to `question` (a bot.dialogue.pending kind), or None
    to keep the classifier's reading. `address` is the address an address confirmation shows: "ned
    Minga, München" names a part of it to replace, no plain no."""
    text = (text or "").strip()
    if not text or question is None:
        return None
    if (
        intent == CORRECT
        and question in CONFIRMED
        and asks_only(text)
        and not _changes(text, question, address)
    ):
        return ASK  # "krieg ich dann mein Geld zurück?" read as a correction: it only asks
    if question in REVISABLE and intent == "stop" and ends_with_choice(text):
        return CORRECT  # "nee warte, … dann doch geld zurück": a new choice, not a withdrawal
    if question == p.CONFIRM_CANCEL and intent not in _OWN_WAY and narrows_cancellation(text):
        # "eigentlich nur die Trinkflasche, das Zelt behalte ich", also after "ja": only some items,
        # never a yes to cancelling all of them nor a complaint (held-out persona run 4, d16)
        return CANCEL
    if (
        intent == STOP
        and question == p.CONFIRM_ADDRESS
        and address_fix.corrected(address, text) not in (None, address)
        and not withdraws(text, question)
    ):
        return CORRECT  # "Halt, ned Minga – München!": a new value for the address, no stop
    if question == p.HUMAN_OFFER and refuses_person(text):
        return DENY  # "Na, ka Kundenservice" to "Soll ich Sie verbinden?", however it was read (run 8, e06)
    if intent in KEEP:
        return None
    if question == p.HUMAN_OFFER and _THANKS_ANYWAY.search(text):
        return DENY  # "ok, danke trotzdem", "Okay, danke." to "Soll ich Sie verbinden?": no handoff
    if question in CONFIRMATIONS and opens_with_yes(text) and not plain_yes.conditional(text):
        if follow_up_question(_rest(text, _OPEN_YES)):
            return AFFIRM
    if question == p.CONFIRM_ADDRESS and address_fix.corrects(text, address):
        # "nicht Kehrwieder 5, sondern 7", "Nein! SIEBEN, nicht fünf", "ned Minga, München",
        # "bitte mit c/o …": the confirmation is asked again with the corrected address
        # (actions/answers.py), never read as a no that drops the change (held-out run 6, d11)
        return CORRECT
    if question in REVISABLE and switches_case(text, intent):
        return CORRECT  # "keine Reklamation, eine Rücksendung": the summary goes to that request
    if question in REVISABLE and adds_items(text):
        return CORRECT  # "Nein, beides!", "die Lampe schicke ich auch mit zurück": items added
    if asked_at(question, intent) and asks_only(text):
        return ASK  # "kostet das extra?": answered from the case or order, then asked again
    if question in REVISABLE and (states_choice(text) or narrows_items(text)):
        # "lieber in L", "nein, lieber als Umtausch", "Nein, falsch: ich will mein Geld zurück",
        # "ja, aber nur die Lampe", "No, ONLY the headlamp": a revision; "nein, kein Umtausch" a no
        rest = _rest(text, _OPEN_NO)
        if not opens_with_no(text) or _TURN.search(rest) or names_choice(rest):
            return CORRECT
        if narrows_items(rest):
            return CORRECT
    held = reserved(text, question, address)
    if held == CORRECT or (held == ASK and asked_at(question, intent)):
        return held  # a question that is another request ("auch stornieren?") stays that request
    if question in CONFIRMED and withdraws(text, question):
        return STOP  # "Okay vergiss es. Lass die Adresse so wie sie war": nothing is changed
    if (
        question in REVISABLE
        and stated_reason(text)
        and not (opens_with_yes(text) or opens_with_no(text))
    ):
        return CORRECT  # "Der Grund ist eigentlich: zu warm" at the summary: the reason changes
    if question in CONFIRMATIONS:
        opener = _OPEN_YES if opens_with_yes(text) else _OPEN_CONFIRM_YES
        if opener.search(text):
            rest = _rest(text, opener)
            return None if _TURN.search(rest) or _NEGATION.search(rest) else AFFIRM
        if opens_with_no(text):
            if _TURN.search(_rest(text, _OPEN_NO)):
                return None
            return STOP if _STOP.search(text) else DENY
        return AFFIRM if closing_yes(text) else None
    if question in SOFT:
        if opens_with_yes(text) and _FILLER.search(_rest(text, _OPEN_YES)):
            return AFFIRM
        if opens_with_no(text) and _FILLER.search(_rest(text, _OPEN_NO)):
            return DENY
    return None


def reserved(text: str, question: str, address: str = "") -> str | None:
    """What a message at a confirmation is when something in it keeps it from being a yes
    (bot/dialogue/plain_yes.py): a correction is one (CORRECT: the fix is shown and asked again), a
    condition or a question before the yes is asked (ASK: answered, then asked again) - never a yes
    that stores what the customer has just called wrong (held-out run 8, e17/e23)."""
    if question not in CONFIRMATIONS or withdraws(text, question):
        return None
    held = plain_yes.reservation(text, address if question == p.CONFIRM_ADDRESS else "")
    if held == plain_yes.CORRECTION:
        return CORRECT
    if held is None or opens_with_no(text):
        return None  # "Nein, nichts Neues anlegen. Finden Sie die alte?": a refusal, read as one
    return ASK


ASK = "faq"  # a question at a confirmation: action_faq answers it and asks the confirmation again
# The confirmed request at each confirmation. A question there is read as a question whatever the
# classifier said ("kriege ich dann mein Geld zurück?" reads like a return, "bekomme ich eine
# Bestätigung per Mail?" like account help) - unless it is another request of its own ("Können Sie
# die Bestellung stornieren?" at an address change), a human or a frustration (KEEP).
CONFIRMED = {
    p.CONFIRM_CASE: frozenset({"return_item", "complaint"}),
    p.CONFIRM_ADDRESS: frozenset({"change_address"}),
    p.CONFIRM_CANCEL: frozenset({"cancel_order"}),
    p.RETURN_OFFER: frozenset({"return_item", "cancel_order"}),  # "stornieren geht nicht mehr"
    p.CANCEL_OFFER: frozenset({"cancel_order", "return_item"}),  # "noch keine Rücksendung"
}
_OTHER_REQUESTS = p.TASK_INTENTS - {"order_status", "payment_issue", "invoice_request"}


def ends_with_choice(text: str) -> bool:
    """Whether a message that sounds like a stop ends by choosing how the return goes ("wenn's
    keinen größeren gibt, bringt mir das nix. dann doch geld zurück", persona run 4, d12): the case
    is revised to that choice; a message that takes it back ("doch nicht", "vergiss es") does not."""
    parts = [s.strip() for s in _SENTENCE.split((text or "").strip()) if s.strip()]
    if not parts or _STOP.search(text) or withdraws(text, p.CONFIRM_CASE):
        return False
    return states_choice(parts[-1])


def asked_at(question: str, intent: str | None) -> bool:
    """Whether a question with this reading may be one asked at the confirmation `question`."""
    if question not in CONFIRMED or intent in KEEP:
        return False
    return intent not in _OTHER_REQUESTS or intent in CONFIRMED[question]


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
# A question that wishes something ("Kann ich lieber das Geld zurück?") is a revision, not a question.
_WISH = re.compile(
    r"(?i)\b(?:lieber|statt|stattdessen|anstatt|sondern|doch|nur|nicht|kein\w*|nein|instead|only|not)\b"
)
MAX_ASIDE_WORDS = 4  # "Moment.", "ok whatever." may stand before the question


def asks_only(text: str) -> bool:
    """The message only asks ("wart mal, kriege ich dann mein Geld zurück? und muss ich die Lampe
    selber einschicken?"): it ends with a question, says nothing else of substance, and wishes
    nothing - it is answered, and the pending confirmation asked again (persona run 2, problem 4)."""
    parts = [s.strip() for s in _SENTENCE.split((text or "").strip()) if s.strip()]
    if not parts or not parts[-1].endswith("?") or _WISH.search(text):
        return False
    return all(s.endswith("?") or len(s.split()) <= MAX_ASIDE_WORDS for s in parts)


# Items added to a case summary: "beides", "die Lampe auch mit zurück", "zusätzlich den Rucksack".
_ADDS = re.compile(
    r"(?i)\b(?:beides|beide[ns]?|both|zus(?:ä|ae)tzlich|ebenfalls|au(?:ß|ss)erdem|as\s+well)\b|"
    r"\bauch\b[^.!?]{0,40}\bmit\b|\bmit\s+(?:zur(?:ü|ue)ck|retour|dazu|rein)\b|"
    r"\b(?:and|also|plus)\s+(?:the|my)\s+\w+\s+(?:too|as\s+well)\b"
)


def _changes(text: str, question: str, address: str = "") -> bool:
    """Whether a message at a confirmation names a change of what it confirms (a new address part,
    other items, another request)."""
    if question == p.CONFIRM_ADDRESS:
        return address_fix.corrects(text, address)
    return question in REVISABLE and (
        narrows_items(text) or adds_items(text) or switches_case(text, None)
    )


def adds_items(text: str) -> bool:
    """Whether the text adds items to a case ("Nein, beides! Rucksack UND Stirnlampe")."""
    return bool(_ADDS.search(text or ""))


# A change taken back: "lass die Adresse so, wie sie war", "vergiss es", "nichts ändern", "doch nicht".
_WITHDRAW = re.compile(
    rf"(?i){TAKEN_BACK}|\b(?:nichts|nicht)\s+(?:mehr\s+)?(?:ändern|aendern|stornieren)\b|"
    r"\b(?:leave|keep)\s+it\s+as\s+it\s+(?:was|is)\b"
)
# Only where the change is the question: "so lassen" at a case summary may mean "create it like that".
_AS_IT_WAS = re.compile(
    r"(?i)\b(?:so\s*,?\s+wie\s+(?:sie|es|er)\s+(?:war|ist)|wie\s+(?:bisher|vorher)|"
    r"(?:so|beim\s+alten)\s+(?:lassen|bleiben)|alte\s+(?:adresse|anschrift))\b|"
    r"\blass(?:en\s+sie)?\s+(?:die|das|es|alles)\s+(?:\w+\s+){0,2}so\b"
)


def withdraws(text: str, question: str) -> bool:
    """Whether the text takes the pending change back ("Okay vergiss es. Lass die Adresse einfach
    so wie sie war") - even when it opens with "okay"."""
    if re.search(r"(?i)\b(?:sondern|stattdessen|instead)\b", text or ""):
        return False  # "nicht ändern, sondern stornieren": the other request is read as such
    if _WITHDRAW.search(text or ""):
        return True
    return question != p.CONFIRM_CASE and bool(_AS_IT_WAS.search(text or ""))


def read_form_withdrawal(parse: Dict[str, Any], active_loop: str | None) -> Dict[str, Any]:
    """ "Okay vergiss es. Lass die Adresse so wie sie war" while the address form asks for the address
    is a stop (the form ends, nothing is changed), not a correction that asks for the address again
    (held-out persona run 2, d10)."""
    text = str(parse.get("text") or "")
    intent = (parse.get("intent") or {}).get("name")
    if active_loop != "address_form" or intent in ("stop", "request_human"):
        return parse
    if address_fix.ADDRESS.search(text) or not withdraws(text, p.CONFIRM_ADDRESS):
        return parse
    return reread(parse, {"name": STOP, "confidence": CONFIDENCE}, {"read_as": intent})


# "Danke für die Info, dann bitte so anlegen": the clause after ", dann" is read like a sentence.
_THEN = re.compile(r"(?i),\s+(?:dann|also|then|so)\s+")


def closing_yes(text: str) -> bool:
    """A longer message whose last sentence is a plain yes ("That doesn't answer it, but fine. Yes,
    create the return.", "Danke für die Info, dann bitte so anlegen."): the yes confirms."""
    parts = [s.strip() for s in _SENTENCE.split(_THEN.sub(". ", (text or "").strip())) if s.strip()]
    if len(parts) < 2 or not opens_with_yes(parts[-1]):
        return False
    rest = _rest(parts[-1], _OPEN_YES)  # only the plain openers: "…. Alles klar." may close a chat
    return not (_TURN.search(rest) or _NEGATION.search(rest) or rest.strip().endswith("?"))


# A question of its own after a bare yes or no: at least this many words in a sentence with "?".
QUESTION_WORDS = 4
# Readings that are only an answer or politeness: a question after them is read on its own.
_ONLY_ANSWER = frozenset({AFFIRM, DENY, "thank", "greet", "goodbye"})


def question_after(text: str) -> str | None:
    """The question after an opening yes or no ("Nein danke, schon gut. Zwei andere Fragen: Woher
    kommen Ihre Daunen?"), or None when the message is only the answer."""
    text = (text or "").strip()
    opener = _OPEN_NO if opens_with_no(text) else _OPEN_YES if opens_with_yes(text) else None
    if opener is None:
        return None
    asked = [
        s.strip()
        for s in re.findall(r"[^.!?\n]+\?", _rest(text, opener))
        if len(s.split()) >= QUESTION_WORDS
    ]
    return " ".join(asked) or None


def read_question_after(parse: Dict[str, Any], question: str | None) -> Dict[str, Any]:
    """A yes or no that only politely opens a new question ("Nein danke. Woher bezieht ihr die
    Daunen?" after "Hat Ihnen das geholfen?") is that question: the best other reading of the
    ranking, else a fallback the help pages answer (persona run, problem 9). A confirmation's yes or
    no stays the answer."""
    intent = (parse.get("intent") or {}).get("name")
    if intent not in (AFFIRM, DENY) or question in CONFIRMATIONS or question in REVISABLE:
        return parse
    if question_after(str(parse.get("text") or "")) is None:
        return parse
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") not in _ONLY_ANSWER]
    best = dict(ranking[0]) if ranking else {"name": "nlu_fallback", "confidence": 0.0}
    out = dict(parse)
    out["intent"] = best
    out["intent_ranking"] = [best, *[r for r in ranking[1:]]]
    out["context"] = {**(parse.get("context") or {}), "read_as": intent}
    return out


def shown_address(events: List[Dict[str, Any]]) -> str:
    """The new address last set for a confirmation (`new_address`), "" when none is pending."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == "new_address":
            return str(event.get("value") or "")
    return ""


def changed_address(events: List[Dict[str, Any]]) -> str:
    """The address the bot's last turn changed the order to ("Erledigt: … geht jetzt an …"), ""
    when its last turn changed none."""
    changed = False
    for event in reversed(events):
        if event.get("event") == "user" and not changed:
            return ""
        if event.get("event") == "bot":
            changed = changed or (event.get("metadata") or {}).get("utter_action") == CHANGED
        if changed and event.get("event") == "slot" and event.get("name") == "new_address":
            if event.get("value"):
                return str(event["value"])
    return ""


def changed_before(events: List[Dict[str, Any]]) -> str:
    """`changed_address` as an action sees it: its events end with the message being answered."""
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    return changed_address(events[: users[-1]]) if users else ""


CHANGED = "utter_address_changed"
# Words that name the address: "die Postleitzahl ist falsch" is about it, "die Rechnung ist falsch" not.
_ADDRESS_WORDS = re.compile(
    r"(?i)adress|anschrift|hausnummer|hausnr|postleitzahl|\bplz\b|stra(?:ß|ss)e|\bort\b|"
    r"address|postcode|post\s+code|\bzip\b|house\s+number|street|town|city"
)


def reopens(text: str, changed: str) -> bool:
    """Whether a message right after the change of the address to `changed` fixes it ("the postcode
    is 10965, not 10961", "Nein!! Das ist falsch"): the change is shown again with the fix and asked
    again, never a goodbye (held-out run 8, e17/e27)."""
    if not changed:
        return False
    fixed = address_fix.corrected(changed, text)
    if fixed not in (None, changed) or plain_yes.corrects(text):
        return True
    wrong = address_fix.WRONG.search(text or "")
    return bool(wrong) and (opens_with_no(text) or bool(_ADDRESS_WORDS.search(text)))


def reread(parse: Dict[str, Any], read: Dict[str, Any], context: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of the parse with another intent first in its ranking, and why in its context."""
    out = dict(parse)
    out["intent"] = dict(read)
    others = [r for r in parse.get("intent_ranking") or [] if r.get("name") != read.get("name")]
    out["intent_ranking"] = [dict(read), *others]
    out["context"] = {**(parse.get("context") or {}), **context}
    return out


def read_answer(parse: Dict[str, Any], events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The parse of the customer's new message (not yet in `events`, the tracker's events as dicts)
    read as the answer to the bot's pending question: a new dict when the reading changes."""
    question = p.pending([*events, {"event": "user"}])
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if intent != "request_human" and reopens(text, changed_address(events)):
        read = {"name": CORRECT, "confidence": CONFIDENCE}
        return reread(parse, read, {"question": question, "read_as": intent, "reopens": CHANGED})
    verdict = answer(text, question, intent, shown_address(events))
    if verdict is None or verdict == intent:
        return read_question_after(parse, question)
    confidence = CONFIDENCE
    if verdict == ASK:  # as sure as the classifier was of a FAQ question: no stock block forced
        confidence = next(
            (float(r.get("confidence") or 0.0) for r in parse.get("intent_ranking") or [] if r.get("name") == ASK),
            float((parse.get("intent") or {}).get("confidence") or 0.0),
        )  # fmt: skip
    read = {"name": verdict, "confidence": confidence}
    return reread(parse, read, {"question": question, "read_as": intent})
