"""Short remarks that change course are neither a goodbye nor a new request (issue 22, held-out run 7
problems 6 and 7).

- "na gut. und wie pflege ich das Zelt nach dem Urlaub?": a message that goes on with a question of
  its own is never a goodbye. The classifier leaned on the okay (and words like "Urlaub") and the
  bot said "Gern geschehen – und tschüss!" (d13). The question is read by the best other reading.
- "Forget it. Thanks for the return anyway, bye.": a message that ends by leaving, asks nothing and
  wishes nothing is a goodbye, whatever request its words name. The return it thanks for was read
  as a new return and the open one offered for change in German (d17).
- "Dann lassen Sie es. Doch lieber Geld zurück" after the return's summary, when the bot has since
  asked something else (a person offered for a product question): the let-go answers that offer, the
  choice revises the return on the table, with its reason kept. It was read as a stop and the
  return was lost (d10). At the summary itself bot/dialogue/yes_no.py reads the choice.

Plain dicts in; no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue import pending as p
from bot.dialogue.return_choice import states_choice
from bot.dialogue.short_talk import leaves

GOODBYE = "goodbye"
FALLBACK = "nlu_fallback"
CONFIDENCE = 0.95
QUESTION_WORDS = 4  # "echt?" or "und jetzt?" asks nothing new
# Readings that only close or answer: a question after them is read by what it asks.
_CLOSING = frozenset({GOODBYE, "thank", "greet", "affirm", "deny"})
# Readings a goodbye never overrides: they say what the message is for, or they answer the bot's
# question, whose answer reads a goodbye in it itself ("Nein danke, tschüss" keeps the order).
_OWN_WAY = frozenset(
    {"request_human", "frustration", "stop", "rate", "correct", "bot_challenge"} | _CLOSING
)
# A wish or request beside the goodbye: "Bitte stornieren Sie 100236, tschüss" stays the request.
_WISH = re.compile(
    r"(?i)\b(?:ich\s+(?:will|möchte|moechte|hätte\s+gern|brauche)|bitte|please|i\s+(?:want|need)|"
    r"i'?d\s+like|i\s+would\s+like|can\s+you|could\s+you|k(?:ö|oe)nnen\s+sie|kannst\s+du)\b"
    r"|\b1\d{5}\b|@"
)
# A sentence that asks: "…?" with enough words, split off what stands before it.
_ASKED = re.compile(r"[^.!?\n]+\?")


def asked_question(text: str) -> str | None:
    """The question the message goes on with ("na gut. und wie pflege ich das Zelt?" -> "und wie
    pflege ich das Zelt?"), or None when it asks nothing of QUESTION_WORDS words or more."""
    asked = [s.strip() for s in _ASKED.findall(text or "") if len(s.split()) >= QUESTION_WORDS]
    return " ".join(asked) or None


def only_leaves(text: str) -> bool:
    """The message ends with a goodbye and asks and wishes nothing ("Forget it. Thanks for the return
    anyway, bye.", "Vergessen Sie es, danke trotzdem, tschüss")."""
    return leaves(text) and not _WISH.search(text or "")


def _reread(parse: Dict[str, Any], name: str, confidence: float, was: str) -> Dict[str, Any]:
    out = dict(parse)
    read = {"name": name, "confidence": confidence}
    others = [r for r in parse.get("intent_ranking") or [] if r.get("name") != name]
    out["intent"] = read
    out["intent_ranking"] = [read, *others]
    out["context"] = {**(parse.get("context") or {}), "read_as": was, "course_change": True}
    return out


def read_course_change(parse: Dict[str, Any], active_loop: str | None) -> Dict[str, Any]:
    """A goodbye that goes on with a question is the question; a message that only leaves is a
    goodbye (see the module docstring). Inside a form the form's readings stay."""
    text = str(parse.get("text") or "")
    intent = str((parse.get("intent") or {}).get("name") or "")
    if not text or text.startswith("/") or active_loop:
        return parse
    if intent == GOODBYE and asked_question(text):
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") not in _CLOSING]
        best: Dict[str, Any] = ranking[0] if ranking else {"name": FALLBACK, "confidence": 0.0}
        return _reread(parse, str(best["name"]), float(best.get("confidence") or 0.0), intent)
    if intent not in _OWN_WAY and only_leaves(text):
        return _reread(parse, GOODBYE, CONFIDENCE, intent)
    return parse


CORRECT = "correct"
# The bot's questions after which a stated return choice still revises the summary shown before:
# none of them asks for a choice of its own.
AFTER_SUMMARY = frozenset({None, p.HUMAN_OFFER, p.KNOWLEDGE_CHECK, p.DID_IT_HELP, p.ANYTHING_ELSE})
_NEVER_REVISES = frozenset({"request_human", "frustration", CORRECT})
_ORDER = re.compile(r"\b1\d{5}\b")


def revises_return(text: str, draft: Any) -> bool:
    """Whether the message chooses anew how the return on the table goes ("Dann lassen Sie es. Doch
    lieber Geld zurück"): a return's summary was shown (`draft`), the message states refund or
    exchange, asks nothing and names no other order."""
    if not isinstance(draft, dict) or draft.get("kind") != "return" or "?" in (text or ""):
        return False
    if any(number != draft.get("order_id") for number in _ORDER.findall(text or "")):
        return False
    return states_choice(text)


def read_return_revision(
    parse: Dict[str, Any], draft: Any, question: str | None, active_loop: str | None
) -> Dict[str, Any]:
    """A return choice after the summary, once the bot asked something else, is a correction of that
    summary (`correct`: actions/answers.py revises it); else the parse is unchanged."""
    intent = str((parse.get("intent") or {}).get("name") or "")
    if active_loop or question not in AFTER_SUMMARY or intent in _NEVER_REVISES:
        return parse
    if not revises_return(str(parse.get("text") or ""), draft):
        return parse
    return _reread(parse, CORRECT, CONFIDENCE, intent)
