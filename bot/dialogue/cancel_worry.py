"""A question whether the order on the table gets cancelled by itself ("Is the order going to be
cancelled on its own if my transfer takes a few days?", "wird sie automatisch storniert, wenn ich
erst Freitag überweise?"), read as the payment question it is (held-out persona run 4, d25).

Without context the classifier reads it as a cancellation (the bot then offered to cancel) or as
nothing sure (an English one got the capabilities text). With a verified order it asks what happens
to that order's payment: actions/orders.py answers with the deadline (company.yml notice
prepayment_no_cancel_yet) and the payment state. Plain parse dicts in and out; no Rasa import.
"""

from __future__ import annotations

from typing import Any, Dict

from bot.dialogue.questions import fears_cancellation
from bot.dialogue.reading import read_as

PAYMENT = "payment_issue"
# Readings such a question gets: the cancellation it names, a help-page question, nothing sure.
REREAD = frozenset({"cancel_order", "faq", "nlu_fallback", "out_of_scope", "product_question"})
CONFIDENCE = 0.9


def read_cancel_worry(parse: Dict[str, Any], verified_order: Any) -> Dict[str, Any]:
    """The parse read as `payment_issue` when it asks whether the verified order is cancelled by
    itself; any other parse (or no verified order) unchanged."""
    intent = (parse.get("intent") or {}).get("name")
    if not verified_order or intent not in REREAD:
        return parse
    if not fears_cancellation(str(parse.get("text") or "")):
        return parse
    out = read_as(parse, PAYMENT, CONFIDENCE, read_as=intent)
    if parse.get("other_requests"):  # the cancellation it asks about is no second request
        out["other_requests"] = [
            r for r in parse["other_requests"] if r.get("intent") != "cancel_order"
        ]
    return out
