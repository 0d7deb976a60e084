"""A delivery address in a message, and a correction of the one the bot is about to confirm.

"Soll ich die Lieferadresse … auf „Kehrwieder 5, 20457 Hamburg“ ändern?" may be answered with the
fix instead of a yes or no: a whole new address ("Die richtige Adresse ist Kehrwieder 7, 20457
Hamburg"), a swap ("nicht Kehrwieder 5, sondern Kehrwieder 7", "SIEBEN, nicht fünf", "7 statt 5") or
a line to add ("bitte mit c/o Hannah Fischer"). The corrected address replaces the pending one and
is confirmed again; it is never dropped, and the old one is never offered for the yes.
"""

from __future__ import annotations

import re

# A street of any name ("Musterstraße", "Am Kehrwieder", "Kehrwieder"), a house number, a five- or
# four-digit postcode and a town; an optional "c/o Name" line before it. Bounded word lengths keep
# the search linear on long words.
_CARE_OF = r"(?:(?i:c/o|c\.o\.|bei)\s+[A-ZÄÖÜ][\wäöüß.\-]{0,40}(?:\s[A-ZÄÖÜ][\wäöüß.\-]{0,40}){0,2}\s*,\s*)?"
# Words that introduce an address are not part of its street ("Neue Adresse Kehrwieder 7, …"); an
# adjective is, when no address noun follows it ("Neue Straße 5", "Alte Gasse 2").
_NOT_STREET = (
    r"(?!(?i:(?:neue|meine?|die|der|das)\s+(?:adresse|lieferadresse|anschrift)|die|der|das|ist"
    r"|bitte|an|nach|adresse|lieferadresse|anschrift)\b)"
)
ADDRESS = re.compile(
    rf"(?<![\wäöüßÄÖÜ.\-/])({_CARE_OF}(?:{_NOT_STREET}[A-ZÄÖÜ][\wäöüß.\-]{{0,40}}\s){{0,2}}?"
    rf"{_NOT_STREET}[A-ZÄÖÜa-zäöüß][\wäöüßÄÖÜ.\-]{{1,40}}\s+\d{{1,4}}\s?[a-zA-Z]?(?:\s*,\s*|\s+)"
    r"\d{4,5}\s+[A-ZÄÖÜa-zäöüß][\wäöüß\-]{0,40})"
)
CARE_OF = re.compile(
    r"\b(?i:c/o|c\.o\.)\s+([A-ZÄÖÜ][\wäöüß.\-]{0,40}(?:\s+[A-ZÄÖÜ][\wäöüß.\-]{0,40}){0,2})"
    # "bitte „bei Krüger“ dazuschreiben": "bei" is a c/o line only when it is asked to be added
    r"|\b(?i:bei)\s+([A-ZÄÖÜ][\wäöüß.\-]{0,40}(?:\s+[A-ZÄÖÜ][\wäöüß.\-]{0,40}){0,2})[\"“”']?\s*"
    r"(?i:dazu|hinzu|ergänz|mit\s+drauf|mit\s+auf)"
    # a quoted line ("Und wo ist „bei Krüger“?"): the customer means that line on the parcel
    r"|[\"„“”']\s*(?i:bei|c/o)\s+([A-ZÄÖÜ][\wäöüß.\-]{0,40}(?:\s+[A-ZÄÖÜ][\wäöüß.\-]{0,40}){0,2})\s*[\"“”']"
)
# "Bergstraße 14, 04105 Leipzig, bei Krüger": the c/o line after the address.
_TRAILING_CARE = re.compile(
    r"^\s*[,;]?\s*(?i:c/o|c\.o\.|bei)\s+([A-ZÄÖÜ][\wäöüß.\-]{0,40}(?:\s+[A-ZÄÖÜ][\wäöüß.\-]{0,40}){0,2})"
)
_NUMBERS = {
    "eins": "1", "ein": "1", "zwei": "2", "zwo": "2", "drei": "3", "vier": "4", "fünf": "5",
    "fuenf": "5", "sechs": "6", "sieben": "7", "acht": "8", "neun": "9", "zehn": "10", "elf": "11",
    "zwölf": "12", "zwoelf": "12", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
}  # fmt: skip
# A house number (up to 4 digits) or a postcode (4 or 5), with up to two words before it, or a number word.
_PART = r"((?:[A-ZÄÖÜa-zäöüß][\wäöüß.\-]{1,40}\s+){0,2}\d{1,5}\s?[a-zA-Z]?\b|[A-Za-zäöü]{3,7})"
# "nicht A, sondern B" / "B, nicht A" / "B statt A" (A the wrong part, B the right one)
_NOT_BUT = re.compile(rf"(?i)\b(?:nicht|not)\s+{_PART}\s*[,;:–-]?\s*(?:sondern|but|aber)\s+{_PART}")
_BUT_NOT = re.compile(
    rf"(?i){_PART}\s*[,;:–-]?\s*(?:nicht|not|statt|anstatt|instead\s+of)\s+{_PART}"
)


