"""A question about the case just created or named: "Wann bekomme ich den Ersatz?", "wann krieg ich
die neue?", "Muss ich den alten Rucksack zurückschicken?" (issue 22.4, 22.5).

Read without context these are a FAQ question or a new return, and the customer who has just been
given a case reference gets the stock return policy or "Was ist der Grund für die Rücksendung?".
With a case on the table (the `case_ref` slot) they ask about that case: actions/cases.py answers
from its kind and mode. Plain strings in.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.passed_on import asks_passed_on
from bot.dialogue.reading import read_as

WHEN = "when"
SEND_BACK = "send_back"

_QUESTION = re.compile(
    r"\?\s*$|^\s*(?:und\s+|aber\s+|also\s+)?(?:wann|wie|muss|müss|muess|soll|kann|krieg|bekomm|"
    r"brauch)\w*\b",
    re.IGNORECASE,
)
_SEND_BACK = re.compile(
    r"(?i)zur(?:ü|ue|u)ck\s*(?:schick|send|geb|bring)|einschick|\betikett|\bbehalten\b|"
    # "muss die Lampe auch mit ins Paket?", "soll ich sie mitschicken?" (held-out run 4, d13)
    r"\bmit\s+(?:in\s+)?(?:ins|das|dem|den)\s+paket|\bmit\s*(?:schick|send|einpack)\w*|\bbeileg\w*"
)
_WHEN = re.compile(r"(?i)\b(?:wann|wie\s+lange|wie\s+schnell|bis\s+wann)\b")
# What a case brings: a "when" about one of these is about the case, not about a parcel.
_CASE_THING = re.compile(
    r"(?i)\b(?:ersatz\w*|neue[nrs]?|geld|erstattung|rückerstattung|rueckerstattung|umtausch|"
    r"austausch|antwort|bescheid|kohle|betrag)\b"
)


def asks_about_case(text: str) -> str | None:
    """WHEN or SEND_BACK for a question about a case's next step, None for anything else."""
    text = (text or "").strip()
    if not _QUESTION.search(text) or asks_label(text):
        return None  # a missing label: the return's state and the way to a new one (orders.py)
    if _SEND_BACK.search(text):
        return SEND_BACK
    if _WHEN.search(text) and _CASE_THING.search(text):
        return WHEN
    return None


# The return label ("Rücksendeetikett", "Retourenschein", "label") and what is wrong with it: not
# there, to be sent again (persona run 2 d09: "des Etikett is ned in meim Postfach", "bitte nomoi
# schicka"). A label on a garment that scratches has none of these words.
_LABEL = re.compile(
    r"(?i)\b(?:r(?:ü|ue|u)ck(?:sende|gabe)?|retouren?|versand)?(?:etikett|label)\w*|"
    r"\b(?:r(?:ü|ue|u)cksende|retouren)schein\w*"
)
_LABEL_TROUBLE = re.compile(
    r"(?i)\b(?:noch\s*(?:ein)?mal|nomoi|nochmoi|erneut|neu(?:es|en)?|schick\w*|send\w*|fehlt|"
    r"nicht|ned|nit|kein\w*|nie|verloren|gelöscht|geloescht|"
    # English (persona run 5, d11: "Has the label been sent?" got the parcel's delivery)
    r"sent|again|missing|never|not|no|(?:did|has|have)n'?t|yet)\b"
)


# "Ist die Reklamation jetzt angelegt oder nicht?", "wurde meine Rücksendung erfasst?": whether a
# case exists - a question about the state of a case, never the wish to create one ("bitte
# anlegen", "ich möchte, dass sie angelegt wird").
_CREATED = re.compile(
    r"(?i)\b(?:ist|is|wurde|wurden|sind|hast|habt|haben)\b[^.!?]{0,50}\b(?:angelegt|aufgenommen|erfasst|"
    r"registriert|eingetragen|weitergegeben|weitergeleitet)\b(?=[^.!]{0,25}\?|\s+oder\s+nicht|\s*$)"
)


def asks_created(text: str) -> bool:
    """A question whether a case was created ("is die reklamation jetzt angelegt oder nicht?")."""
    return bool(_CREATED.search(text or ""))


