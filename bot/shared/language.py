"""Whether a message is English (issue 22, pattern 12): a small offline heuristic on function words.

The NLU is German, but its sentence encoder is multilingual, so "Where is my order 100235?" is already
read as order_status; what was missing is answering in English. A word-list check is enough to tell
English from German in a support chat and needs no model: a message is English when most of its
function words are English ones and at least two are found ("Where is my order?"), so a German
message with one English word ("sorry, wo ist mein Paket?") stays German. Shared by the Rasa
component (the `language` slot) and the register detector (English has no du/Sie).
"""

from __future__ import annotations

import re

ENGLISH = {
    "i",
    "i'm",
    "im",
    "you",
    "your",
    "my",
    "me",
    "is",
    "are",
    "was",
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "for",
    "with",
    "where",
    "what",
    "when",
    "how",
    "why",
    "who",
    "which",
    "can",
    "could",
    "would",
    "will",
    "do",
    "does",
    "did",
    "don't",
    "dont",
    "have",
    "has",
    "it",
    "it's",
    "this",
    "that",
    "there",
    "someone",
    "anyone",
    "speak",
    "english",
    "please",
    "hello",
    "thanks",
    "thank",
    "order",
    "not",
    "yet",
    "still",
    "want",
    "need",
    "return",
    "shipping",
    "refund",
    "help",
    "yes",
    "no",
    "hi",
    "get",
    "item",
    "about",
    "be",
    "on",
    "at",
    "from",
    "if",
    "just",
    "arrived",
    "received",
    "package",
}
ENGLISH |= {"talk", "human", "person", "agent", "someone", "anybody", "somebody", "should", "would"}
GERMAN = {
    "ich",
    "du",
    "sie",
    "wir",
    "ihr",
    "mein",
    "meine",
    "meinen",
    "ist",
    "sind",
    "war",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "ein",
    "eine",
    "einen",
    "und",
    "oder",
    "zu",
    "von",
    "für",
    "mit",
    "wo",
    "was",
    "wann",
    "wie",
    "warum",
    "wer",
    "kann",
    "können",
    "koennen",
    "habe",
    "hab",
    "hat",
    "nicht",
    "kein",
    "keine",
    "noch",
    "bitte",
    "danke",
    "hallo",
    "bestellung",
    "paket",
    "auf",
    "an",
    "bei",
    "es",
    "mir",
    "mich",
    "uns",
    "ja",
    "nein",
    "schon",
    "auch",
    "aber",
    "möchte",
    "moechte",
    "würde",
    "gibt",
}
# Dialect function words (Bavarian, Austrian, Swiss) that would otherwise look English or unknown:
# "des is a frechheit", "i hob a foische adress", "bisch no do".
GERMAN |= {
    "des",
    "mei",
    "scho",
    "hob",
    "hod",
    "mecht",
    "bräucht",
    "wia",
    "wias",
    "gwesn",
    "kumma",
    "bisch",
    "chan",
    "isch",
    "nimma",
    "ned",
    "net",
    "koa",
    "oane",
    "hoid",
    "glump",
    "grüezi",
    "servus",
    "gell",
}
# Common German function words a relaxed, lowercase chat is full of ("is euer zelt im regen wirklich dicht? will
# damit nach ..."): without them a German message with two English-looking words ("is", "im", "will") read
# as English. "im" is German "in the" as often as a typed "I'm", so it counts for both (see SHARED).
GERMAN |= {
    "im",
    "vom",
    "zum",
    "zur",
    "ins",
    "euer",
    "eure",
    "euren",
    "eurem",
    "euch",
    "dein",
    "deine",
    "unser",
    "unsere",
    "sich",
    "dass",
    "wenn",
    "weil",
    "ob",
    "damit",
    "dann",
    "doch",
    "mal",
    "nach",
    "über",
    "aus",
    "bis",
    "ohne",
    "wirklich",
    "jetzt",
    "hier",
    "bist",
    "hast",
    "haben",
    "wird",
    "werden",
    "muss",
    "soll",
    "nur",
    "sehr",
    "moin",
}
# Words both languages' chat use ("i", "a", "is", "no", "hi", "do" in Bavarian): half a vote for English.
SHARED = {"i", "a", "is", "no", "hi", "do", "me", "an", "on", "in", "so", "be", "was", "will", "im"}
WORD = re.compile(r"[A-Za-zÄÖÜäöüß']+")


def detect_language(text: str) -> str | None:
    """'en', 'de', or None when the message shows neither (an order number, an e-mail, "ok")."""
    words = [w.lower() for w in WORD.findall(text or "")]
    english = sum(0.5 if w in SHARED else 1.0 for w in words if w in ENGLISH)
    german = sum(1 for w in words if w in GERMAN)
    if english >= 2 and english > 2 * german:
        return "en"
    if german >= 1 and german >= english:
        return "de"
    return None


def is_english(text: str) -> bool:
    return detect_language(text) == "en"


# "I can't read German", "I don't understand German", "no German please", "enough German quotes" (run 7, d22).
NO_GERMAN = re.compile(
    r"\b(?:can\W?t|cannot|can not|don\W?t|do not|doesn\W?t|unable to)\s+(?:\w+\s+)?"
    r"(?:read|speak|understand)\s+(?:any\s+|much\s+)?german\b"
    r"|\bno\s+(?:more\s+)?german\b|\bgerman\s+(?:quotes?|texts?)\b",
    re.IGNORECASE,
)


def reads_no_german(text: str) -> bool:
    """The customer says German is of no use to them: German help-page quotes must stop."""
    return bool(NO_GERMAN.search(text or ""))
