"""Hybrid search over the help pages: the API the dialogue uses (`KnowledgeBase.current().search`).

Ranking fuses BM25 over German terms (analysis.py) with the cosine of the multilingual sentence
encoder: score = alpha * cosine + (1 - alpha) * BM25 / best BM25. The confidence of each hit is
calibrated (confidence.py), so `Answer.confident` is one threshold on hits[0].score. A running
process notices added, changed or removed pages (a fingerprint of names, sizes and times,
checked at most every KD_KNOWLEDGE_RELOAD_SECONDS) and rebuilds or reloads the index: no Rasa
training, no restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Dict, List, Sequence, Set

import numpy as np

from bot.dialogue.spelling import normalize
from bot.knowledge import confidence
from bot.knowledge.analysis import analyze_words, separable_verbs, word_terms
from bot.knowledge.confidence import Calibration
from bot.knowledge.index import Encoder, Index, default_encoder, folder_fingerprint
from bot.knowledge.quantities import Quantity, fitted
from bot.knowledge.quantities import asked as asked_measures
from bot.knowledge.sentences import passage_sentences, select
from bot.shared.config import SETTINGS

log = logging.getLogger(__name__)
MODES = ("hybrid", "bm25", "encoder")
CANDIDATES = 50  # passages ranked beyond k: where the lead over another page is measured
BY_MEASURES = 5  # the best passages reordered by the question's measures (size charts)
# A chance match is no answer: a passage that shares at most one of the question's words and whose
# meaning is far from it (cosine below CHANCE_COSINE) - "alter, die REKLAMATION?" and the
# children's size chart's "Alter", "Muss ich zu Hause sein?" and "Schuhe zu Hause anprobieren".
# Its confidence is capped at CHANCE_CONFIDENCE, below any threshold. 0.2: the largest cosine at
# which the rule costs no right answer of the question set's dev split (bench/knowledge.py).
CHANCE_COSINE = 0.2
CHANCE_SHARED = 1
CHANCE_CONFIDENCE = 0.2


@dataclass(frozen=True)
class Hit:
    page_id: str  # stable id (file stem), e.g. "versand-packstation"
    page_title: str  # front-matter title
    url: str  # the page's public URL from front matter (may be "")
    passage_id: str  # stable id of the passage, e.g. "versand-packstation#2"
    heading: str  # the passage's heading
    quote: str  # 1-3 sentences of the passage, verbatim, that answer the question
    score: float  # calibrated confidence 0..1


@dataclass(frozen=True)
class Answer:
    hits: List[Hit]  # best first, at most k, distinct passages
    confident: bool  # hits[0].score >= threshold (answer) vs abstain


@dataclass(frozen=True)
class Ranking:
    """Every passage's scores for one question (the benchmark reads these too)."""

    terms: List[str]  # every term of the question (BM25)
    asked: List[str]  # the terms it asks for (confidence: coverage, missing words)
    bm25: np.ndarray
    cosine: np.ndarray
    fused: np.ndarray
    unknown: float  # share of the question's term weight in words no page uses
    quantities: List[Quantity] = field(default_factory=list)  # heights/weights it names


