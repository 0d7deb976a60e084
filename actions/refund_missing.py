"""What if the refund does not come (held-out persona run 4, d24).

"Und wenn nach 5 Tagen nix da ist?" right after the bot told a refund got the delivered-parcel
checklist (read as an order question) or the refund sentence again. It asks for the next step when
the money does not arrive: check the account or card statement, then write again and a colleague
from accounts checks the transfer (company.yml notice refund_if_missing), with the team's answer
time when a request is already open.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.common import facts, register

# "wenn nach 5 Tagen nix da ist", "falls die Erstattung nicht auf meiner Karte ist"
MONEY_MISSING = re.compile(
    r"(?i)\b(?:wenn|falls)\b.{0,50}?\b(?:nix|nichts|nicht|kein\w*)\s+(?:\w+\s+){0,2}?"
    r"(?:da|an|angekommen|gekommen|eingegangen|gebucht|drauf|(?:auf|in)\s+(?:meinem|meiner|dem|der|"
    r"mein|meine)\s+(?:konto|karte|kreditkarte|abrechnung|kontoauszug))\b"
)
MONEY_NOUNS = re.compile(
    r"(?i)\b(?:geld|betrag|erstattung|gutschrift|konto|karte|kreditkarte|abrechnung|kontoauszug)\b"
)
# The money itself named, also in dialect or as an amount: "wo is mei Göld?", "de 79,90 Euro",
# "Hob i mei Göld scho zruck?", "die Rückzohlung", "where is my money?" (held-out run 7, d06)
NAMES_MONEY = re.compile(
    r"(?i)\bg(?:e|ö|oe)ld\w*|\bkohle\b|r(?:ü|ue|u)ckz(?:a|o)hlung|\berstatt\w*|\bgutschrift\b|"
    r"\bbetrag\b|\brefund\w*|\bmoney\b|\d+(?:,\d{2})?\s*(?:€|eur\b|euro)"
)
# about a parcel, not the money: "und wenn das Paket morgen nicht da ist?"
PARCEL_NOUNS = re.compile(r"(?i)\b(?:paket|p(?:ä|ae)ckchen|sendung|lieferung|ware)\b")
# "ich mein das Geld, nicht das Paket": a parcel named only to say it is not meant
NOT_MEANT = re.compile(r"(?i)\bnicht\s+(?:das|die|den|der|um\s+das|um\s+die)\s+\w+")


def refund_told_before(tracker: Tracker) -> bool:
    """Whether the bot's answer to the previous message spoke of a refund."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    before = events[users[-2] + 1 : users[-1]] if len(users) >= 2 else []
    return any(
        e.get("event") == "bot" and re.search(r"(?i)erstatt", str(e.get("text") or ""))
        for e in before
    )


def asks_money_missing(tracker: Tracker, text: str) -> bool:
    """What if the money does not come: the money named, or a refund told just before."""
    if not MONEY_MISSING.search(text or "") or PARCEL_NOUNS.search(NOT_MEANT.sub("", text or "")):
        return False
    return bool(MONEY_NOUNS.search(text)) or refund_told_before(tracker)


def told_note(order_id: str) -> str:
    """The bot_actions note that an order's refund (its payment state) was told."""
    return f"Erstattung zu {order_id} genannt"


def refund_told(order_id: str, tracker: Tracker) -> bool:
    """Whether this order's refund was already told in this conversation (as its payment state, with
    its status or with "bereits storniert")."""
    done = [str(d) for d in tracker.get_slot("bot_actions") or []]
    return any(d.startswith(f"Zahlungsstatus {order_id}") or told_note(order_id) in d for d in done)


def names_money(text: str) -> bool:
    """Whether the customer speaks of the money (not only of the order)."""
    return bool(NAMES_MONEY.search(text or ""))


# The money said to be missing or waited for, not only asked about: "is no ned do", "i siech ka
# Göld", "wo bleibt mein Geld", "where is my money", "still waiting for the refund"
MISSING_CUES = re.compile(
    r"(?i)\b(?:wart\w*|wo\s+(?:is|ist|bleibt|bleiben)|nix|nichts|ned|nicht|kein\w*|ka|"
    r"where|wait\w*|not|no|never)\b|n't\b"
)


def misses_money(text: str) -> bool:
    """Whether the customer says the money is not there yet (then: what to do if it has not come)."""
    return names_money(text) and bool(MISSING_CUES.search(text or ""))


def money_missing_text(tracker: Tracker) -> str:
    """The next step when the refund has not come, with the team's answer time when a request is open."""
    from actions import open_request

    text = str(facts().notice("refund_if_missing", register(tracker)))
    if any(e.get("event") == "bot" and text in str(e.get("text") or "") for e in tracker.events):
        # asked again: who takes it and how to reach them now, not the same paragraph
        text = str(facts().notice("refund_if_missing_again", register(tracker)))
    ticket = tracker.get_slot(open_request.TICKET)
    return text + (" " + open_request.when_text(tracker, str(ticket)) if ticket else "")
