"""The one to three sentences of a passage that answer the question, quoted unchanged.

A passage is cut into sentences (each line of a passage - a paragraph, a list item, a table
row - is cut on its own, so a table row is one sentence). The quote is the run of at most
three consecutive sentences that covers most of the question's weighted terms; a sentence
that adds no question term is only kept when it follows a colon-ended lead-in. Nothing is
reworded: every quoted sentence is a substring of the page's text.

A page's own questions and framing sentences are never the answer ("Sie haben etwas
zurückgeschickt und fragen sich, wann das Geld wieder da ist?", "Hier erklären wir, …"): they
share the customer's words best, yet say nothing. A quote never starts with them, and a
sentence that refers back ("Sie steht in der Bestellbestätigung", "Das kostet nichts extra")
brings the sentence it refers to. Among equally good runs the earlier one wins: under a heading
the first sentences answer it, the later ones add exceptions (a tie-breaker only).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, FrozenSet, List, Sequence, Set

from bot.knowledge.analysis import analyze
from bot.knowledge.quantities import Quantity, fitted

MAX_SENTENCES = 3
# No sentence ends after these (German abbreviations, ordinals like "14. Tag").
_ABBREVIATIONS = frozenset(
    """z b d h u a o ä bzw ca evtl ggf inkl zzgl usw etc nr str tel mo di mi do fr sa so vgl
    max min mind gem lt abs art bspw s jan feb mär apr jun jul aug sep sept okt nov dez""".split()
)
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"“”»«)]*\s+(?=[\"„“»«(]?[A-ZÄÖÜ0-9])")
# A sentence that only frames the page ("Hier erklären wir, was die Werte bedeuten").
_FRAME = re.compile(
    r"^(?:Hier|Auf dieser Seite|In diesem (?:Artikel|Ratgeber|Abschnitt)|Im Folgenden|Nachfolgend"
    r"|Unten|Weiter unten|Mehr dazu|Mehr darüber|Mehr zu|Weitere Informationen|Lesen Sie)\b"
    r".{0,80}?\b(?:erklären|erfahren|zeigen|lesen|finden|beschreiben|beantworten|sagen|Seite)\b"
)
# Sentence openings that refer back to the sentence before: adverbs always ("Dort …", "Dafür …"),
# pronouns when a lower-case word follows ("Das kostet nichts", not the article in "Das Paket …").
_BACK_ADVERBS = frozenset(
    "dort dafür dabei dadurch daher deshalb deswegen dazu davon darin darauf danach dann".split()
)
_BACK_PRONOUNS = frozenset("das dies diese dieser dieses er".split())
_WORDS = re.compile(r"[^\W\d_]+")
POSITION_COST = 0.01  # per sentence from the passage's start: breaks ties towards the earlier run


def split_sentences(line: str) -> List[str]:
    """The sentences of one line of text, unchanged."""
    sentences: List[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        before = line[start : match.start()].rstrip('.!?…"“”»«)')
        last_word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
        last_word = last_word.rsplit(".", 1)[-1] if "." in last_word else last_word
        if last_word in _ABBREVIATIONS or (last_word.isdigit() and len(last_word) <= 2):
            continue
        sentences.append(line[start : match.start()].strip())
        start = match.end()
    sentences.append(line[start:].strip())
    return [s for s in sentences if s]


@lru_cache(maxsize=50_000)
def sentence_terms(sentence: str) -> FrozenSet[str]:
    """A sentence's terms, kept: the same passages are quoted again and again."""
    return frozenset(analyze(sentence))


def passage_sentences(lines: Sequence[str]) -> List[str]:
    return [sentence for line in lines for sentence in split_sentences(line)]


def answers(sentence: str) -> bool:
    """False for a page's own question or a sentence that only frames the page: never an answer."""
    text = sentence.strip().strip('"„“”»«')
    return not (text.endswith("?") or _FRAME.match(text))


def refers_back(sentence: str) -> bool:
    """Whether the sentence needs the one before it to be understood: a demonstrative or pronoun
    as subject ("Das kostet nichts extra", "Es gilt …", "Dort …"), or "Sie" with a verb in the
    third person singular ("Sie steht in der Bestellbestätigung", not "Sie können …")."""
    words = _WORDS.findall(sentence)
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    if first == "Sie":  # "Sie steht", "Sie gilt", "Sie ist"; not "Sie können", "Sie sind"
        return second.islower() and second.endswith("t")
    if first.lower() in _BACK_ADVERBS:
        return True
    # "Das kostet nichts", and after a fronted verb "Ist das schwierig, …" / "Gilt das auch …"
    return any(
        word.lower() in _BACK_PRONOUNS and following.islower()
        for word, following in zip(words[:2], words[1:3])
    )


FIT_WEIGHT = 5.0  # a measure of the question inside a row's range outweighs any shared word


def select(
    sentences: Sequence[str],
    question_terms: Sequence[str],
    weight: Dict[str, float],
    quantities: Sequence[Quantity] = (),
) -> str:
    """The best run of 1-3 consecutive sentences for the question, joined by a space."""
    if not sentences:
        return ""
    wanted: Set[str] = set(question_terms)
    answering = [answers(s) for s in sentences]
    if not any(answering):
        return ""
    # a row the question's measures fall into counts as covering a term of its own; a page's own
    # question covers nothing (it shares the customer's words but does not answer them)
    terms = [
        (sentence_terms(s) & wanted) | {f"#fit{i}" for i in range(fitted(s, list(quantities)))}
        if answering[i]
        else set()
        for i, s in enumerate(sentences)
    ]

    def gain(covered: Set[str]) -> float:
        return sum(
            weight.get(term, FIT_WEIGHT if term.startswith("#fit") else 1.0) for term in covered
        )

    first = answering.index(True)
    best_score, best = -1e9, (first, first + 1)
    for start in range(len(sentences)):
        if not answering[start]:
            continue
        covered: Set[str] = set()
        for end in range(start, min(start + MAX_SENTENCES, len(sentences))):
            covered = covered | terms[end]
            # each extra sentence must earn its place: a small cost per sentence and per character
            size = end - start
            score = (
                gain(covered)
                - 0.35 * size
                - 0.0005 * sum(len(s) for s in sentences[start : end + 1])
                - POSITION_COST * start
            )
            if score > best_score + 1e-9:
                best_score, best = score, (start, end + 1)
    start, end = best
    if not any(terms[start:end]):  # nothing lexical in common: the passage's opening answers
        start, end = first, first + 1
    if start > 0 and refers_back(sentences[start]) and answering[start - 1]:
        start -= 1  # "Sie steht in der Bestellbestätigung" needs what "Sie" is (a page's own
        # question before "Dann …" stays out: the quote is the answer, not the question)
        end = min(end, start + MAX_SENTENCES)
    while end < len(sentences) and end - start < MAX_SENTENCES and sentences[end - 1].endswith(":"):
        end += 1  # "So geht's:" needs what follows
    if end - start == 1 and len(sentences[start]) < 60 and end < len(sentences) and answering[end]:
        end += 1  # a very short sentence rarely answers alone
    return " ".join(sentences[start:end])
