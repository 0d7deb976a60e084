"""The index: saved and loaded as built; a rebuild encodes only passages it has not seen."""

import json
from typing import List

import numpy as np

from bot.knowledge.index import PAGES_FILE, Index, folder_fingerprint


class CountingEncoder:
    """Stands in for the sentence encoder where only the number of encoded texts matters."""

    def __init__(self) -> None:
        self.texts: List[str] = []

    def __call__(self, texts: List[str]) -> np.ndarray:
        self.texts.extend(texts)
        rng = np.random.default_rng(len(self.texts))
        vectors = rng.normal(size=(len(texts), 512)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_save_and_load_round_trip(pages, tmp_path):
    index = Index.build(pages, tmp_path / "index", CountingEncoder())
    index.save(tmp_path / "index")
    loaded = Index.load(tmp_path / "index")
    assert loaded is not None
    assert loaded.fingerprint == index.fingerprint == folder_fingerprint(pages)
    assert loaded.passages == index.passages and loaded.terms == index.terms
    assert np.array_equal(loaded.vectors, index.vectors)
    assert np.array_equal(loaded.bm25_scores(["etikett"]), index.bm25_scores(["etikett"]))


def test_save_writes_the_page_list_the_hub_reads(pages, tmp_path):
    """One source of truth for page titles: the hub's content gaps list pages.json (the HTML
    page's <h1>, not its <title>)."""
    (pages / "hilfe.html").write_text(
        "<html><head><title>Hilfe | Shop</title></head><body><main><h1>Hilfe-Center</h1>"
        "<p>Wir helfen Ihnen gern weiter, per Mail oder am Telefon.</p></main></body></html>",
        encoding="utf-8",
    )
    index = Index.build(pages, tmp_path / "index", CountingEncoder())
    index.save(tmp_path / "index")
    listed = json.loads((tmp_path / "index" / PAGES_FILE).read_text(encoding="utf-8"))["pages"]
    by_id = {p["page_id"]: p for p in listed}
    assert sorted(by_id) == sorted({p.page_id for p in index.passages}) and len(listed) == len(
        by_id
    )
    assert by_id["hilfe"]["title"] == "Hilfe-Center"
    assert set(by_id["hilfe"]) == {"page_id", "title", "url", "topic"}
    assert by_id["ruecksendung"]["title"] == "Rücksendung und Erstattung"


def test_no_saved_index_is_none(tmp_path):
    assert Index.load(tmp_path / "nothing") is None
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "index.json").write_text("{", encoding="utf-8")
    assert Index.load(tmp_path / "broken") is None


def test_a_rebuild_encodes_only_new_passages(pages, tmp_path):
    encoder = CountingEncoder()
    first = Index.build(pages, tmp_path / "index", encoder)
    assert first.encoded == len(first.passages) == len(encoder.texts)
    (pages / "neu.md").write_text(
        "---\ntitle: Neu\n---\n\n# Neu\n\nEin neuer Absatz.", encoding="utf-8"
    )
    second = Index.build(pages, tmp_path / "index", encoder)
    assert second.encoded == 1 and len(second.passages) == len(first.passages) + 1
    old = {p.passage_id: v for p, v in zip(first.passages, first.vectors)}
    for passage, vector in zip(second.passages, second.vectors):
        assert passage.page_id == "neu" or np.array_equal(vector, old[passage.passage_id])


def test_idf_weighs_unknown_words_most(pages):
    index = Index.build(pages, None, CountingEncoder())
    assert index.weight("zebra") == index.max_idf > index.weight("etikett") > 0
    assert not index.bm25_scores(["zebra"]).any()