# "ist die Jacke nicht schon bei euch angekommen?": something the customer sent back (a return).
_RETURNED = re.compile(
    r"(?i)\bbei\s+(?:euch|ihnen|dir)\b[^.?!]{0,25}\b(?:angekommen|eingegangen|eingetroffen|da)\b|"
    r"\b(?:angekommen|eingegangen|eingetroffen)\s+bei\s+(?:euch|ihnen|dir)\b|"
    r"\b(?:zur(?:ü|ue|u)ckgeschickte|zur(?:ü|ue|u)ckgesendete)\w*|"
    # English: "has it reached you yet?", "did it arrive at your warehouse?"
    r"\b(?:reached|arrived?\s+(?:at|with))\s+(?:you|your\s+(?:warehouse|end))\b"
)
# A case named by its kind: a question whether it was created is about that case.
_CASE_NAMED = re.compile(
    r"(?i)reklamation|beschwerde|r(?:ü|ue)cksendung|retoure|umtausch|ticket|vorgang|anfrage"
)


def asks_returned(text: str) -> bool:
    """Whether what the customer sent back has arrived ("schon bei Ihnen eingetroffen?")."""
    return bool(_RETURNED.search(text or ""))


_LABEL_WORD = re.compile(r"(?i)\b(?:paket)?aufkleber\b|\bpaketschein\b")


def names_label(text: str) -> bool:
    """Whether the text speaks of the return label at all ("ich brauche den Aufkleber für das
    Paket"): with a return just registered, how the label comes is told (actions/orders.py)."""
    return bool(_LABEL.search(text or "") or _LABEL_WORD.search(text or ""))


def asks_label(text: str) -> bool:
    """A missing return label or a request to send it again ("Das Rücksendeetikett ist nicht
    angekommen, bitte nochmal schicken")."""
    text = text or ""
    return bool(_LABEL.search(text) and _LABEL_TROUBLE.search(text))


# Readings a case question may carry without context: a FAQ topic, a new return or complaint, or
# nothing sure. Anything else (a human, a cancellation …) is left as read.
REREAD = frozenset(
    {
        "faq",
        "return_item",
        "complaint",
        "order_status",
        "nlu_fallback",
        "out_of_scope",
        "product_question",
    }
)
CONFIDENCE = 0.9


def read_case_question(parse: Dict[str, Any], case_ref: Any) -> Dict[str, Any]:
    """The parse of a question about the case on the table (`case_ref`) read as a question (`faq`,
    answered by action_faq from the case), not as a new return or complaint."""
    intent = (parse.get("intent") or {}).get("name")
    if not case_ref or intent not in REREAD or intent == "faq":
        return parse
    if asks_about_case(str(parse.get("text") or "")) is None:
        return parse
    return read_as(parse, "faq", CONFIDENCE, case=str(case_ref), read_as=intent)


# Readings that miss a question about the verified order's cases: a help-page question, nothing sure.
ORDER_REREAD = frozenset({"faq", "product_question", "nlu_fallback", "out_of_scope"})


