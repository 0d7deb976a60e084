"""Which aspect of a product or an order a question asks about, and whether a passage speaks of it.

The help pages are searched by meaning and words, and the product a question names pulls in that
product's page even when the page says nothing about what is asked: "Und das Gewicht?" about a tent
got "wählen Sie eine Person mehr", drying boots on the heater got "try new shoes on carpet", paying
in 30 days got the 30-day return right of click & collect (held-out run 6, d09/d14/d18); washing a
softshell got the between-sizes quote, a tent's care nothing (run 7, d13/d29). A question
that asks about one of these aspects is only answered by a passage that names the aspect; otherwise
the customer hears honestly that the pages do not say it, and gets a person (actions/knowledge.py).
Each aspect has the words a customer asks with (German and English) and the words a German page
answers with; the label names it in the honest reply ("nach dem Gewicht", "about the weight").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Aspect:
    name: str
    asked: re.Pattern[str]  # the customer's words for it
    answered: re.Pattern[str]  # a German passage's words for it
    german: str  # "nach {german}" in the honest reply
    english: str  # "about {english}"
    search: str  # the pages' words for it, added to a second search when no passage names it
    # whether a page whose title names it answers it in every passage: all of a care page is care
    page_wide: bool = False


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ASPECTS = (
    Aspect(
        "weight",
        _words(
            r"\bgewicht\w*|\bwie\s+schwer\b|\bwiegt\b|\bwiegen\s+(?:die|der|das|sie|es)\b|"
            r"\bweigh\w*|\bweight\b|\bhow\s+heavy\b"
        ),
        _words(
            r"gewicht|\bwieg\w*|\bschwer(?:er|e[nrs]?)?\b|\bleichter\b|ultraleicht|"
            r"\d\s*(?:g|kg|gramm)\b"
        ),
        "dem Gewicht",
        "the weight",
        "Gewicht",
    ),
    Aspect(
        "drying",
        _words(
            r"\btrockn\w*|\bheizung\w*|\bheizk(?:ö|oe)rper\w*|\bf(?:ö|oe)hn\w*|\bdrying\b|"
            r"\b(?:to|and|then)\s+dry\b|\bdry\s+(?:it|them|my|the|out)\b|\bheaters?\b|"
            r"\bradiators?\b|\btumble\b"
        ),
        _words(r"trockn|heizung|heizk(?:ö|oe)rper|f(?:ö|oe)hn"),
        "dem Trocknen",
        "drying",
        "trocknen",
    ),
    # washing and care (held-out run 7, d13/d14/d29): "geht die softshell in die maschine?" got the
    # between-sizes quote, "wie pflege ich das zelt?" nothing though the tent-care page says it
    Aspect(
        "washing",
        _words(
            r"\bwasch\w*|\bwäsche\b|\b(?:in\s+die|in\s+der)\s+(?:wasch)?maschine\b|"
            r"\bwash\w*|\blaundry\b|\bmachine[\s-]+wash\w*"
        ),
        _words(r"wasch|wäsche|maschine"),
        "dem Waschen",
        "washing",
        "waschen Waschmaschine",
    ),
    Aspect(
        "care",
        _words(
            r"\bpfleg\w*|\bpflege\w*|\breinig\w*|\bsauber\s*(?:mach\w*|kriegen|bekommen)|\bputz\w*|"
            r"\bcare\s+(?:for|of)\b|\bclean\w*|\bmaintain\w*"
        ),
        _words(r"pfleg|reinig|sauber|schmutz|wasch|wäsche|trockn|lager"),
        "der Pflege",
        "care",
        "Pflege reinigen",
        page_wide=True,
    ),
    Aspect(
        "storage",
        _words(
            r"(?<!auf\s)\blager(?:e|n|st|t|ung)?\b|\baufbewahr\w*|\bbewahr\w*\b[^.?!]{0,40}\bauf\b|"
            r"\bstor(?:e|age|ing)\b"
        ),
        _words(r"lager|aufbewahr"),
        "dem Lagern",
        "storage",
        "lagern",
    ),
    Aspect(
        "pay_later",
        _words(
            r"\bsp(?:ä|ae)ter\s+(?:\w+\s+){0,2}(?:be)?zahl\w*|\b(?:be)?zahl\w*\s+(?:\w+\s+){0,3}"
            r"sp(?:ä|ae)ter\b|\braten(?:kauf|zahlung\w*|weise)\b|\bin\s+raten\b|\bfinanzier\w*|"
            r"\bpay\s+(?:\w+\s+)?later\b|\binstal?l?ments?\b|\bpay\s+in\s+\d+\s+days\b"
        ),
        _words(r"zahl|rechnung|klarna|\braten"),
        "dem späteren Bezahlen",
        "paying later",
        "später bezahlen Rechnung",
    ),
    Aspect(
        "refusal",
        _words(
            r"\bnicht\s+an(?:nehmen|zunehmen|genommen)\b|\bannahme\s+verweiger\w*|"
            r"\b(?:paket|sendung|lieferung|zusteller|boten?)\b.{0,40}\bverweiger\w*|"
            r"\bverweiger\w*\b.{0,40}\b(?:paket|sendung|lieferung)\b|"
            r"\brefus\w*\s+(?:the\s+|to\s+accept\s+the\s+)?(?:parcel|package|delivery)\b"
        ),
        # the refusal of a delivery, not "Nicht annehmen können wir Unterwäsche" (second hand)
        _words(
            r"\bannahme\b|verweiger|nicht\s+an(?:nehmen|genommen)\b[^.]{0,60}\b(?:paket|sendung)"
        ),
        "dem Verweigern der Annahme",
        "refusing the parcel",
        "Annahme verweigern",
    ),
)


def asked_aspects(text: str) -> list[Aspect]:
    """The aspects a question asks about, in ASPECTS order."""
    return [aspect for aspect in ASPECTS if aspect.asked.search(text or "")]


def unanswered_aspect(question: str, passage: str, title: str = "") -> Aspect | None:
    """The first aspect the question asks about that the passage does not name (nor, for a
    page-wide aspect, the `title` of its page), else None (also when the question asks about none)."""
    return next(
        (
            a
            for a in asked_aspects(question)
            if not a.answered.search(passage or "")
            and not (a.page_wide and a.answered.search(title or ""))
        ),
        None,
    )
