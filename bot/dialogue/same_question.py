"""Clauses that only go on with the question before them, so they never get a second answer.

A message like "Die Frist läuft ab wann? Ab Versand oder ab Zustellung?" or "Hängt es beim Zoll?
Muss ich da etwas zahlen?" is one question in two sentences. Read on its own, the second sentence
looks like a FAQ question ("Versand" -> shipping costs, "zahlen" -> payment methods) and used to get
a stock block under "Zu Ihrer zweiten Frage" that nobody asked for (held-out run 8, e04 t2, e09 t5).
Both the classifier's list of other requests (bot/rasa_plugins/clauses.py) and the help-page search
for unanswered questions (actions/second_request.py) skip such clauses.
"""

from __future__ import annotations

import re

_PREPOSITION = (
    r"(?:ab|bis|vor|nach|mit|per|seit|von|vom|zum|zur|am|im|in|an|auf|aus|bei|beim|über|ueber)"
)
# The choices offered for the question before, without a verb: "Ab Versand oder erst ab Zustellung?"
_CHOICES = re.compile(
    rf"^\s*(?:und\s+)?{_PREPOSITION}\s+(?:[\w-]+\s+){{0,3}}?oder\s+(?:erst\s+|schon\s+)?"
    rf"(?:{_PREPOSITION}\s+)?(?:[\w-]+\s*){{1,3}}[?.!]*\s*$",
    re.IGNORECASE,
)
# Whether one pays for what the clause before names, with nothing named itself: "muss ich da etwas
# zahlen?", "kostet das dann extra?"
_PAYS_FOR_IT = re.compile(
    r"^\s*(?:und\s+|aber\s+)?(?:muss|m(?:ü|ue)sste|soll|kostet)\s+(?:ich|man|wir|das|es)\s+"
    r"(?:(?:da|dafür|dafuer|dabei|dort|dann|noch|jetzt)\s+)+(?:(?:noch|etwas|was|nichts|extra)\s+)*"
    r"(?:(?:nach|be|dazu|drauf)?zahlen|extra|etwas|was)?\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def goes_on_with_the_one_before(clause: str) -> bool:
    """Whether the clause only offers choices for, or asks the cost of, the question before it."""
    return bool(_CHOICES.match(clause) or _PAYS_FOR_IT.match(clause))
