"""What a message says about a return: refund or exchange, the new size, the reason (issue 22.4).

Read wherever the customer says it - in the first message, as the answer to "Warum?", or as a
change of mind at the summary ("die will ich lieber in L statt M", "nur umtauschen"): one reading,
so the form stores it, the summary shows it and a revision of the summary changes it.
"""

from __future__ import annotations

import re
from typing import Dict

_SIZE = r"(XXS|XS|S|M|L|XL|XXL|3XL|\d{2}(?:[.,]5)?)"
_SIZE_WORD = r"(?:gr(?:ö|oe|o)(?:ß|ss)e\s+|gr\.\s*)?"
# "in L statt M", "in Größe 40 anstatt 39"
SIZE_SWAP = re.compile(
    rf"(?i)\bin\s+{_SIZE_WORD}{_SIZE}\s+(?:statt|anstatt|anstelle\s+von)\s+{_SIZE_WORD}{_SIZE}\b"
)
_NOT_A_MEASURE = r"(?!\s*(?:tag|woche|monat|jahr|euro|eur\b|€|%|stück|stueck|min|stund|uhr))"
# "gegen Größe L", "auf 40 tauschen", "die will ich lieber in L": the wanted size alone (read only
# next to exchange words: "in 39" alone may be the size that was bought). "gegen"/"auf" name the
# new size; of several "in ...", the last one does ("in 39 zu klein, lieber in 40").
_WANTED = rf"\s+(?:(?:die|eine|einer)\s+)?{_SIZE_WORD}(?-i:{_SIZE})(?![\w.,]){_NOT_A_MEASURE}"
SIZE_AGAINST = re.compile(rf"(?i)\b(?:gegen|auf){_WANTED}")
SIZE_IN = re.compile(rf"(?i)\bin{_WANTED}")
REFUND_WORDS = re.compile(
    r"(?i)geld\s+(?:\w+\s+){0,2}(?:zur(?:ü|ue|u)ck|wieder)|erstatt|\brefund|kohle\s+(?:\w+\s+){0,2}"
    r"(?:zur(?:ü|ue|u)ck|wieder)"
)
EXCHANGE_WORDS = re.compile(
    r"(?i)umtausch|umtauschen|\btausch|eintauschen|andere[nr]?\s+(?:gr(?:ö|oe)(?:ß|ss)e|farbe)|"
    r"nummer\s+(?:gr(?:ö|oe)(?:ß|ss)er|kleiner)"
)
REASONS = [
    re.compile(r"(?i)\b(?:weil|da)\s+([^.!?;]{4,80})"),
    re.compile(
        r"(?i)\b(zu\s+(?:klein|gro(?:ß|ss)|eng|weit|kurz|lang|schwer|warm|d(?:ü|ue)nn|dick))\b"
    ),
    re.compile(r"(?i)\b(pass(?:t|en)\s+(?:mir\s+|leider\s+|irgendwie\s+|doch\s+)*nicht)\b"),
    re.compile(r"(?i)\b(gef(?:ä|ae|a)ll(?:t|en)\s+(?:mir\s+|uns\s+|leider\s+|doch\s+)*nicht)\b"),
    re.compile(r"(?i)\b(falsche[nrs]?\s+(?:gr(?:ö|oe)(?:ß|ss)e|farbe|artikel|modell))\b"),
    # an unused item ("nie getragen", "brauche sie nicht mehr", "ungetragen"): issue 22.7
    re.compile(
        r"(?i)\b((?:nie|noch\s+nie|gar\s+nicht|nicht)\s+(?:getragen|benutzt|gebraucht|ausgepackt)|"
        r"ungetragen|unbenutzt|originalverpackt|(?:brauche?|benötige?)\s+(?:sie|ihn|es|das|die|den)?\s*"
        r"nicht\s+mehr|(?:sie|ihn|es|das)\s+nicht\s+mehr\s+(?:brauche|benötige))\b"
    ),
]


def wanted_size(text: str) -> str | None:
    """The size an exchange is wanted in ("in L statt M" -> "L statt M", "gegen Größe 40" -> "40"),
    read only next to exchange words; None when no size is named."""
    swap = SIZE_SWAP.search(text)
    if swap:
        return f"{swap.group(1).upper()} statt {swap.group(2).upper()}"
    if not EXCHANGE_WORDS.search(text):
        return None
    found = SIZE_AGAINST.search(text) or ([None] + list(SIZE_IN.finditer(text)))[-1]
    return found.group(1).upper() if found else None


def said_return(text: str) -> Dict[str, str]:
    """Return reason, mode and exchange size the text gives ("zu klein, lieber in M statt L")."""
    found: Dict[str, str] = {}
    swap = SIZE_SWAP.search(text)
    size = wanted_size(text)
    reason = next((m.group(1).strip() for m in (p.search(text) for p in REASONS) if m), None)
    if size:
        found["return_mode"] = "exchange"
        found["exchange_size"] = size
        if swap:
            reason = reason or f"Größe {swap.group(2).upper()} passt nicht"
    elif EXCHANGE_WORDS.search(text):
        found["return_mode"] = "exchange"
    elif REFUND_WORDS.search(text):
        found["return_mode"] = "refund"
    if reason:
        found["return_reason"] = reason
    return found


def exchange_note(size: str) -> str:
    """How the wanted size goes into the reason the team reads: "(Umtausch in Größe L)"."""
    return f"(Umtausch in {size})" if " statt " in size else f"(Umtausch in Größe {size})"


def states_choice(text: str) -> bool:
    """Whether the text chooses how a return goes: refund or exchange, or a size."""
    return bool(said_return(text).get("return_mode"))
