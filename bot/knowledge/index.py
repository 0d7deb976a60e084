"""The search index: passages, their BM25 terms and sentence vectors, saved under var/knowledge.

Building reads every page, splits and analyses it and encodes each passage once: vectors are
cached by the hash of the text they were computed from (embeddings.npz), so after a page is
added or edited only its new passages are encoded. The BM25 matrix (bm25s) is rebuilt from the
stored terms when the index is loaded, which takes milliseconds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Set

import numpy as np

from bot.knowledge.analysis import analyze
from bot.knowledge.pages import fingerprint, load_pages, page_files
from bot.knowledge.passages import Passage, split_page

VERSION = "8"  # bump when analysis or splitting changes: saved indexes are rebuilt
INDEX_FILE = "index.json"
VECTORS_FILE = "vectors.npy"
CACHE_FILE = "embeddings.npz"
PAGES_FILE = (
    "pages.json"  # id, title, url, topic of each indexed page: what the hub's console lists
)
EMBED_CHARS = 250  # the encoder reads the headings and the start of a passage (longer: no better on dev, slower)
Encoder = Callable[[List[str]], np.ndarray]


def folder_fingerprint(pages_dir: Path) -> str:
    return fingerprint(pages_dir, salt=VERSION)


def embed_text(passage: Passage) -> str:
    return f"{passage.context}: {passage.text[:EMBED_CHARS]}"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def default_encoder(texts: List[str]) -> np.ndarray:
    from bot.dialogue.sentence_encoder import embed

    return embed(texts)


class EmbeddingCache:
    """Vectors by text hash, kept next to the index so a rebuild encodes only new passages."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.vectors: Dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            try:
                with np.load(path) as data:
                    self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
            except (OSError, ValueError, KeyError):
                self.vectors = {}  # a damaged cache only costs encoding time

    def encode(self, texts: List[str], encoder: Encoder) -> np.ndarray:
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts)}
            for key, vector in zip(missing, encoder([by_key[k] for k in missing])):
                self.vectors[key] = vector
        self.encoded = len(missing)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.vstack([self.vectors[k] for k in keys]).astype(np.float32)

    def save(self, keep: Sequence[str]) -> None:
        """Write the vectors of the current passages (old ones are dropped)."""
        if self.path is None:
            return
        keys = sorted({_key(t) for t in keep} & set(self.vectors))
        vectors = np.vstack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 512))
        _atomic(self.path, lambda f: np.savez(f, keys=np.array(keys), vectors=vectors))


def _atomic(path: Path, write: Callable[[Any], None]) -> None:
    """Write through a temporary file and rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        write(handle)
    os.replace(tmp, path)


@dataclasses.dataclass
class Index:
    fingerprint: str
    passages: List[Passage]
    terms: List[List[str]]
    vectors: np.ndarray  # (passages, 512), L2-normalised
    build_seconds: float = 0.0
    encoded: int = 0  # passages encoded in this build (the rest came from the cache)

    def __post_init__(self) -> None:
        import bm25s

        self.bm25 = bm25s.BM25()
        if self.terms:
            self.bm25.index(self.terms, show_progress=False)
        self.page_terms: Dict[str, Set[str]] = {}
        for passage, terms in zip(self.passages, self.terms):
            self.page_terms.setdefault(passage.page_id, set()).update(terms)
        df = Counter(term for terms in self.terms for term in set(terms))
        n = len(self.terms)
        self.idf: Dict[str, float] = {
            term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()
        }
        self.max_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0

    def bm25_scores(self, terms: Sequence[str]) -> np.ndarray:
        known = [t for t in terms if t in self.idf]
        if not known or not self.passages:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)

    def weight(self, term: str) -> float:
        """A term's idf; a word no page uses weighs most (it is what the pages do not cover)."""
        return self.idf.get(term, self.max_idf)

    @classmethod
    def build(
        cls,
        pages_dir: Path,
        cache_dir: Path | None = None,
        encoder: Encoder = default_encoder,
    ) -> Index:
        started = time.perf_counter()
        stamp = folder_fingerprint(pages_dir)
        passages = [p for page in load_pages(page_files(pages_dir)) for p in split_page(page)]
        terms = [analyze(p.index_text()) for p in passages]
        cache = EmbeddingCache(cache_dir / CACHE_FILE if cache_dir else None)
        texts = [embed_text(p) for p in passages]
        vectors = cache.encode(texts, encoder)
        cache.save(texts)
        return cls(stamp, passages, terms, vectors, time.perf_counter() - started, cache.encoded)

    def save(self, index_dir: Path) -> None:
        np_vectors = self.vectors
        _atomic(index_dir / VECTORS_FILE, lambda f: np.save(f, np_vectors))
        document = {
            "version": VERSION,
            "fingerprint": self.fingerprint,
            "passages": [dataclasses.asdict(p) for p in self.passages],
            "terms": self.terms,
        }
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        _atomic(index_dir / INDEX_FILE, lambda f: f.write(data))
        pages = json.dumps({"pages": self.page_list()}, ensure_ascii=False, indent=1)
        _atomic(index_dir / PAGES_FILE, lambda f: f.write(pages.encode("utf-8")))

    def page_list(self) -> List[Dict[str, str]]:
        """Each page once, as the engine read it (the <h1> of an HTML page, a PDF's document
        title): the hub lists these, so the console and the answers name a page alike."""
        pages: Dict[str, Dict[str, str]] = {}
        for p in self.passages:
            pages.setdefault(
                p.page_id,
                {"page_id": p.page_id, "title": p.page_title, "url": p.url, "topic": p.topic},
            )
        return list(pages.values())

    @classmethod
    def load(cls, index_dir: Path) -> Index | None:
        """The saved index, or None when there is none or it is from another version."""
        try:
            document = json.loads((index_dir / INDEX_FILE).read_text(encoding="utf-8"))
            vectors = np.load(index_dir / VECTORS_FILE)
        except (OSError, ValueError):
            return None
        passages = [Passage(**p) for p in document.get("passages", [])]
        if document.get("version") != VERSION or len(passages) != len(vectors):
            return None
        return cls(document["fingerprint"], passages, document["terms"], vectors)