class KnowledgeBase:
    _current: ClassVar[KnowledgeBase | None] = None
    _checked: ClassVar[float] = 0.0
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        index: Index,
        calibration: Calibration | None = None,
        threshold: float | None = None,
        encoder: Encoder = default_encoder,
    ) -> None:
        self.index = index
        self.calibration = calibration or confidence.load()
        self.threshold = self.calibration.threshold if threshold is None else threshold
        self.encoder = encoder

    @classmethod
    def from_folder(
        cls,
        pages_dir: Path,
        index_dir: Path | None = None,
        threshold: float | None = None,
        encoder: Encoder = default_encoder,
    ) -> KnowledgeBase:
        """The saved index of this folder if it is current, else a fresh build (saved when a
        folder for it is given)."""
        index = Index.load(index_dir) if index_dir else None
        if index is None or index.fingerprint != folder_fingerprint(pages_dir):
            index = Index.build(pages_dir, index_dir, encoder)
            if index_dir:
                index.save(index_dir)
            log.info(
                "knowledge index built: %d passages in %.1f s (%d encoded)",
                len(index.passages),
                index.build_seconds,
                index.encoded,
            )
        return cls(index, threshold=threshold, encoder=encoder)

    @classmethod
    def current(cls) -> KnowledgeBase:
        """The process-wide instance from the configured folders, rebuilt when the pages change."""
        with cls._lock:
            now = time.monotonic()
            instance = cls._current
            if (
                instance is not None
                and now - cls._checked < SETTINGS["KD_KNOWLEDGE_RELOAD_SECONDS"].read()
            ):
                return instance
            cls._checked = now
            pages_dir: Path = SETTINGS["KD_KNOWLEDGE_DIR"].read()
            threshold: float | None = SETTINGS["KD_KNOWLEDGE_THRESHOLD"].read()
            if instance is None or instance.index.fingerprint != folder_fingerprint(pages_dir):
                index_dir: Path = SETTINGS["KD_KNOWLEDGE_INDEX_DIR"].read()
                instance = cls.from_folder(pages_dir, index_dir, threshold)
                instance.rank("Rücksendeetikett")  # loads the splitter and the encoder now, not
                # during the first customer's question (a saved index needs neither to load)
            elif (
                instance.calibration.threshold if threshold is None else threshold
            ) != instance.threshold:
                instance = cls(instance.index, instance.calibration, threshold, instance.encoder)
            cls._current = instance
            return instance

    @classmethod
    def forget(cls) -> None:
        """Drop the process-wide instance (tests; the next `current()` loads afresh)."""
        with cls._lock:
            cls._current, cls._checked = None, 0.0

    def rank(self, question: str, mode: str = "hybrid") -> Ranking:
        """Scores of every passage: hybrid (the product), or BM25 / encoder alone (baselines)."""
        index = self.index
        words = analyze_words(question)
        # "melde … ab", "holen Sie … ab": the separable verb the pages use ("abmelden", "abholen")
        words += [
            (joined[0],)
            for candidate in separable_verbs(question)
            if (joined := word_terms(candidate)) and joined[0] in index.idf
        ]
        terms = [term for word in words for term in word]
        n = len(index.passages)
        bm25 = index.bm25_scores(terms)
        if mode == "bm25" or n == 0:
            cosine = np.zeros(n, dtype=np.float32)
        else:
            cosine = index.vectors @ self.encoder([normalize(question)])[0]
        best = float(bm25.max()) if n else 0.0
        relative = bm25 / best if best > 0 else bm25
        alpha = {"hybrid": self.calibration.alpha, "bm25": 0.0, "encoder": 1.0}[mode]
        fused = alpha * cosine + (1 - alpha) * relative
        # What the question asks for: a compound no page uses whole ("Rücksendeetikett") is
        # asked for by its parts ("Etikett für die Rücksendung"), not missing.
        wanted = {
            term
            for word in words
            for i, term in enumerate(word)
            if not (i == 0 and len(word) > 1 and term not in index.idf)
        }
        total = sum(index.weight(t) for t in wanted)
        unknown = (
            sum(index.weight(t) for t in wanted if t not in index.idf) / total if total else 0.0
        )
        return Ranking(
            terms, sorted(wanted), bm25, cosine, fused, unknown, asked_measures(question)
        )

    def features(self, ranking: Ranking, position: int, following: int | None) -> Dict[str, float]:
        """The confidence features of one passage (`following`: the next one from another page)."""
        index = self.index
        distinct = set(ranking.asked)
        total = sum(index.weight(t) for t in distinct)
        passage_terms = set(index.terms[position])
        page_terms = index.page_terms[index.passages[position].page_id]

        def share(terms: Set[str]) -> float:
            return sum(index.weight(t) for t in distinct & terms) / total if total else 0.0

        next_fused = float(ranking.fused[following]) if following is not None else 0.0
        return {
            "cosine": float(ranking.cosine[position]),
            "coverage": share(passage_terms),
            "page_coverage": share(page_terms),
            "fused": float(ranking.fused[position]),
            "margin": float(ranking.fused[position]) - next_fused,
            "unknown": ranking.unknown,
        }

    def shared_terms(self, ranking: Ranking, position: int) -> int:
        """How many distinct words the question asks for (known to the pages) the passage holds."""
        known = {t for t in ranking.asked if t in self.index.idf}
        return len(known & set(self.index.terms[position]))

    def chance(self, ranking: Ranking, position: int) -> bool:
        """Whether the passage meets the question only by chance (see CHANCE_COSINE)."""
        return (
            float(ranking.cosine[position]) < CHANCE_COSINE
            and self.shared_terms(ranking, position) <= CHANCE_SHARED
        )

    def confidence(self, ranking: Ranking, position: int, following: int | None) -> float:
        """The calibrated confidence of one passage; a chance match is capped below any threshold."""
        score = self.calibration.confidence(self.features(ranking, position, following))
        return min(score, CHANCE_CONFIDENCE) if self.chance(ranking, position) else score

    def best(self, scores: np.ndarray, count: int, skip: Set[str]) -> List[int]:
        """Positions of the `count` best passages (best first, none in `skip`); only these are
        sorted, so 10,000 passages cost no full sort per question."""
        if count < len(scores):
            top = np.argpartition(-scores, count)[:count]
            top = top[np.argsort(-scores[top], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        return [int(i) for i in top if self.index.passages[int(i)].passage_id not in skip]

    def next_other_page(self, order: Sequence[int], rank: int) -> int | None:
        """The first passage after `rank` from another page: the lead over it is a feature (two
        sections of the right page close together are no doubt about the answer)."""
        page = self.index.passages[order[rank]].page_id
        return next((i for i in order[rank + 1 :] if self.index.passages[i].page_id != page), None)

    def is_opening(self, position: int) -> bool:
        """Whether the passage is a page's opening text (before its first heading) and the page
        has sections after it: an introduction, not the answer to a particular question."""
        passages = self.index.passages
        passage = passages[position]
        return (
            passage.heading == passage.page_title
            and position + 1 < len(passages)
            and passages[position + 1].page_id == passage.page_id
        )

    def richer_section(self, ranking: Ranking, order: List[int], rank: int) -> int | None:
        """The first candidate after order[rank] from the same page that holds more of the
        question's words (the opening "Ob Sie im Sommer oder im Winter gut schlafen, hängt von der
        Temperaturangabe ab" yields to "Welcher Wert ist für mich wichtig?")."""
        page = self.index.passages[order[rank]].page_id
        own = self.features(ranking, order[rank], None)["coverage"]
        return next(
            (
                i
                for i in range(rank + 1, len(order))
                if self.index.passages[order[i]].page_id == page
                and self.features(ranking, order[i], None)["coverage"] > own
            ),
            None,
        )

    def promote_same_page(self, order: List[int], rank: int, later: int | None = None) -> List[int]:
        """`order` with a later passage of the same page as order[rank] (`later`, else the next
        one) moved up right behind it."""
        page = self.index.passages[order[rank]].page_id
        if later is None:
            later = next(
                (
                    i
                    for i in range(rank + 1, len(order))
                    if self.index.passages[order[i]].page_id == page
                ),
                None,
            )
        if later is None:
            return order
        return order[: rank + 1] + [order[later]] + order[rank + 1 : later] + order[later + 1 :]

    def search(self, question: str, k: int = 3, exclude: Sequence[str] = ()) -> Answer:
        """The best k passages for the question (none of `exclude`), with quotes and confidence."""
        return self.answer(self.rank(question), k, exclude)

    def answer(self, ranking: Ranking, k: int = 3, exclude: Sequence[str] = ()) -> Answer:
        index = self.index
        skip = set(exclude)
        order = self.best(ranking.fused, max(0, k) + len(skip) + CANDIDATES, skip)
        if ranking.quantities:  # "1,82 m, 80 kg": the table whose row holds both measures first
            fits = {
                position: max(
                    (
                        fitted(s, ranking.quantities)
                        for s in passage_sentences(index.passages[position].lines)
                    ),
                    default=0,
                )
                for position in order[:BY_MEASURES]
            }
            order = sorted(order[:BY_MEASURES], key=lambda p: -fits[p]) + order[BY_MEASURES:]
        weights = {t: index.weight(t) for t in set(ranking.terms)}
        hits: List[Hit] = []
        carried: Dict[str, float] = {}  # page -> confidence of its skipped opening
        rank = -1
        while len(hits) < max(0, k) and rank + 1 < len(order):
            rank += 1
            position = order[rank]
            passage = index.passages[position]
            quote = select(
                passage_sentences(passage.lines), ranking.terms, weights, ranking.quantities
            )
            score = self.confidence(ranking, position, self.next_other_page(order, rank))
            richer = (
                self.richer_section(ranking, order, rank)
                if quote and self.is_opening(position)
                else None
            )
            if not quote or richer is not None:  # only the page's own questions or framing ("Sie
                # fragen sich, …? Hier erklären wir …"), or an opening with a section of the page
                # closer to the question: that section takes its place and its confidence (the
                # probability that the page answers)
                order = self.promote_same_page(order, rank, richer)
                carried[passage.page_id] = max(score, carried.get(passage.page_id, 0.0))
                continue
            score = max(score, carried.pop(passage.page_id, 0.0))
            hits.append(
                Hit(
                    page_id=passage.page_id,
                    page_title=passage.page_title,
                    url=passage.url,
                    passage_id=passage.passage_id,
                    heading=passage.heading,
                    quote=quote,
                    score=round(score, 4),
                )
            )
        return Answer(hits=hits, confident=bool(hits) and hits[0].score >= self.threshold)
