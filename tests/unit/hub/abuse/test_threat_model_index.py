"""The security table (docs/operator/security.md) and the abuse suite cannot drift apart: every row
names the test modules that prove it, each of them exists, and every abuse module proves a row."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

ROOT = Path(__file__).resolve().parents[4]
TABLE = ROOT / "docs" / "operator" / "security.md"
ABUSE = Path(__file__).resolve().parent
MODULE = re.compile(r"`(tests/[\w/]+\.py)`")


def rows() -> List[Tuple[str, List[str]]]:
    """(asset / attack, [cells]) of each row of the table whose header starts with 'asset / attack'."""
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| asset / attack |"))
    header = [c.strip() for c in lines[start].strip().strip("|").split("|")]
    assert header[-1] == "proved by", header
    found = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        found.append((cells[0], cells))
    return found


def test_every_row_names_existing_test_modules_in_its_proved_by_column():
    table = rows()
    assert len(table) >= 15
    for asset, cells in table:
        named = MODULE.findall(cells[-1]) if len(cells) >= 3 else []
        assert named, f"the row '{asset}' names no test module in its 'proved by' column"
        for path in named:
            assert (ROOT / path).is_file(), f"the row '{asset}' names {path}, which does not exist"


def test_every_abuse_module_proves_a_row():
    named = {path for _, cells in rows() for path in MODULE.findall(cells[-1])}
    for module in sorted(ABUSE.glob("test_*.py")):
        if module.name == Path(__file__).name:
            continue
        path = module.relative_to(ROOT).as_posix()
        assert path in named, (
            f"{path} is named by no row of docs/operator/security.md: add it to the 'proved by' "
            "column of the threat it proves (or a new row for a new threat)"
        )
