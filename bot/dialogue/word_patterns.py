"""Regular-expression pieces for words several readers of bot/dialogue need, each written once.

Plain pattern strings (no flags, no groups that capture) for a reader to put into its own pattern
next to its own words. This module imports nothing of bot.dialogue, so any module there may use it
without an import cycle (yes_no imports case_kind, so case_kind cannot import yes_no).
"""

from __future__ import annotations

# A request taken back: "vergiss es", "vergessen Sie das", "doch (lieber) nicht", "forget it". What is
# taken back is the reader's part: a change (bot/dialogue/yes_no.py), a cancellation
# (bot/dialogue/case_kind.py).
TAKEN_BACK = (
    r"\bvergiss\s+(?:es|das)\b|\bvergessen\s+sie\s+(?:es|das)\b|\bdoch\s+(?:lieber\s+)?nicht\b|"
    r"\bforget\s+it\b"
)

# A polite no that thanks: "ok, danke trotzdem", "passt schon, danke", "thanks anyway". "trotzdem" alone
# is no decline ("ich möchte trotzdem mit jemandem sprechen" still asks for a person).
THANKS_ANYWAY = (
    r"\bdanke\s+trotzdem\b|\btrotzdem\s+danke\b|\bpasst\s+schon\b|\bschon\s+gut\b|"
    r"\bthanks?\s+(?:you\s+)?anyway\b"
)

# Only an okay and a thank-you: "Okay, danke.", "alles klar, vielen Dank", "ok thanks". To an offer of
# a person it acknowledges the answer and closes; it is no yes (a yes says "ja"/"gern"/"bitte").
OK_THANKS = (
    r"^\W*(?:ok(?:ay|ey)?|alles\s+klar|gut|prima|super|verstanden|alright|all\s+right|got\s+it)"
    r"[\s,.!]*(?:danke(?:\s*sch(?:ö|oe)n)?|vielen\s+dank|merci|thanks?(?:\s+you)?|thx|ty)\W*$"
)


# A refusal in dialect: Austrian/Bavarian "ka"/"koa"/"kane" and Swiss "kei"/"keis" (no, none), and
# a "Na," / "Naa!" that opens with a no ("Na, ka Kundenservice", held-out run 8, e06). "Na klar",
# "na gut" are yeses: the opener counts only with a mark after it.
DIALECT_NONE = r"(?:ka|koa|koan|koane|kane|kei|keis|keini)"
DIALECT_NO = rf"\b{DIALECT_NONE}\b|(?:^|[.!?]\s*)na+\s*[,!.]"
