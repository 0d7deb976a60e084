"""The conversation corpus (tests/conversations, issue 22) through the real stack, against its targets.

Every conversation is played as a new web-chat customer on a freshly seeded demo shop; each turn
is checked as tests/integration/corpus.py describes, and an audit lists what each conversation
created in the shop and the hub. The report (the figures, every failing turn with the bot's
reply, the audit) is printed and written to var/conversation-corpus.txt; `make
bench-conversations` prints the same table without asserting. The issue's targets (at least
90 % of the conversations pass every turn, no unconfirmed record, no duplicate case, no "Worum
geht es?" after a request was stated) are printed next to the figures; the test fails when the
product falls below the measured floor (FLOOR).
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.integration import corpus

pytestmark = pytest.mark.stack

REPORT = corpus.ROOT / "var" / "conversation-corpus.txt"

# The issue's targets are at least 90 % of the conversations, no unconfirmed record, no duplicate and
# no menu after a request. The last full runs measured 387 of 387 and 390 of 390 conversations, 0, 0 and 0
# (docs/developer/benchmarks.md). This test holds the product at that level (a ratchet: raise these as
# the dialogue improves, never lower them). Emotion lines are picked at random, so a few
# conversations can differ between runs: the floor sits a little below the measured figure.
FLOOR = {
    "conversations_passed": 360,
    "unconfirmed": 0,
    "duplicates": 0,
    "menu_after_request": 0,
}


def test_the_corpus_is_as_large_and_varied_as_the_issue_asks() -> None:
    conversations = corpus.load()
    turns = [t for c in conversations for t in c["turns"]]
    assert len(conversations) >= 80
    assert sum("user" in t for t in turns) >= 400, "at least 400 written customer turns"
    registers = {c.get("register", "sie") for c in conversations}
    assert {"sie", "du", "en"} <= registers
    moods = {t.get("mood", c.get("mood", "neutral")) for c in conversations for t in c["turns"]}
    assert corpus.MOODS <= moods


def test_a_malformed_conversation_is_refused_before_anything_is_played() -> None:
    base = {"name": "x", "source": "test", "turns": [{"user": "Hallo", "expect": ["Hallo"]}]}
    corpus.validate(base)
    with pytest.raises(corpus.CorpusError, match="neither"):
        corpus.validate({**base, "turns": [{"user": "Hallo"}]})
    with pytest.raises(corpus.CorpusError, match="confirmed by a yes"):
        corpus.validate(
            {
                **base,
                "turns": [
                    {
                        "user": "Ich will zurückschicken",
                        "expect": ["x"],
                        "creates": ["return 100235"],
                    }
                ],
            }
        )
    with pytest.raises(corpus.CorpusError, match="unknown record kind"):
        corpus.validate({**base, "turns": [{"tap": "Ja", "expect": ["x"], "creates": ["voucher"]}]})


def test_register_slips_are_seen_and_echoes_are_not() -> None:
    assert corpus.register_slip("Wie lautet deine Bestellnummer?", "sie")
    assert corpus.register_slip("Danke! Mit welcher E-Mail-Adresse haben Sie bestellt?", "du")
    assert corpus.register_slip("Deine Bestellung ist unterwegs. Hat Ihnen das geholfen?", "du")
    assert not corpus.register_slip(
        "Das ist keine Bestellnummer: Sie hat sechs Ziffern. Du findest sie oben.", "du"
    )
    assert corpus.register_slip("Ihre Bestellung 100234 ist unterwegs.", "en")
    assert not corpus.register_slip("Your order 100234 is on its way with DHL.", "en")
    echoed = corpus.without_echo("Verstanden: „hab ich dir doch geschrieben“ – notiert.", [])
    assert not corpus.register_slip(echoed, "sie")


async def test_the_corpus_meets_the_targets_on_the_real_stack(stack) -> None:
    corpus.nobody_online(stack.env)
    results = await corpus.run_corpus(stack.env, stack.hub_url, stack.rasa_url, corpus.load())
    text = corpus.report(results)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text + "\n", encoding="utf-8")
    REPORT.with_suffix(".json").write_text(
        json.dumps(
            {
                "summary": corpus.summary(results),
                "conversations": [dataclasses.asdict(r) for r in results],
            },
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    print(text)
    s = corpus.summary(results)
    print(corpus_targets_table(s))
    below_floor = [
        f"{s[key]} {key} (floor {FLOOR[key]})"
        for key in FLOOR
        if (s[key] < FLOOR[key] if key == "conversations_passed" else s[key] > FLOOR[key])
    ]
    assert not below_floor, "; ".join(below_floor) + f" (the report above, also in {REPORT})"


def corpus_targets_table(s: dict) -> str:
    """The issue's targets next to the measured figures and the floor this test holds."""
    rows = [
        (
            "conversations passing every turn",
            s["conversations_passed"],
            "≥ 90 %",
            "conversations_passed",
        ),
        ("unconfirmed records", s["unconfirmed"], "0", "unconfirmed"),
        ("duplicate cases", s["duplicates"], "0", "duplicates"),
        ("'Worum geht es?' after a request", s["menu_after_request"], "0", "menu_after_request"),
    ]
    lines = ["| measure | now | issue target | floor |", "|---|---|---|---|"]
    lines += [f"| {name} | {now} | {target} | {FLOOR[key]} |" for name, now, target, key in rows]
    return "\n".join(lines)
