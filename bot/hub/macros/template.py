"""The variables a macro may use, checked when it is saved and filled when it is applied.

`{customer_name}`, `{order}`, `{team}`, `{agent}`; `{{` and `}}` are literal braces. Anything else in
braces is refused at save time (422 unknown_variable), so an agent never sends "{kundenname}" to a
customer. PATTERN says the same for the OpenAPI document (a body valid by the schema is accepted).
"""

from __future__ import annotations

import string
from typing import List, Mapping, Tuple

from bot.hub.errors import InvalidInput

VARIABLES = ("customer_name", "order", "team", "agent")
_WS = r"[\s\x1c-\x1f\x85\ufeff]"
_PLACEHOLDER = r"\{(?:" + "|".join(VARIABLES) + r")\}"
_ANY = r"(?:[^{}]|\{\{|\}\}|" + _PLACEHOLDER + ")"
_NON_BLANK = r"(?:[^\s\x1c-\x1f\x85\ufeff{}]|\{\{|\}\}|" + _PLACEHOLDER + ")"
# at least one non-blank character, braces only as known variables or doubled (ECMA-262 and Python alike)
PATTERN = "^" + _WS + "*" + _NON_BLANK + _ANY + "*$"


def variables_in(text: str, label: str = "text") -> List[str]:
    """The variables `text` uses, in order; InvalidInput for an unknown one or a stray brace."""
    found: List[str] = []
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise InvalidInput(
            "invalid_template",
            f"'{label}': eine geschweifte Klammer steht allein. Variablen schreiben Sie als "
            "{customer_name}, eine Klammer selbst als {{ oder }}.",
        ) from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in VARIABLES or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise InvalidInput(
                "unknown_variable",
                f"'{label}': die Variable {shown} gibt es nicht. Möglich sind "
                + ", ".join("{" + v + "}" for v in VARIABLES)
                + ".",
            )
        found.append(name)
    return found


def render(text: str, values: Mapping[str, str | None]) -> Tuple[str, List[str]]:
    """The text with its variables filled, and the variables that have no value here (left empty)."""
    names = variables_in(text)
    missing = [n for n in dict.fromkeys(names) if not values.get(n)]
    filled = text.format(**{n: values.get(n) or "" for n in VARIABLES})
    return filled, missing
