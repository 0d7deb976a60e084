"""German polarity lexicon shipped inside the textblob-de wheel.

The data (Klenner et al. 2010, XML by M. Killer) is Apache-2.0 licensed and
installs from PyPI, so scoring never needs a download. We add a small
customer-service lexicon of words the general lexicon lacks or underrates.
"""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Dict

# Support-chat vocabulary; negative values are frustration, in [-1, 1].
SUPPORT_LEXICON: Dict[str, float] = {
    "sauer": -0.9,
    "wütend": -1.0,
    "wuetend": -1.0,
    "stinksauer": -1.0,
    "angepisst": -1.0,
    "frechheit": -1.0,
    "unverschämt": -1.0,
    "unverschaemt": -1.0,
    "unverschämtheit": -1.0,
    "katastrophe": -1.0,
    "katastrophal": -1.0,
    "enttäuscht": -0.8,
    "enttaeuscht": -0.8,
    "enttäuschend": -0.8,
    "mist": -0.8,
    "scheiße": -1.0,
    "scheisse": -1.0,
    "scheiß": -1.0,
    "scheiss": -1.0,
    "kacke": -0.9,
    "ärgerlich": -0.7,
    "aergerlich": -0.7,
    "ärgere": -0.7,
    "nervt": -0.7,
    "nervig": -0.7,
    "genervt": -0.8,
    "unmöglich": -0.8,
    "unmoeglich": -0.8,
    "skandal": -1.0,
    "skandalös": -1.0,
    "lachhaft": -0.9,
    "lächerlich": -0.9,
    "laecherlich": -0.9,
    "betrug": -1.0,
    "betrüger": -1.0,
    "abzocke": -1.0,
    "abgezockt": -1.0,
    "zumutung": -1.0,
    "inakzeptabel": -0.9,
    "unfassbar": -0.7,
    "unglaublich": -0.5,
    "schlimm": -0.7,
    "furchtbar": -0.9,
    "schrecklich": -0.9,
    "miserabel": -1.0,
    "verarscht": -1.0,
    "verarschen": -1.0,
    "verarsche": -1.0,
    "reicht": -0.5,
    "nie": -0.3,
    "niemals": -0.4,
    "ewig": -0.4,
    "wochen": -0.2,
    "warte": -0.3,
    "immer": -0.1,
    "schon": -0.05,
    "wieder": -0.15,
    # Damage and defects: mild dissatisfaction (score about 0.3), not anger.
    "kaputt": -0.4,
    "defekt": -0.4,
    "riss": -0.4,
    "risse": -0.4,
    "gerissen": -0.4,
    "eingerissen": -0.4,
    "beschädigt": -0.4,
    "beschaedigt": -0.4,
    "kratzer": -0.4,
    "zerkratzt": -0.4,
    "delle": -0.4,
    "loch": -0.4,
    "fleck": -0.4,
    "flecken": -0.4,
    "zerbrochen": -0.4,
    "gebrochen": -0.4,
    "undicht": -0.4,
    "verschmutzt": -0.4,
    "abgerissen": -0.4,
    "fehlerhaft": -0.4,
    # Words the general lexicon scores negative that are plain shop vocabulary here ("bezahlen",
    # "Sendung verfolgen", "Link", "Bestellung aufgeben", "krieg ich", "Daumen drücken", "blau"):
    # neutral, so a calm question is no frustration (issue 22.7). "nichts"/"nix" stay mildly negative.
    **{
        word: 0.0
        for word in (
            "bezahlen",
            "zahlen",
            "verfolgen",
            "link",
            "links",
            "erledigt",
            "kaufen",
            "krieg",
            "kriege",
            "canceln",
            "anders",
            "widerrufen",
            "fest",
            "bestimmt",
            "drücken",
            "spitz",
            "passen",
            "gespielt",
            "niedrig",
            "blau",
            "grauen",
            "aufgeben",
            "fertig",
            "unbezahlt",
            "verlassen",
            "verweigern",
            "ablehnen",
        )
    },
    "nichts": -0.3,
    "nix": -0.3,
    # Asking to complain is a request, not anger ("ich möchte etwas reklamieren").
    "reklamieren": -0.3,
    "beschweren": -0.3,
    "beschwerde": -0.3,
    "zufrieden": 0.6,
    "super": 0.8,
    "danke": 0.5,
    "toll": 0.8,
    "prima": 0.7,
    "perfekt": 0.9,
    "klasse": 0.8,
    "gut": 0.5,
    "freundlich": 0.6,
    "schnell": 0.3,
}


def _ascii_fold(word: str) -> str:
    return word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


@lru_cache(maxsize=1)
def polarity_lexicon() -> Dict[str, float]:
    """Lower-cased word form -> polarity, with ae/oe/ue/ss spellings added."""
    # find_spec locates the package without importing it (its __init__ pulls in
    # parts of textblob that newer releases removed); we only need the data file.
    spec = importlib.util.find_spec("textblob_de")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textblob-de is not installed; run `make run`")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "de-sentiment.xml"
    table: Dict[str, float] = {}
    root = ET.fromstring(path.read_bytes())
    for node in root.iter("word"):
        form = (node.get("form") or "").lower()
        try:
            polarity = float(node.get("polarity") or 0)
        except ValueError:
            continue
        if form and polarity:
            table.setdefault(form, polarity)
    table.update(SUPPORT_LEXICON)
    for word, value in list(table.items()):
        table.setdefault(_ascii_fold(word), value)
    return table
