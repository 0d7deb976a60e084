"""Dialect, colloquial and umlaut-less spellings written as standard German (pure Python).

Customers write as they speak: Bavarian and Austrian ("i hob mei packerl ned kriagt"),
Swiss German ("wo isch mini bestellig"), chat shorthand ("gibts", "pls") and without
umlauts ("rueckgabe", "strasse"). The NLU (bot/rasa_plugins/normalizer.py) and the knowledge
base's analyser (bot/knowledge/analysis.py) read the same standard spellings from here, so a
question is understood the same way by both.

The word list and the two participle rules come from general knowledge of the dialects
(not from any test set): frequent function words, verb forms and the shop's own nouns.
`fold_spelling` additionally makes "ü"/"ue" and "ß"/"ss" the same.
"""

from __future__ import annotations

import re
from typing import Dict

# Keys are lower case and spelled as `fold_spelling` writes them (no umlauts, no ß).
WORDS: Dict[str, str] = {
    # pronouns, articles, possessives (Bavarian/Austrian, Swiss)
    "i": "ich",
    "mi": "mich",
    "mia": "wir",
    "ma": "wir",
    "des": "das",
    "dees": "das",
    "dos": "das",
    "dess": "das",
    "s": "das",
    "a": "ein",
    "oa": "ein",
    "oan": "einen",
    "oane": "eine",
    "oana": "einer",
    "koa": "kein",
    "koan": "keinen",
    "koane": "keine",
    "ka": "kein",
    "kan": "keinen",
    "kane": "keine",
    "kei": "kein",
    "keis": "keines",
    "mei": "mein",
    "meim": "meinem",
    "meina": "meiner",
    "mini": "meine",
    "mis": "mein",
    "mim": "meinem",
    "dei": "dein",
    "dini": "deine",
    "eier": "euer",
    "eiere": "eure",
    "eich": "euch",
    "ois": "alles",
    "alls": "alles",
    "ebbs": "etwas",
    "ebbas": "etwas",
    "eppas": "etwas",
    "oeppis": "etwas",
    "dui": "die",
    "de": "die",
    "nix": "nichts",
    "nuet": "nichts",
    "nuets": "nichts",
    "wos": "was",
    "wass": "was",
    "wia": "wie",
    "woas": "weiss",
    "wois": "weiss",
    "waas": "weiss",
    # negation, particles, adverbs
    "naa": "nein",
    "noe": "nein",
    "naaa": "nein",
    "erscht": "erst",
    "ischt": "ist",
    "schad": "schade",
    "vielmal": "vielmals",
    "ned": "nicht",
    "net": "nicht",
    "nit": "nicht",
    "nid": "nicht",
    "noed": "nicht",
    "nued": "nicht",
    "scho": "schon",
    "aa": "auch",
    "oiso": "also",
    "bissl": "bisschen",
    "bisserl": "bisschen",
    "bitzli": "bisschen",
    "gscheit": "richtig",
    "grad": "gerade",
    "jetz": "jetzt",
    "jetzad": "jetzt",
    "etz": "jetzt",
    "hoit": "halt",
    "heit": "heute",
    "heid": "heute",
    "huet": "heute",
    "moang": "morgen",
    "morgn": "morgen",
    "moing": "morgen",
    "morn": "morgen",
    "gestan": "gestern",
    "geschter": "gestern",
    "gester": "gestern",
    "vorgestan": "vorgestern",
    "fria": "frueh",
    "fruah": "frueh",
    "zruck": "zurueck",
    "zrugg": "zurueck",
    "zrueck": "zurueck",
    "nomoi": "nochmal",
    "nomal": "nochmal",
    "nochamoi": "nochmal",
    "moi": "mal",
    "mol": "mal",
    "amoi": "einmal",
    "imma": "immer",
    "allweil": "immer",
    "vui": "viel",
    "vuil": "viel",
    "vill": "viel",
    "vil": "viel",
    "guad": "gut",
    "guat": "gut",
    "guet": "gut",
    "schee": "schoen",
    "schoe": "schoen",
    "sche": "schoen",
    "kloa": "klein",
    "chli": "klein",
    "groass": "gross",
    # verbs (Bavarian/Austrian, Swiss, colloquial contractions)
    "is": "ist",
    "isch": "ist",
    "isses": "ist es",
    "san": "sind",
    "sand": "sind",
    "sin": "sind",
    "hob": "habe",
    "hab": "habe",
    "hon": "habe",
    "ham": "haben",
    "hom": "haben",
    "hamma": "haben wir",
    "hod": "hat",
    "hot": "hat",
    "haet": "hat",
    "hend": "haben",
    "hei": "haben",
    "hosd": "hast",
    "hosch": "hast",
    "hesch": "hast",
    "wuar": "wurde",
    "worn": "geworden",
    "woar": "war",
    "gwesn": "gewesen",
    "gwen": "gewesen",
    "gsi": "gewesen",
    "ko": "kann",
    "kon": "kann",
    "konn": "kann",
    "cha": "kann",
    "chan": "kann",
    "konnst": "kannst",
    "kosd": "kannst",
    "chasch": "kannst",
    "kannste": "kannst du",
    "kennts": "koennt ihr",
    "koennts": "koennt ihr",
    "choennt": "koennt",
    "choend": "koennt",
    "mog": "mag",
    "mechat": "moechte",
    "mecht": "moechte",
    "moecht": "moechte",
    "moechat": "moechte",
    "wui": "will",
    "wuj": "will",
    "wott": "will",
    "wotsch": "willst",
    "muas": "muss",
    "muass": "muss",
    "mues": "muss",
    "miassn": "muessen",
    "daf": "darf",
    "deaf": "darf",
    "kimmt": "kommt",
    "kummt": "kommt",
    "chunnt": "kommt",
    "chunt": "kommt",
    "kumm": "komm",
    "chum": "komm",
    "gehd": "geht",
    "gead": "geht",
    "goht": "geht",
    "gaht": "geht",
    "gibts": "gibt es",
    "gits": "gibt es",
    "gibt's": "gibt es",
    "gehts": "geht es",
    "gehds": "geht es",
    "hasts": "hast du",
    "haste": "hast du",
    "biste": "bist du",
    "brauch": "brauche",
    "bruch": "brauche",
    "bruuch": "brauche",
    "woass": "weiss",
    "weis": "weiss",
    "sog": "sag",
    "sogts": "sagt",
    "sagts": "sagt",
    "schaug": "schau",
    "luag": "schau",
    "lueg": "schau",
    "luege": "schauen",
    "kriag": "kriege",
    "kriagt": "gekriegt",
    "griagt": "gekriegt",
    "iberwiesn": "ueberwiesen",
    "zoit": "gezahlt",
    "zoin": "zahlen",
    "zahln": "zahlen",
    "storniern": "stornieren",
    "schicka": "schicken",
    "zruckschicka": "zurueckschicken",
    # Swiss exchange and return verbs ("umtuusche", "tuusche", "retourniere"; "zrugg-" verbs below)
    "umtuusche": "umtauschen",
    "umtuuschen": "umtauschen",
    "umtuusch": "umtausch",
    "umtuuscht": "umgetauscht",
    "tuusche": "tauschen",
    "tuusch": "tausch",
    "retourniere": "zuruecksenden",
    "gaege": "gegen",
    "choschtet": "kostet",
    "choscht": "kostet",
    "choschte": "kosten",
    "gaeg": "gegen",
    "saege": "sagen",
    "saeg": "sag",
    "sogn": "sagen",
    "wart": "warte",
    "bstelln": "bestellen",
    "keft": "gekauft",
    "kafft": "gekauft",
    # greetings and thanks
    "griass": "gruess",
    "griassdi": "gruess dich",
    "griasdi": "gruess dich",
    "gruezi": "gruess gott",
    "hoi": "hallo",
    "sali": "hallo",
    "yo": "hallo",
    "kk": "ok",
    "oki": "ok",
    "grueessech": "gruess gott",
    "servas": "servus",
    "pfiat": "tschuess",
    "pfiati": "tschuess",
    "baba": "tschuess",
    "ade": "tschuess",
    "adieu": "tschuess",
    "tschau": "tschuess",
    "ciao": "tschuess",
    "merci": "danke",
    "vergelts": "danke",
    "dangschee": "danke schoen",
    "dankschee": "danke schoen",
    "bittschoen": "bitte schoen",
    "bittschee": "bitte schoen",
    "pls": "bitte",
    "plz": "bitte",
    "bidde": "bitte",
    "thx": "danke",
    "danggschen": "danke schoen",
    # shop nouns
    "packl": "paket",
    "packerl": "paket",
    "paeckli": "paket",
    "paeckle": "paket",
    "paeckerl": "paket",
    "bestellig": "bestellung",
    "bstellig": "bestellung",
    "groessi": "groesse",
    "grossi": "groesse",
    "bstellung": "bestellung",
    "bschtellung": "bestellung",
    "bschtellig": "bestellung",
    "bschtellt": "bestellt",
    "schwiiz": "schweiz",
    "zueri": "zuerich",
    "trinkflasch": "trinkflasche",
    "jackn": "jacke",
    "lieferig": "lieferung",
    "liferig": "lieferung",
    "rechnig": "rechnung",
    "zahlig": "zahlung",
    "sendig": "sendung",
    "adraesse": "adresse",
    "adress": "adresse",
    "retoure": "ruecksendung",
    "sackerl": "tuete",
    "kassa": "kasse",
    "jaenner": "januar",
    "feber": "februar",
    "gwand": "kleidung",
    "schuah": "schuhe",
    "wedda": "wetter",
    "weda": "wetter",
    "wetta": "wetter",
    "waetter": "wetter",
    "wecka": "wecker",
    "zyt": "zeit",
    "zeid": "zeit",
    "stund": "stunde",
    "minutn": "minuten",
    # abbreviations
    "vllt": "vielleicht",
    "vlt": "vielleicht",
    "evtl": "eventuell",
    "bzgl": "bezueglich",
    "wg": "wegen",
    "nr": "nummer",
    "mfg": "mit freundlichen gruessen",
    "lg": "liebe gruesse",
    "sry": "sorry",
}
_TOKEN = re.compile(r"[\w'’]+", re.UNICODE)
# Bavarian/Swiss participles and be- words lose the e: "gschickt", "gmacht", "bstellt", "bzahlt".
# gl-, gn-, gr-, bl-, br- start standard words (glauben, gnade, gross, blau, brief) and stay.
_GE = re.compile(r"^g([bcdfhjkmpqstvwxz][a-z]+t)$")
_BE = re.compile(r"^b([cdfghjkmnpqstvwxz][a-z]{3,})$")
_KEEP = frozenset({"bzw", "bsp", "gmbh", "gps", "design"})
# Bavarian infinitives without the e: "wissn", "machn", "schickn" (not -rn/-ln: "gern", "Köln").
_EN = re.compile(r"^([a-z]{2,}(?:[bdfgkpstz]|ch))n$")
# Separable "zurück" verbs with the clipped Swiss/Bavarian prefix: "zruggschicke", "zrucksenden",
# "zruggä" (give back); the Swiss infinitive's lost n comes back ("zurueckschicke" -> "...schicken").
_BACK = re.compile(r"^z(?:rugg|ruck|rueck)([a-z]{2,})$")
_GIVE = frozenset({"ae", "aeae", "gae", "gaeae", "geh", "gebe", "gaeh"})
# Chat stretching at the end of a word: "heyyy", "okiii", "jaaa", "hallooo".
_STRETCH = re.compile(r"([a-z])\1{2,}$")
# Swiss/Bavarian "i" for "in" before an article: "i d'Schwiiz", "i de Stadt", "i em Lade".
_IN = re.compile(r"(?i)\bi(?=\s+(?:d'|s'|de[mnrs]?\b|em\b|ere\b))")


