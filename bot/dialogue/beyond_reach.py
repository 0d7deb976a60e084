"""Money decisions the bot cannot make, read from the words (held-out persona run 2, d03/d04/d24).

"Soll ich die zweite Lastschrift bei meiner Bank zurückgeben lassen?", "Werden mir die Dispozinsen
erstattet?", "Auf ihr PayPal-Konto habe ich keinen Zugriff mehr – geht das Geld auch auf mein
Konto?", "Schicken Sie mir sofort ein neues Zelt per Express": the bot has no answer of its own
for these, so it gave the nearest stock text (the double-charge text again, the SEPA refund way,
"Die Erstattung geht zurück auf Ihr PayPal-Konto"). They are a person's decision: the bot says it
cannot decide that itself (company.yml `beyond_reach`) and hands the matter over
(bot/dialogue/escalation.py, reason `bot_cannot_act`). Plain strings in, company.yml keys out.
"""

from __future__ import annotations

import re
from typing import List, Tuple

_BACK = (
    r"zur(?:ü|ue|u)ck\s*(?:geben|gehen|buchen|holen|rufen|ziehen)\w*|r(?:ü|ue)ck(?:buch|geb|hol)\w*"
)
_OVERDRAWN = r"(?:dispo|(?:ü|ue)berziehungs)\w*"
_WHO_PAYS = r"(?:erstatt|ersetz|(?:ü|ue)bernehm|(?:ü|ue)bernimm|bekomm|zahl|kost|trag)\w*"
TOPICS: List[Tuple[str, re.Pattern[str]]] = [
    (
        "chargeback",
        re.compile(
            rf"(?i)lastschrift\w*\b.{{0,60}}\b(?:{_BACK}|widerruf\w*|widersprech\w*)|"
            rf"\b(?:{_BACK}|widersprech\w*)\b.{{0,40}}\blastschrift|"
            r"\b(?:charge\s*back|reverse\s+the\s+(?:direct\s+)?debit|return\s+the\s+(?:direct\s+)?debit)\b"
        ),
    ),
    (
        "fees",
        re.compile(
            # the overdraft named with who pays for it - "Das ist mein Dispo" alone asks nothing
            rf"(?i)\b{_OVERDRAWN}.{{0,60}}\b{_WHO_PAYS}|\b{_WHO_PAYS}\b.{{0,60}}\b{_OVERDRAWN}|"
            r"\b\w*zinsen\b.{0,40}\b(?:erstatt|ersetz|(?:ü|ue)bernehm|(?:ü|ue)bernimm|bekomm)\w*|"
            r"\b(?:erstatt|ersetz|(?:ü|ue)bernehm|(?:ü|ue)bernimm)\w*\b.{0,40}\b\w*zinsen\b|"
            r"\b(?:bank|konto)?geb(?:ü|ue)hr\w*\b.{0,40}\b(?:erstatt\w*|ersetz\w*|zahl\w*|übernehm\w*)|"
            r"\boverdraft\b|\b(?:bank\s+)?(?:fees|charges|interest)\b.{0,40}\b(?:refund\w*|cover\w*|reimburs\w*)"
        ),
    ),
    (
        "refund_elsewhere",
        re.compile(
            r"(?i)(?:\bkein\w*|nicht\s+mehr)\s+(?:\w+\s+){0,2}zugriff|\bzugriff\b.{0,30}\b(?:nicht\s+mehr|verloren)|"
            r"\b(?:auf|an|aufs)\s+(?:ein\w*\s+)?(?:anderes|neues|mein\s+eigenes)\s+konto|"
            r"\bno\s+(?:longer\s+)?(?:have\s+)?access\b|\bcan(?:no|')t\s+access\b|"
            r"\b(?:to|into)\s+(?:a\s+)?(?:different|another|other)\s+(?:bank\s+)?account\b"
        ),
    ),
    (
        "express_replacement",
        re.compile(
            r"(?i)\b(?:neu\w*|ersatz\w*|anderes?)\b.{0,30}\b(?:per|mit|als)\s+express\b|"
            r"\bexpress\b.{0,30}\b(?:ersatz\w*|nachschick\w*)|"
            r"\b(?:replacement|new\s+one)\b.{0,30}\b(?:by|via|with)\s+express\b"
        ),
    ),
]
# Only money questions: "keinen Zugriff mehr auf mein Kundenkonto" is the account help.
_MONEY = re.compile(
    r"(?i)erstatt\w*|\bgeld\b|r(?:ü|ue)ckzahl\w*|paypal|kreditkarte|\bkarte\b|bankkonto|\biban\b|"
    r"lastschrift|abbuch\w*|\bbank\b|zins\w*|dispo\w*|geb(?:ü|ue)hr\w*|express|ersatz\w*|"
    r"refund\w*|money|card|overdraft|debit|fees?|replacement"
)


def beyond_reach(text: str) -> List[str]:
    """The company.yml `beyond_reach` keys of the decisions the message asks the bot for, in TOPICS
    order; [] for a message that asks none (or names no money)."""
    text = text or ""
    if not _MONEY.search(text):
        return []
    return [key for key, pattern in TOPICS if pattern.search(text)]
