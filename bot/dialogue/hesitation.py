"""A request taken back half-way by a question: "Dann storniere ich eben … oder wart – käme das Zelt
dann noch bis Freitag?" (held-out persona run 4, d06).

Read as a whole such a message is the request it starts with (a cancellation; with an item named, a
partial one the team has to do). But the customer stops before deciding and asks what the request
would mean: the question is answered and nothing is changed - the decision is still open. Plain
strings in; no Rasa import.
"""

from __future__ import annotations

import re

# Something said first (the request), then "oder wart(e)", "(ach) halt", "Moment", "hold on", a
# break (dash, comma, full stop …) and a question at the end.
_HESITATION = re.compile(
    r"(?is)^(?P<before>.*\w.*?)[\s,.;:!…]+(?:oder\s+|ach\s+|nee?\s+|nein\s+|or\s+|oh\s+)?"
    r"(?:wart(?:e|et|'?s)?|moment(?:\s+mal)?|halt|stopp?|hold\s+on|wait)(?:\s+(?:mal|kurz|a\s+sec(?:ond)?|"
    r"a\s+minute))?\s*[-–—,.;:!…]+\s*(?P<question>[^?]*\w[^?]*\?)\s*$"
)
# A question that still asks for the request itself ("… oder wart, kann ich dann noch stornieren?")
# is no hesitation about it.
_ASKS_FOR_IT = re.compile(r"(?i)storn|cancel")


def hesitant_question(text: str) -> str | None:
    """The question a request is interrupted by ("käme das Zelt dann noch bis Freitag?"), or None
    when the message does not stop itself with a question."""
    found = _HESITATION.match((text or "").strip())
    if found is None:
        return None
    question = found.group("question").strip()
    if _ASKS_FOR_IT.search(question):
        return None
    return question
