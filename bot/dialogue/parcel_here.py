"""The customer says the parcel is already with them (held-out persona run 4, d08).

After "noch unterwegs … kann noch keine Rücksendung anlegen", "Das Paket ist seit gestern hier",
"ich halte die Stöcke in der Hand" or Swiss "s Päckli isch doch scho da" contradicts the tracking;
read as an order question it got the same "unterwegs" status again. Plain strings in.
"""

from __future__ import annotations

import re

_FILLER = (
    r"(?:(?:doch|schon|scho|längst|laengst|bereits|seit\s+\w+|gestern|geschter|heute|hüt|am\s+\w+|"
    r"vorgestern|eben|grad|gerade|ja|echt|wirklich)\s+)*"
)
_HERE = re.compile(
    r"(?i)\b(?:ist|isch|is|sind|san|kam|kamen|liegt|liegen|lag)\s+"
    + _FILLER
    + r"(?:da|hier|do|angekommen|aakho|"
    r"akho|cho|gekommen|zugestellt|geliefert|bei\s+mir)\b"
    r"|\b(?:in|i)\s+de[rn]?\s+hand\b"
    r"|\b(?:hab|habe|ha|hob|hon)\s+(?:es|sie|das\s+\w+|die\s+\w+|den\s+\w+|s\s+\w+|d\s+\w+|des\s+\w+)\s+"
    + _FILLER
    + r"(?:bekommen|erhalten|übercho|uebercho|kriegt|gekriegt|griagt|gekriagt)\b"
)
_NOT = re.compile(
    r"(?i)\b(?:nicht|nöd|noed|ned|net|nie|nonig|noch\s+nicht)\s+(?:\w+\s+){0,2}?(?:da|hier|do|"
    r"angekommen|gekommen|cho|zugestellt|geliefert|bekommen|erhalten|übercho)\b"
)


def says_parcel_here(text: str) -> bool:
    """Whether the message says the parcel (or the goods) has already arrived."""
    return bool(_HERE.search(text or "")) and not _NOT.search(text or "")