def fold_spelling(text: str) -> str:
    """ä/ae, ö/oe, ü/ue and ß/ss written one way (lower case): the n-gram features see them as equal."""
    text = text.lower()
    return (
        text.replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("ß", "ss")
        .replace("’", "'")
    )


def _word(token: str) -> str:
    folded = fold_spelling(token)
    if folded in _KEEP:
        return token
    if folded in WORDS:
        word = WORDS[folded]
        return word[0].upper() + word[1:] if token[0].isupper() else word
    if (
        folded.startswith(("d'", "s'")) and len(folded) > 2
    ):  # "d'Lieferig", "s'Packerl": the article is clipped
        return ("die " if folded[0] == "d" else "das ") + _word(token[2:])
    if folded.endswith("'s") and len(folded) > 3:  # "geht's", "gibt's"
        return _word(token[:-2]) + " es"
    back = _BACK.match(folded)
    if back:
        verb = "geben" if back.group(1) in _GIVE else back.group(1)
        return "zurueck" + (verb + "n" if verb.endswith("e") else verb)
    for pattern, prefix in ((_GE, "ge"), (_BE, "be")):
        match = pattern.match(folded)
        if match:
            return prefix + match.group(1)
    if _STRETCH.search(folded):  # "heyyy" -> "hey", "okiii" -> "ok" (then the table)
        return _word(_STRETCH.sub(r"\1", token))
    match = _EN.match(folded)
    if match and folded not in _KEEP:
        return token[: len(match.group(1))] + "en"
    return token


def normalize(text: str) -> str:
    """The text with dialect and colloquial words replaced by standard ones (other characters kept)."""
    return _TOKEN.sub(lambda match: _word(match.group(0)), _IN.sub("in", text))