def read_order_case_question(parse: Dict[str, Any], verified_order: Any) -> Dict[str, Any]:
    """With a verified order on the table, a question about its return or case ("das Etikett kam
    nie an", "ist die Jacke schon wieder bei Ihnen?", "ist die Reklamation angelegt?") read as a
    help-page question or nothing sure is about that order (`order_status`: actions/orders.py
    answers from its returns and cases) - not a search of the help pages (persona run 2)."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if not verified_order or intent not in ORDER_REREAD:
        return parse
    about_case = asks_created(text) and _CASE_NAMED.search(text)
    # "what is the status of return RT-509753?" (persona run 5, d11: the return policy)
    numbered = CASE_NUMBER.search(text) and _ASKED.search(text)
    # "Did you send it to accounting?" (held-out run 8, e25): the open request is on the order
    passed = asks_passed_on(text)
    if not (asks_label(text) or asks_returned(text) or about_case or numbered or passed):
        return parse
    return read_as(parse, "order_status", CONFIDENCE, order_case=True, read_as=intent)


# "Gibt es da schon was Neues?", "hat sich da inzwischen etwas getan?", "any news?": news of a case
# on file, a word or two between (held-out persona run 4, d29: the parcel's status instead).
_NEWS = re.compile(
    r"(?i)\b(?:gibt\s+es|gibts|hat\s+sich|ist)\s+(?:\w+\s+){0,3}?(?:was|etwas)\s+"
    r"(?:neues|getan|passiert)\b|\bany\s+(?:news|update)\b"
)
# "Finden Sie meine alte Reklamation?", "ob Sie meine Reklamation irgendwo finden", "liegt meine
# Beschwerde bei Ihnen vor?", "habt ihr meine Rücksendung bekommen?": whether a case is on file.
_CASE_WORD = r"(?:reklamation|beschwerde|r(?:ü|ue)cksendung|retoure|anfrage|vorgang)\w*"
_ON_FILE = re.compile(
    r"(?i)\b(?:find\w*|gefunden|vorliegen|vorliegt|im\s+system|on\s+file)\b|"
    r"\bliegt\s+(?:\w+\s+){0,4}vor\b|"
    r"\b(?:haben\s+sie|habt\s+ihr|hast\s+du)\b[^.?!]{0,50}\b(?:erhalten|bekommen|gekriegt)\b|"
    # "ist die bei Ihnen angekommen?", "ist meine Rücksendung schon eingegangen?" - never "ist die
    # Stirnlampe kaputt angekommen" (an item: a new complaint)
    r"\b(?:ist|sind|wurde)\s+(?:denn\s+)?(?:(?:die|sie)\s+(?:(?:denn|schon|jetzt|auch|"
    r"(?:ü|ue)berhaupt|inzwischen|mittlerweile|eigentlich|bei\s+(?:ihnen|euch|dir))\s+)+|"
    r"(?:meine|die|diese)\s+" + _CASE_WORD + r"\s+(?:\w+\s+){0,3}?)"
    r"(?:angekommen|eingegangen|eingetroffen|erhalten)\b|"
    r"\bbei\s+(?:ihnen|euch|dir)\s+(?:\w+\s+){0,2}(?:angekommen|eingegangen|eingetroffen)\b|"
    r"\b(?:did|have)\s+you\s+(?:\w+\s+)?(?:get|got|receive|received)\b"
)
_CASE = r"(?:reklamation|beschwerde|r(?:ü|ue)cksendung|retoure|anfrage|vorgang)"
# "ich hatte letzte Woche eine Reklamation … gemacht", "habe den Rucksack reklamiert", "meine alte
# Reklamation": a case the customer says they filed before.
_FILED = re.compile(
    r"(?i)\b(?:hatte|hatten|habe|hab|haben)\b[^.?!]{0,60}\b(?:reklamiert|beschwert|"
    r"zur(?:ü|ue)ckgeschickt|" + _CASE + r"\b[^.?!]{0,50}\b(?:gemacht|gemeldet|aufgegeben|"
    r"angemeldet|eingereicht|geschickt|abgeschickt))\b|"
    r"\b(?:meine[rmn]?|die|der)\s+alte[nr]?\s+" + _CASE
)
# Asked: a question mark, an indirect "ob …" ("schauen Sie, ob Sie sie finden").
_ASKED = re.compile(r"(?i)\?|\bob\b|\bwhether\b")
# A case's number as the shop gives it: "RT-830926" (a return), "TK-759255" (a complaint).
CASE_NUMBER = re.compile(r"(?i)\b(?:RT|TK)-?\s?\d{4,}\b")


def asks_on_file(text: str) -> bool:
    """A question about a case the customer believes is on file: news of it ("Gibt es da schon was
    Neues?"), whether it can be found or has arrived ("finden Sie meine alte Reklamation?"), or any
    question about one they say they filed ("ich hatte letzte Woche reklamiert – wie sieht es
    aus?"). Whether the text names a case is the caller's check (actions/cases.py)."""
    text = text or ""
    if _NEWS.search(text):
        return True
    return bool(_ASKED.search(text) and (_ON_FILE.search(text) or _FILED.search(text)))


def case_number(text: str) -> str | None:
    """The case number the text names ("RT-830926"), normalised to the shop's spelling, or None."""
    found = CASE_NUMBER.search(text or "")
    if found is None:
        return None
    raw = re.sub(r"[\s-]", "", found.group(0)).upper()
    return f"{raw[:2]}-{raw[2:]}"
