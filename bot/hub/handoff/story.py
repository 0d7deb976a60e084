"""The handoff summary in the customer's words (issue 27.2).

Rasa's tracker holds a tapped button as its payload ("/order_status"), so the summary the dialogue
sends names payloads where the customer picked "Wo ist meine Bestellung?". The hub stored both the
button's title and its payload of every tapped button, so before a handoff is queued the payloads in
`request` and `last_messages` become what the customer saw; an e-mail address the customer typed
(not verified against an order, so not in `email`) is kept as `email_given` for the agent to see.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence, Tuple

Json = Dict[str, Any]
EMAIL = re.compile(r"[^\s@<>,;:()]+@[^\s@<>,;:()]+\.[A-Za-z]{2,}")
PICKED = "(Auswahl)"  # a payload whose button title is unknown: never the payload itself


def _is_payload(text: Any) -> bool:
    return isinstance(text, str) and text.startswith("/")


def readable(summary: Json, said: Sequence[Tuple[str | None, str | None]]) -> Json:
    """`said`: the customer's messages in order as (text, payload); text is the button title for a tap."""
    titles: Dict[str, str] = {}
    for text, payload in said:
        if payload and text and not _is_payload(text):
            titles[payload] = text
            titles.setdefault(payload.split("{", 1)[0], text)

    def words(text: Any, fallback: str | None = PICKED) -> Any:
        if not _is_payload(text):
            return text
        return titles.get(text) or titles.get(text.split("{", 1)[0]) or fallback

    out = dict(summary)
    if "request" in out:
        out["request"] = words(out["request"], None)
    messages = out.get("last_messages")
    if isinstance(messages, list):
        out["last_messages"] = [
            {**m, "text": words(m.get("text"))} if isinstance(m, dict) else m for m in messages
        ]
    if not out.get("email"):
        typed: List[str] = [found for text, _ in said if text for found in EMAIL.findall(str(text))]
        if typed:
            out["email_given"] = typed[-1]
    return out
