"""German terms for BM25: dialect spellings, folding, stop words, compound parts, Snowball stems.

A help page says "Etikett für die Rücksendung", a customer writes "Rücksendeetikett" or
"ruecksendeetikett": both must meet on the same terms. Each word is read in the NLU's standard
spelling (bot/dialogue/spelling.py), folded (ä/ae, ß/ss), dropped when it is a stop word,
stemmed (synonyms of the shop's vocabulary read as one term, synonyms.py), and a long word
also adds the stems of its compound parts. Splits come from
compound-split (the charsplit n-gram model, data in the wheel); a split counts only when both
parts are words of the German Hunspell list that ships with it, so "verkauft" does not become
"verk" + "auft" and "Nachhaltigkeit" keeps its suffix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Tuple

from bm25s.stopwords import STOPWORDS_GERMAN

from bot.dialogue.spelling import fold_spelling, normalize
from bot.knowledge.synonyms import canonical_words

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_COMPOUND = 8  # shorter words are rarely compounds worth splitting
MIN_NESTED = 10  # a part is split again only from this length ("datenschutz" -> daten, schutz)
MIN_PART = 4  # "pack|station" yes, "rü|cksende" no
MIN_SPLIT_SCORE = -1.0  # charsplit's score of a split; below it the word stays whole
CANDIDATE_SPLITS = 4  # the best splits tried, in order, until both parts are words
# A head is a word when it is one with a linking element removed or an ending restored:
# "öffnungs|zeiten", "wasch|maschine", "rücksende|etikett", "hunde|leine".
_HEAD_FORMS = (
    ("", ""),
    ("s", ""),
    ("es", ""),
    ("n", ""),
    ("en", ""),
    ("", "e"),
    ("", "en"),
    ("", "n"),
)
# Words of a chat message that say nothing about the topic (besides the standard stop words).
CHAT_WORDS = frozenset(
    fold_spelling(w)
    for w in """
    hallo hi hey moin servus guten tag morgen abend bitte danke dank frage fragen kurze kurz
    mal gibt gibts geht gehts eigentlich einfach ja nein ok okay genau wissen weiss möchte
    möchten würde würden könnte könnten kann können darf dürfen muss müssen soll sollte
    ihr euch eure euer ihre ihren man jemand etwas was wie wo wann warum wieso weshalb welche
    welcher welches welchen wer sagen sag bekomme bekommt bekommen schon noch denn dann
    finde finden findet
    könnt könntet habt hättet wäre wären bräuchte brauche gerne gern leider
    wohin woher wem wen drin fürs ins ans aufs ums unterm überm irgendwo irgendwie ne nen
    raus rein heut
    herzlich herzlichen herzliche vielen lieben liebe grüße gruß grüezi freundlichen
    entschuldigung entschuldigen sorry
    """.split()
)
STOP_WORDS = frozenset(fold_spelling(w) for w in STOPWORDS_GERMAN) | CHAT_WORDS


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("german")


@lru_cache(maxsize=1)
def _splitter() -> Any:
    from compound_split import char_split  # ~2 s: loads the n-gram model

    return char_split


@lru_cache(maxsize=1)
def _dictionary_stems() -> FrozenSet[str]:
    """Stems of the folded words of the Hunspell list shipped in compound-split (de_DE_1901, frami).

    The list has base forms only ("Zeit", not "Zeiten"); comparing stems accepts inflected parts.
    """
    path = Path(_splitter().__file__).parent / "dicts" / "de-mixed.dic"
    lines = path.read_text(encoding="utf-8", errors="ignore").splitlines()
    words = {
        fold_spelling(line.split("/")[0].strip()) for line in lines if not line.startswith("#")
    }
    return frozenset(_stemmer().stemWords(sorted(words)))


def _is_word(part: str, head: bool) -> bool:
    stems, stem = _dictionary_stems(), _stemmer().stemWord
    folded = fold_spelling(part)
    forms = _HEAD_FORMS if head else _HEAD_FORMS[:1]
    return any(
        folded.endswith(cut) and stem(folded[: len(folded) - len(cut)] + add) in stems
        for cut, add in forms
    )


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> Tuple[str, ...]:
    """The parts of a lower-case compound, recursively ("rücksendeetikett" -> rücksende, etikett)."""
    if len(word) < MIN_COMPOUND or not word.isalpha():
        return ()
    if len(word) < MIN_NESTED and _is_word(word, False):
        return ()  # "bestellen", "ungefähr", "Gutschein": a word of its own, not "best" + "ellen"
    # The n-gram model learnt umlauts: "rueckgabe" is split as "rückgabe" (the parts are checked).
    restored = word.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")
    for spelling in dict.fromkeys((word, restored)):
        for score, head, tail in _splitter().split_compound(spelling)[:CANDIDATE_SPLITS]:
            head, tail = head.lower(), tail.lower()
            if score < MIN_SPLIT_SCORE:
                break
            if (
                min(len(head), len(tail)) >= MIN_PART
                and _is_word(head, True)
                and _is_word(tail, False)
            ):
                return (head, *_deeper(head), tail, *_deeper(tail))
    return ()


def _deeper(part: str) -> Tuple[str, ...]:
    """Parts of a part, only for long ones: short ones split into noise ("rücks|ende")."""
    return compound_parts(part) if len(part) >= MIN_NESTED else ()


@lru_cache(maxsize=1)
def _synonyms() -> Dict[str, str]:
    """Stem of each synonym (synonyms.py) -> stem of its group's first word."""
    stem = _stemmer().stemWord
    return {stem(fold_spelling(w)): stem(fold_spelling(c)) for w, c in canonical_words().items()}