def said_address(text: str) -> str | None:
    """The first full address in the text, with its c/o line ("c/o Hannah Fischer, Gohliser Straße
    12, 04155 Leipzig")."""
    match = ADDRESS.search(text)
    if match is None:
        return None
    found = re.sub(r"\s+", " ", match.group(1)).strip()
    care = _TRAILING_CARE.match(text[match.end() :])
    if care and not CARE_OF.search(found):
        return f"c/o {care.group(1).strip().rstrip('.')}, {found}"
    return found


def _digits(part: str) -> str:
    part = part.strip()
    return _NUMBERS.get(part.lower(), part)


def _swap(current: str, wrong: str, right: str) -> str | None:
    """`current` with the wrong part replaced by the right one, or None when it has no such part."""
    wrong, right = _digits(wrong), _digits(right)
    if not re.search(r"\d", wrong + right):
        return None
    found = re.search(rf"(?i)(?<![\w]){re.escape(wrong)}(?![\w])", current)
    if found is None:  # already right ("SIEBEN, nicht fünf" at "… 7"): confirmed as it is
        return current if re.search(rf"(?i)(?<![\w]){re.escape(right)}(?![\w])", current) else None
    number = re.search(r"\d{1,5}\s?[a-zA-Z]?\b", right)
    if wrong.isdigit() and number:  # "ich meine 4 statt 14": only the number changes
        right = number.group(0)
    elif (
        right.isdigit() and not wrong.isdigit()
    ):  # "nicht Kehrwieder 5, sondern 7": the number only
        right = re.sub(r"\d{1,4}\s?[a-zA-Z]?\b", right, found.group(0), count=1)
    return current[: found.start()] + right + current[found.end() :]


def corrected(current: str, text: str) -> str | None:
    """The pending address as the text corrects it (unchanged when it already says what the text
    wants), or None when the text names nothing to put in it."""
    if not current:
        return None
    whole = said_address(text)
    if whole == current:  # the pending address said once more ("so: Bergstraße 14, …"): confirmed
        return current
    if whole:
        care = CARE_OF.search(current)
        if care and not CARE_OF.search(whole):  # "Die richtige Hausnummer: …" keeps the c/o line
            return f"c/o {_care_name(care)}, {whole}"
        return whole
    fixed = _swapped(current, text)
    base = fixed or current
    care = CARE_OF.search(text)  # also next to a swap: "04105, nicht 04109 – und „bei Krüger“ dazu"
    if care and not CARE_OF.search(base):
        return f"c/o {_care_name(care)}, {base}"
    if care and _care_name(care).lower() in base.lower():
        return base  # "Und wo ist „bei Krüger“?" at "c/o Krüger, …": it is there, asked again
    return fixed


def _swapped(current: str, text: str) -> str | None:
    for pattern, wrong, right in ((_NOT_BUT, 1, 2), (_BUT_NOT, 2, 1)):
        for match in pattern.finditer(text):
            fixed = _swap(current, match.group(wrong), match.group(right))
            if fixed:
                return fixed
    return None


def _care_name(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g).strip().rstrip(".")


# "Nein, falsch", "die stimmt so nicht", "Tippfehler": the address is wrong, the change still wanted.
WRONG = re.compile(
    r"(?i)\b(?:falsch|stimmt\s+(?:so\s+)?nicht|nicht\s+(?:richtig|korrekt)|tippfehler|vertippt|"
    r"verschrieben|wrong|typo)\b"
)


def corrects(text: str) -> bool:
    """Whether the text, at an address confirmation, gives a correction (an address, a swap of a
    number or street, a c/o line) or says the address is wrong ("Nein, falsch"), rather than a
    plain yes or no: the corrected address is confirmed, or the address asked again."""
    return bool(
        ADDRESS.search(text)
        or CARE_OF.search(text)
        or WRONG.search(text)
        or any(
            re.search(r"\d", _digits(m.group(1)) + _digits(m.group(2)))
            for p in (_NOT_BUT, _BUT_NOT)
            for m in p.finditer(text)
        )
    )
