"""What a customer asks the bot to record, without the words that ask for it.

"Dann legen Sie halt eine neue an: Kapuze reißt an der Naht", "Schreiben Sie bitte: …", "Grüß
Gott. Die Sohle löst sich", "ok, create a new one then: the strap snapped" – the record (a
complaint's text, a return reason, a new address) is what follows the lead-in. Stored as written,
the lead-in ended up in the case and in the summary the customer confirms (held-out persona run 5).
Leading clauses that only ask to record something, only label it ("Grund:", "Problem:") or only
greet are dropped while something is left after them; a clause that names anything else (a defect,
a number) stays. Plain strings in; no Rasa import.
"""

from __future__ import annotations

import re

MAX_LEAD_WORDS = 12
MIN_REST_CHARS = 3

# A leading clause and what follows: a colon, a full stop or exclamation mark, or a dash between
# spaces ends it ("Legen Sie eine an – Naht offen").
_CLAUSE = re.compile(r"^\s*(?P<lead>[^.:!;?–—]+?)\s*(?:[:.!;]+|\s[–—-])\s*(?P<rest>\S.*)$", re.S)

# Asking to record: separable verbs ("legen Sie halt eine neue an", "nehmt des auf", "tragen Sie
# ein"), the joined forms ("anlegen", "aufnehmen", "notieren", "schreiben"), "mach eine neue",
# and English ("create a new one", "open a complaint", "write down", "please note").
_RECORD = re.compile(
    r"(?i)(?:\b(?:leg|nehm|nimm|trag|halt)\w*\b(?:\s+\S+){0,6}?\s+(?:an|auf|ei|ein|fest)\s*$|"
    r"\b(?:an\s*legen|anlegen|aufnehmen|eintragen|festhalten|aufschreib\w*|dazuschreib\w*|"
    r"schreib\w*|notier\w*|vermerk\w*|erfass\w*)\b|"
    r"\bmach\w*\b(?:\s+\S+){0,4}?\s+(?:eine?n?|ne|neue[nrs]?)\b|"
    r"\b(?:create|open|file|log|raise|start|make)\b(?:\s+\S+){0,4}?\s+(?:one|complaint|return|case|"
    r"claim|ticket)\b|\b(?:note|write|put|take|jot)\b(?:\s+\S+){0,3}?\s+down\b|"
    r"^(?:(?:ok(?:ay)?|fine|then|so|just|please),?\s+)*(?:note|write|record)\b)"
)
# A label only: "Grund:", "Problem:", "Was nicht stimmt:", "Neue Adresse:", "Reason:".
_LABEL = re.compile(
    r"(?i)^(?:(?:der|die|mein|meine|the|my)\s+)?(?:grund|problem|mangel|fehler|defekt|beschreibung|"
    r"details?|was\s+nicht\s+stimmt|(?:neue\s+)?(?:liefer)?adresse|anschrift|reason|issue|"
    r"description|(?:new\s+)?address)$"
)
# A greeting alone: "Grüß Gott", "Hallo", "Guten Tag", "Servus", "Grüezi", "Hi", "Hello".
_GREETING = re.compile(
    r"(?i)^(?:(?:also|so|ok(?:ay)?)\s+)?(?:gr(?:ü|ue)(?:ß|ss)\s+gott|gr(?:ü|ue)ezi(?:\s+mitenand)?|"
    r"hallo(?:\s+zusammen)?|hi|hey|servus|moin|guten\s+(?:tag|morgen|abend)|good\s+(?:morning|"
    r"afternoon|evening)|hello|dear\s+\w+)$"
)
# What makes a clause content even when it asks to record it: a digit or a named defect.
_CONTENT = re.compile(
    r"(?i)\d|kaputt|defekt|riss|gerissen|\bloch|naht|fleck|klemmt|undicht|broken|torn|ripped|\bhole\b|"
    r"leak|stain|zu\s+(?:gro(?:ß|ss)|klein|eng|weit|lang|kurz)|too\s+(?:big|small|tight|long|short)"
)


def lead_in(clause: str) -> bool:
    """Whether a leading clause only asks to record, labels or greets."""
    clause = clause.strip(" ,\"'„“”")
    if not clause or len(clause.split()) > MAX_LEAD_WORDS or _CONTENT.search(clause):
        return False
    return bool(_LABEL.match(clause) or _GREETING.match(clause) or _RECORD.search(clause))


def without_lead_in(text: str) -> str:
    """The text without its leading clauses that only ask to record, label or greet; the text as
    it is when nothing else would be left."""
    text = (text or "").strip()
    while True:
        found = _CLAUSE.match(text)
        if found is None or not lead_in(found.group("lead")):
            return text
        rest = found.group("rest").strip()
        if len(rest) < MIN_REST_CHARS:
            return text
        text = rest
