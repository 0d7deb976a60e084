"""How a setting is declared, read from the environment and documented.

Each `KD_*` variable is declared once (bot.shared.config): its default, type and
meaning. The hub's `Settings`, the actions' settings and the configuration page
all derive from that one line, so code and documentation cannot drift apart.
Pure Python: both environments import it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, List, Mapping, Tuple

ROOT = Path(__file__).resolve().parents[2]  # the project directory (editable install)
TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Kind:
    """A setting's type: its name in the docs, how the variable's text is parsed, the Python type."""

    name: str
    parse: Callable[[str], Any]
    python: Any
    empty_is_default: bool = False  # an empty value means unset: a number or a path cannot be empty


def _rate(text: str) -> Tuple[int, float]:
    count, _, seconds = text.partition("/")
    return int(count), float(seconds or 60)


TEXT = Kind("text", str, str)
URL = Kind("URL", str, str)
BASE_URL = Kind("URL", lambda v: v.rstrip("/"), str)  # joined with paths: no trailing slash
CHOICE = Kind("choice", lambda v: v.strip().lower(), str)
INT = Kind("integer", int, int, True)
AT_LEAST_ONE = Kind("integer", lambda v: max(1, int(v)), int, True)
FLOAT = Kind("number", float, float, True)
OPTIONAL_FLOAT = Kind("number", lambda v: float(v) if v.strip() else None, float | None)
MEGABYTES = Kind("megabytes", lambda v: int(float(v) * 1024 * 1024), int, True)  # read as bytes
BOOL = Kind("boolean", lambda v: v.strip().lower() in TRUE, bool)
LIST = Kind("list", lambda v: [p.strip() for p in v.split(",") if p.strip()], List[str])
RATE = Kind("rate", _rate, Tuple[int, float], True)
PATH = Kind("path", Path, Path, True)
OPTIONAL_PATH = Kind("path", lambda v: Path(v) if v else None, Path | None)


@dataclass(frozen=True)
class Setting:
    """One environment variable. `default` is written as the variable would be; {root}: the project."""

    env: str
    name: str  # the attribute it becomes (hub Settings field, channel field, actions constant)
    default: str
    kind: Kind
    meaning: str
    also: str = ""  # processes that read it besides those of its group
    shown: str = ""  # the default as documented, when the reader computes it at start-up

    def read(self, environ: Mapping[str, str] | None = None) -> Any:
        """The typed value from the environment (os.environ unless given), else the default."""
        text = (os.environ if environ is None else environ).get(self.env)
        if text is None or (text == "" and self.kind.empty_is_default):
            text = self.default.replace("{root}", str(ROOT))
        return self.kind.parse(text)

    @property
    def value(self) -> Any:
        """The typed default."""
        return self.read({})

    def field(self) -> Any:
        """A dataclass field with this default (a fresh list each time for lists)."""
        value = self.value
        if isinstance(value, list):
            return dataclasses.field(default_factory=lambda: list(value))
        return dataclasses.field(default=value)


@dataclass(frozen=True)
class Group:
    """Settings read by the same processes, one table on the configuration page."""

    title: str
    readers: str
    settings: Tuple[Setting, ...]
