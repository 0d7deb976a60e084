"""The canned replies of company.yml (`canned_replies`, `text` in Sie, `du`) become shared macros.

Imported when the hub starts, each once (source_key 'canned:<title>'): agents may then edit or delete
them in the console like any macro; a deleted one is not imported again, and company.yml stays the
place for a new installation's starting set.
"""

from __future__ import annotations

import logging
from typing import Any, List, Sequence

from bot.hub.macros.template import variables_in
from bot.hub.store.models import Macro
from bot.shared.company import Company

log = logging.getLogger(__name__)


def canned_macros(company: Company) -> List[Macro]:
    items: Sequence[Any] = company.raw.get("canned_replies") or []
    macros: List[Macro] = []
    for item in items:
        if not isinstance(item, dict) or not item.get("title") or not item.get("text"):
            continue
        title, text, du = str(item["title"]), str(item["text"]), item.get("du")
        try:
            variables_in(text)
            if du:
                variables_in(str(du))
        except Exception:  # noqa: BLE001 - a brace in an old canned reply: kept literally
            text = text.replace("{", "{{").replace("}", "}}")
            du = str(du).replace("{", "{{").replace("}", "}}") if du else None
        macros.append(
            Macro(
                title=title[:120],
                text=text,
                text_du=str(du) if du else None,
                tags=[],
                source_key=f"canned:{title}"[:160],
            )
        )
    return macros
