"""German folding and the highlighted, escaped excerpt (bot/hub/search/fold.py, snippet.py)."""

from __future__ import annotations

from bot.hub.search.fold import MAX_TERMS, fold, match_count, terms
from bot.hub.search.snippet import snippet


def test_umlauts_sharp_s_and_case_fold_to_one_spelling():
    assert fold("Straße") == fold("STRASSE") == fold("strasse") == "strasse"
    assert fold("Müller") == fold("MULLER") == "muller"
    assert fold("Grüße aus Köln") == "grusse aus koln"
    assert fold("Café") == "cafe"


def test_terms_are_the_folded_words_once_each():
    assert terms("Müller, müller & Straße!") == ["muller", "strasse"]
    assert terms("max.mustermann@example.de") == ["max", "mustermann", "example", "de"]
    assert terms("!!! ___ ...") == []
    assert len(terms(" ".join(f"wort{i}" for i in range(20)))) == MAX_TERMS


def test_snippet_escapes_customer_text_and_marks_the_hits():
    out = snippet('<img src=x onerror="alert(1)"> Mein Paket & die Straße', ["paket", "strasse"])
    assert "<img" not in out and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out
    assert "<mark>Paket</mark>" in out and "<mark>Straße</mark>" in out
    assert "&amp;" in out


def test_snippet_marks_prefixes_and_stemmed_forms_only():
    assert (
        snippet("Bestellung 123456 storniert", ["bestell"])
        == "<mark>Bestellung</mark> 123456 storniert"
    )
    # PostgreSQL's stemmer finds "Bestellung" for "Bestellungen": marked too
    assert "<mark>Bestellung</mark>" in snippet("Die Bestellung kam", ["bestellungen"])
    assert "<mark>" not in snippet("Die Bestellung kam", ["rechnung"])


def test_a_long_text_is_cut_around_the_first_hit():
    text = "Anfang " + "wort " * 60 + "Reklamation wegen Kratzer " + "ende " * 60
    out = snippet(text, ["reklamation"])
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>Reklamation</mark>" in out and "Anfang" not in out
    assert len(out) < 260


def test_match_count_is_the_index_rule_in_python():
    """kd_match (SQLite, a plain agent's search): every term must start a word, folded as the index is."""
    text = "Grüße aus der Hauptstraße – Bestellung 123456, zweite Bestellung"
    assert match_count(text, "bestell") == 2
    assert match_count(text, "hauptstrasse grusse") == 2
    assert match_count(text, "strasse") == 0  # inside a word, not at its start
    assert match_count(text, "bestell rechnung") == 0  # all terms must match
    assert match_count(text, "1234") == 1
    assert match_count(None, "x") == 0
