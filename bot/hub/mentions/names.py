"""Which agents a note names: `@` then an agent's full name, or their first name when no other
active agent has it ("@Eva", "@Birgit Maier"); case and umlaut spelling as typed. An address such
as eva@shop.de names nobody (the `@` must start a word)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, List, Set, Tuple

Person = Tuple[int, str]  # agent id, name


def handles(people: Iterable[Person]) -> List[Tuple[str, int]]:
    """(lower-cased handle, agent id), longest first: full names, and first names that are unique."""
    people = list(people)
    firsts = Counter(name.split()[0].casefold() for _id, name in people if name.split())
    out = []
    for agent_id, name in people:
        full = " ".join(name.split()).casefold()
        if full:
            out.append((full, agent_id))
        parts = name.split()
        if len(parts) > 1 and firsts[parts[0].casefold()] == 1:
            out.append((parts[0].casefold(), agent_id))
    return sorted(out, key=lambda h: -len(h[0]))


def mentioned(text: str, people: Iterable[Person]) -> Set[int]:
    known = handles(people)
    found: Set[int] = set()
    for match in re.finditer(r"(?:(?<=\s)|^|(?<=[(\[,;:]))@", text):
        after = text[match.end() : match.end() + 160]
        if not after[:1] or after[:1].isspace():
            continue
        rest = " ".join(after.split()).casefold()  # "@Birgit\nMaier" names Birgit Maier too
        for handle, agent_id in known:
            if rest.startswith(handle) and not rest[len(handle) : len(handle) + 1].isalnum():
                found.add(agent_id)
                break
    return found
