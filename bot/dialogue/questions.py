"""Is a message a general question, or a report about the customer's own order?

"Wie bekomme ich mein Zelt wieder wasserdicht? Das Außenzelt lässt Wasser durch" reads as a
complaint to the intent classifier (a product, a fault), yet it asks how to do something, and the
shop's care pages answer it. A complaint goes to the help pages first only when it asks (a question
mark or a question word) and says nothing that ties it to an order or a fault on arrival: no order
number, nothing ordered, delivered, new or broken, no wish to complain or send back. Everything else
stays a complaint, so a customer with a torn tent still reaches the complaint form.
Works on the plain text, like bot.dialogue.empathy.
"""

from __future__ import annotations

import re

_QUESTION = re.compile(
    r"\?|^\s*(wie|was|wo|wann|warum|wieso|weshalb|welche\w*|womit|wodurch|darf|dürfen|duerfen|"
    r"kann|können|koennen|soll|sollte|muss|müssen|muessen|gibt es|habt ihr|haben sie|ist es)\b",
    re.IGNORECASE,
)
_ORDER_OR_FAULT = re.compile(
    r"\d{5,}|\b(bestell\w*|geliefert|lieferung|angekommen|erhalten|bekommen habe|gekauft|neu|neue[nmrs]?|"
    r"reklam\w*|beschwer\w*|zurück\w*|zurueck\w*|umtausch\w*|erstatt\w*|geld|ersatz|garantie|"
    r"kaputt\w*|defekt\w*|beschädigt\w*|beschaedigt\w*|riss|rissen|gerissen|loch|löcher|"
    r"zerbrochen|zerrissen|mangel\w*|mängel\w*|falsch\w*|fehlt|funktioniert nicht|geht nicht mehr)\b",
    re.IGNORECASE,
)


def asks_a_question(text: str) -> bool:
    """A question mark anywhere, or a sentence opening with a question word or verb."""
    return any(_QUESTION.search(part) for part in re.split(r"(?<=[.!?])\s+", text or ""))


def general_question(text: str) -> bool:
    """A how-to question about a product that names no order and no fault on arrival."""
    return (
        not (text or "").startswith("/")  # a tapped "Problem mit Artikel" is the complaint itself
        and asks_a_question(text)
        and not _ORDER_OR_FAULT.search(text or "")
    )
