"""A message that gives a full new delivery address is an address change, whatever else it says.

The classifier reads the words around the address: "Moment, ich wollte doch die Adresse ändern!
<Adresse>" as the wait answer ("lassen Sie sich Zeit"), "So weit!! Neue Adresse: <Adresse>" as
anger (empathy and the menu), "Hohe Straße 40, …. Oh Moment, nein – …" as a question. The address
is what the customer came to give (held-out persona run 6, d11):

- while the address form asks for the address, such a message is the answer (`inform`: the form
  takes it, bot/dialogue/address_fix.py reads the last-named parts);
- outside a form, a message with an address that asks for a change (address words, a move) or
  comes while an address change is the customer's task starts the change again (`change_address`:
  the form reads the address and asks the confirmation - nothing is changed without a yes).

A request to take the change back, a person, a correction at the confirmation (bot/dialogue/yes_no.py)
and another request the classifier found keep their reading. Plain dicts in; no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue import pending as p
from bot.dialogue.address_fix import said_address
from bot.dialogue.yes_no import CONFIDENCE, reread, withdraws

FORM = "address_form"
SLOT = "new_address"
CHANGE = "change_address"
ANSWER = "inform"
MAX_READ = 4000  # characters read for the address (a long letter still fits)
# Readings that already say what the message is for.
_KEEP_IN_FORM = frozenset({"stop", "request_human", CHANGE, ANSWER})
_KEEP = frozenset({"request_human", "correct"}) | p.TASK_INTENTS
# "neue Adresse", "Adresse ändern", "change the address", "mia san umzogn", "we moved": a change asked
# for ("Meine Adresse wäre …, liefern Sie dahin?" alone is a question).
_ADDRESS_WORD = r"(?:(?:liefer)?adress\w*|anschrift\w*|address\w*)"
_CHANGE_WORD = r"(?:ändern|aendern|ändan|änder\w*|wechseln|korrigier\w*|change|update)"
_ASKS_CHANGE = re.compile(
    rf"(?i)\b(?:neue[nrs]?\s+{_ADDRESS_WORD}|new\s+(?:delivery\s+|shipping\s+)?address|"
    rf"{_ADDRESS_WORD}\b[^.!?]{{0,40}}\b{_CHANGE_WORD}|{_CHANGE_WORD}\b[^.!?]{{0,40}}\b{_ADDRESS_WORD}|"
    r"umgezogen|umzogn|ziehen\s+um|ziehe\s+um|umziehen|moved|moving)\b"
)


def read_address_given(
    parse: Dict[str, Any],
    active_loop: str | None,
    requested_slot: str | None,
    events: List[Dict[str, Any]],
) -> Dict[str, Any]:
    """The parse read as the address answer or an address change when the message gives a full
    address (see the module docstring); else unchanged. `events` are the tracker's recent events
    as dicts, the new message not among them."""
    text = str(parse.get("text") or "")[:MAX_READ]
    intent = (parse.get("intent") or {}).get("name")
    if said_address(text) is None or withdraws(text, p.CONFIRM_ADDRESS):
        return parse
    if active_loop == FORM and requested_slot == SLOT:
        if intent in _KEEP_IN_FORM:
            return parse
        return reread(parse, {"name": ANSWER, "confidence": CONFIDENCE}, {"read_as": intent})
    if active_loop or intent in _KEEP:
        return parse
    if p.pending([*events, {"event": "user"}]) == p.CONFIRM_ADDRESS:
        return parse  # the confirmation reads it as a correction (bot/dialogue/yes_no.py)
    if intent == "stop" and not _ASKS_CHANGE.search(text):
        return parse
    if not (_ASKS_CHANGE.search(text) or p.current_task(events) == CHANGE):
        return parse
    return reread(parse, {"name": CHANGE, "confidence": CONFIDENCE}, {"read_as": intent})
