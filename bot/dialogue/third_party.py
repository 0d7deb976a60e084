"""A relative writing for someone who died or cannot write themselves (held-out persona run 3, d04).

The daughter of a deceased customer gave her mother's order and e-mail address to find the order;
later she said she cannot open her mother's mails. The bot told her to write "from your account's
address" and handed over with "Wir melden uns unter <the mother's address>". When the conversation
says the customer writes for such a person, that person's address is no contact for the team (the
customer is asked for her own), and "I cannot get into her account or mails, can you do it?" is a
matter for a person, not the self-service help. Plain strings in, plain values out.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable

from bot.dialogue.reading import read_as

_RELATIVE = (
    r"(?:mutter|vater|mama|papa|mutti|vati|mann|frau|ehemann|ehefrau|oma|opa|"
    r"gro(?:ß|ss)(?:mutter|vater|eltern)|eltern|schwester|bruder|sohn|tochter|tante|onkel|"
    r"partner\w*|lebensgef(?:ä|ae)hrt\w*|schwieger\w*|mother|father|mom|mum|dad|husband|wife|"
    r"grand(?:ma|pa|mother|father)|sister|brother)"
)
# Died, or cannot write: in hospital, in care, very ill.
_UNABLE = (
    r"(?:gestorben|verstorben|verschieden|tot|beerdig\w*|beigesetzt|krankenhaus|klinik|"
    r"pflegeheim|koma|schwer\s+krank|dement\w*|passed\s+away|died|dead|hospital)"
)
_FOR_SOMEONE = re.compile(
    rf"(?i)\b(?:mein(?:e[rsnm]?)?|unser(?:e[rsnm]?)?|my|our)\s+(?:\w+\s+){{0,2}}?{_RELATIVE}\b.{{0,100}}\b{_UNABLE}\b|"
    rf"\b{_UNABLE}\b.{{0,40}}\b(?:mein(?:e[rsnm]?)?|my)\s+(?:\w+\s+){{0,2}}?{_RELATIVE}\b"
)
# "Ich komme an ihr Konto und ihre Mails nicht ran": someone else's account or mailbox, no access.
_HER = r"(?:ihre?[nms]?|seine?[nms]?|her|his)"
_MAILBOX = r"(?:mails?|e-mails?|postfach|konto|kundenkonto|account|passwort|login|inbox|emails?)"
_NO_ACCESS = re.compile(
    rf"(?i)\b{_HER}\s+(?:\w+\s+){{0,4}}?{_MAILBOX}\b.{{0,60}}\b(?:nicht|nie|kein\w*|can't|cannot|"
    rf"can\s+not|no\s+access)\b|"
    rf"\b(?:nicht|kein\w*|can't|cannot)\b.{{0,40}}\b{_HER}\s+(?:\w+\s+){{0,4}}?{_MAILBOX}\b"
)


def for_someone_else(texts: Iterable[str]) -> bool:
    """The customer writes for a relative who died or cannot write (any of the customer's messages)."""
    return any(_FOR_SOMEONE.search(text or "") for text in texts)


# ... and says it is about getting in ("Ihre Mail ist nicht angekommen" is the shop's mail).
_GET_IN = re.compile(
    r"(?i)\b(?:ran|dran|heran|rein|herein|hinein|(?:ö|oe)ffn\w*|zugr\w*|zugang|zugriff|einlogg\w*|anmeld\w*|"
    r"access|open|log\s*in|get\s+into|passw(?:o|ö)rt|password)\b"
)


def no_access(text: str) -> bool:
    """The message says the customer cannot get into the other person's account or mails."""
    text = text or ""
    return bool(_NO_ACCESS.search(text) and _GET_IN.search(text))


# Readings kept: a person already asked for, the conversation stopped.
_KEEP = frozenset({"request_human", "stop"})


def read_no_access(parse: Dict[str, Any], earlier: Iterable[str]) -> Dict[str, Any]:
    """A relative who cannot get into the other person's account or mails (`earlier`: the customer's
    previous messages, one says for whom) is read as asking for a person: only the team can close
    that account or stop its mails; otherwise the parse unchanged."""
    text = str(parse.get("text") or "")
    intent = (parse.get("intent") or {}).get("name")
    if intent in _KEEP or not no_access(text) or not for_someone_else([*earlier, text]):
        return parse
    return read_as(parse, "request_human", read_as=intent, third_party=True)
