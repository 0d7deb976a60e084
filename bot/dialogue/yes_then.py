"""A yes to a pending confirmation with a person asked for after it (issue 22, held-out run 8 e05).

"Ja, bitte anlegen. Und geben Sie die Frage mit der Karte an einen Kollegen weiter" answers the
return's summary AND asks for a colleague. The escalation policy hears the colleague and hands over,
so the yes was lost: no return, and the customer had to ask for it again. This module tells when the
message opens with a plain yes to the change and the person comes only after it; actions/handoff.py
then makes the change first (its reference said) and hands over after it.

Plain strings in, so the policy side, the actions and their tests agree.
"""

from __future__ import annotations

import re

from bot.dialogue import pending as p
from bot.dialogue.human_request import asks_for_person
from bot.dialogue.yes_no import opens_with_yes

# Confirmations of a change in the shop whose yes is done before the handoff (not the offers, which
# start a form and would be cut off by the handoff at once).
CONFIRMED_FIRST = frozenset({p.CONFIRM_CASE, p.CONFIRM_CANCEL, p.CONFIRM_ADDRESS})
# Where the yes ends: a sentence end, or "und"/"and" joining the next wish.
_YES_ENDS = re.compile(r"(?i)[.!?;]+\s*|\s+(?:und|and|außerdem|ausserdem|also)\s+")
# A yes that turns or is denied is no plain yes ("ja, aber verbinden Sie mich erst").
_TURNS = re.compile(
    r"(?i)\b(?:aber|sondern|statt|stattdessen|lieber|jedoch|allerdings|nicht|kein\w*|but|instead|not)\b"
)


def yes_part(text: str) -> str:
    """The words up to the end of the opening clause ("Ja, bitte anlegen" of "Ja, bitte anlegen. Und …")."""
    text = (text or "").strip()
    found = _YES_ENDS.search(text)
    return text[: found.start()] if found else text


def plain_yes_first(text: str, question: str | None) -> bool:
    """Whether the message opens with a plain yes to the pending change `question` (a
    bot.dialogue.pending kind): no turn, no denial and no person inside the yes itself."""
    text = (text or "").strip()
    if question not in CONFIRMED_FIRST or not opens_with_yes(text):
        return False
    head = yes_part(text)
    return not (_TURNS.search(head) or asks_for_person(head))


def yes_then_person(text: str, question: str | None) -> bool:
    """Whether the message confirms the pending change `question` with a plain yes and asks for a
    person only after it: both are done, the change first."""
    if not plain_yes_first(text, question):
        return False  # "Ja, aber …", "Ja, verbinden Sie mich": no plain yes to the change
    text = (text or "").strip()
    return asks_for_person(text[len(yes_part(text)) :])
