"""Which kind of product a question and a help-page passage are about, and whether they differ.

The help pages search by meaning and words: "Ist die Regenhose wasserdicht?" finds the tent
re-proofing page, a sleeping-bag washing question the down-jacket washing page (held-out run 5,
d14, d25). A passage whose page is about another kind of product than the question names is not
quoted; the bot says the pages have nothing on that product. A compound counts by its last part
("Regenhose" is trousers, "Daunenjacke" a jacket, "Handschuh" a glove, not a shoe); materials
("Daune", "Fleece") and generic words ("Kleidung", "Ausrüstung") name no kind.

Jackets come in sorts that are cared for differently: a down jacket is not a softshell or a
membrane (rain) jacket (held-out run 7, d29: "softshell in die waschmaschine?" got the down-jacket
washing quote). A plain "Jacke" is any sort; a named sort only meets its own (SORTS). A passage's
heading counts as well as the page title: "Isomatte nicht vergessen" on the sleeping-bag buying page
is about a mat, not a sleeping bag (run 7, d22).
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Folded word part -> product kind. Longer parts first where one contains another.
KINDS = {
    "handschuh": "handschuh",
    "schlafsack": "schlafsack",
    "schlafsaeck": "schlafsack",
    "isomatte": "isomatte",
    "matte": "isomatte",
    "rucksack": "rucksack",
    "rucksaeck": "rucksack",
    "pullover": "pullover",
    "pulli": "pullover",
    "daunenjacke": "daunenjacke",
    "daunenmantel": "daunenjacke",
    "steppjacke": "daunenjacke",
    "pufferjacke": "daunenjacke",
    "softshell": "shelljacke",
    "softshelljacke": "shelljacke",
    "hardshell": "shelljacke",
    "hardshelljacke": "shelljacke",
    "membranjacke": "shelljacke",
    "regenjacke": "shelljacke",
    "funktionsjacke": "shelljacke",
    "wetterschutzjacke": "shelljacke",
    "jacke": "jacke",
    "zelt": "zelt",
    "schuh": "schuh",
    "stiefel": "schuh",
    "hose": "hose",
    "socke": "socke",
    "shirt": "shirt",
    "weste": "weste",
    "muetze": "muetze",
    "flasche": "flasche",
    "lampe": "lampe",
    "kocher": "kocher",
    "mantel": "mantel",
}
# A sort of a general kind: a plain "Jacke" meets every sort, a sort only its own and the plain kind.
SORTS = {"daunenjacke": "jacke", "shelljacke": "jacke"}
_WORD = re.compile(r"[a-z]+")


def kind_of(word: str) -> str | None:
    """The product kind a word names by its last part ("Daunenjacken" -> "jacke"), or None."""
    folded = (word or "").lower().translate(_FOLD)
    best: tuple[int, int, str] | None = None
    for part, kind in KINDS.items():
        at = folded.rfind(part)
        if at < 0:
            continue
        rank = (at + len(part), len(part), kind)  # ends last, then the longest part
        best = rank if best is None or rank[:2] > best[:2] else best
    return best[2] if best else None


def named_kinds(text: str) -> dict[str, str]:
    """The product kinds a text names, each with the first word that names it (as written)."""
    found: dict[str, str] = {}
    for word in re.findall(r"\w+", text or ""):
        if not _WORD.fullmatch(word.lower().translate(_FOLD)):
            continue
        kind = kind_of(word)
        if kind and kind not in found:
            found[kind] = word
    return found


def meets(asked: str, named: str) -> bool:
    """Whether a passage naming the kind `named` can answer a question about `asked`: the same
    kind, or a plain kind and one of its sorts ("Jacke" and "Daunenjacke", either way round)."""
    return asked == named or SORTS.get(asked) == named or SORTS.get(named) == asked


def other_product(question: str, title: str, quote: str = "", heading: str = "") -> str | None:
    """The product the question names (its word, capitalised) when the page `title` names kinds of
    product and neither it nor the `quote` names the asked one, or when the passage's `heading`
    names only other kinds; None when they share a kind, the question names none ("Wie wasche ich
    das am besten?"), or the page is a general one (returns, shipping: a product named there as an
    example does not make it another product's page)."""
    asked = named_kinds(question)
    if not asked:
        return None
    page = set(named_kinds(title))
    said = page | set(named_kinds(quote))
    section = set(named_kinds(heading)) - page  # a heading only repeating the title adds nothing
    shared = any(meets(a, n) for a in asked for n in said)
    if section and not any(meets(a, n) for a in asked for n in section):
        shared = False  # "Isomatte nicht vergessen" on the sleeping-bag page: about a mat
    elif not page:
        return None
    if shared:
        return None
    word = next(iter(asked.values()))
    return word[:1].upper() + word[1:]
