"""docs/operator/shops.md: the feature table says what each backend declares."""

from __future__ import annotations

import importlib

from bot.shop.registry import BACKENDS
from tests.conftest import ROOT


def test_the_feature_table_matches_the_declared_capabilities() -> None:
    text = (ROOT / "docs" / "operator" / "shops.md").read_text(encoding="utf-8")
    lines = text.split("## What each backend can do", 1)[1].splitlines()
    block = []
    for line in lines[1:] if not lines[0].startswith("|") else lines:
        if line.startswith("|"):
            block.append(line)
        elif block:
            break
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")] for line in block if "---" not in line
    ]
    header = rows[0]
    table = {row[0]: dict(zip(header[1:], row[1:])) for row in rows[1:]}
    assert set(header[1:]) == set(BACKENDS), "one column per registered backend"
    for name, target in BACKENDS.items():
        module, _, cls = target.partition(":")
        declared = {c.value for c in getattr(importlib.import_module(module), cls).capabilities}
        documented = {feature for feature, cells in table.items() if cells[name] == "yes"}
        assert documented == declared, name