def _term(folded: str) -> str:
    stem = _stemmer().stemWord(folded)
    return _synonyms().get(stem, stem)


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> Tuple[str, ...]:
    """The terms of one lower-case word: its stem and the stems of its compound parts, each read
    as its synonym group's term."""
    folded = fold_spelling(word)
    if folded in STOP_WORDS or (len(folded) < 2 and not folded.isdigit()):
        return ()
    terms = [_term(folded)]
    for part in compound_parts(word):
        part_folded = fold_spelling(part)
        term = _term(part_folded)
        if part_folded not in STOP_WORDS and len(term) >= MIN_PART:  # not "reg" of "Regenjacke"
            terms.append(term)
    return tuple(dict.fromkeys(terms))


def analyze_words(text: str) -> List[Tuple[str, ...]]:
    """The terms of each word of a text (the whole word's first, then its compound parts')."""
    return [terms for word in _WORD.findall(normalize(text).lower()) if (terms := word_terms(word))]


# Particles of separable verbs: "Wie melde ich mich ab?" asks about "abmelden", "Holen Sie die
# Ware ab?" about "abholen". The question's words are joined with a later particle as candidates;
# the search keeps a candidate only when the pages use it (bot/knowledge/search.py).
PARTICLES = frozenset("ab an auf aus ein mit zurück vor nach weg um fest".split())


def separable_verbs(text: str) -> List[str]:
    """Particle + word for every particle of the text and every non-stop word before it in the
    same sentence ("melde ich mich ab" -> "abmelde", "abich", …: the pages decide which exist)."""
    joined: List[str] = []
    for sentence in re.split(r"[.!?;]+", normalize(text).lower()):
        words = _WORD.findall(sentence)
        for i, word in enumerate(words):
            if word in PARTICLES:
                joined += [
                    word + before
                    for before in words[:i]
                    if before not in PARTICLES and fold_spelling(before) not in STOP_WORDS
                ]
    return joined


def analyze(text: str) -> List[str]:
    """The BM25 terms of a text, in order (repeated words repeat their terms)."""
    return [term for terms in analyze_words(text) for term in terms]
