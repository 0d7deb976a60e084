"""Body measures in a question and the table rows whose ranges they fall into.

"Ich bin 1,82 und wiege 80 kg" shares no word with the size-chart row that answers it
("Größe L: … Körpergröße 181–186 cm, Gewicht (Richtwert) 77–86 kg"), and every row of the
table shares the same words with it. Which row (and which table) answers is decided by the
numbers, so a question's heights and weights are read as centimetres and kilograms and
matched against the "a–b cm" / "a–b kg" ranges of a sentence.
"""

from __future__ import annotations

import re
from typing import List, Tuple

Quantity = Tuple[float, str]  # (value, "cm" | "kg")

_NUMBER = r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)"
_ASKED = re.compile(_NUMBER + r"\s*(cm|kg|kilo(?:gramm)?|m(?:eter)?)?\b", re.IGNORECASE)
_RANGE = re.compile(_NUMBER + r"\s*[–-]\s*" + _NUMBER + r"\s*(cm|kg)\b", re.IGNORECASE)


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def asked(question: str) -> List[Quantity]:
    """Heights (as cm) and weights (as kg) the question names; other numbers are ignored."""
    found: List[Quantity] = []
    for number, unit in _ASKED.findall(question):
        value, unit = _value(number), unit.lower()
        if unit.startswith("kilo") or unit == "kg":
            found.append((value, "kg"))
        elif unit == "cm" or (
            not unit and "." not in number and "," not in number and 140 <= value <= 220
        ):
            found.append((value, "cm"))
        elif (unit.startswith("m") or not number.isdigit()) and 1.3 <= value <= 2.3:
            found.append((round(value * 100), "cm"))  # "1,82" or "1.82 m"
    return found


def fitted(sentence: str, quantities: List[Quantity]) -> int:
    """How many of the quantities fall into a range of this sentence with the same unit."""
    if not quantities:
        return 0
    ranges = [
        (_value(low), _value(high), unit.lower()) for low, high, unit in _RANGE.findall(sentence)
    ]
    return sum(
        any(unit == u and low <= value <= high for low, high, u in ranges)
        for value, unit in quantities
    )
