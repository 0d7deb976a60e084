"""Whether the customer says "du" or "Sie": shared by the NLU component and the actions.

Only the customer addressing the bot counts: "du"/"dir"/"kannst" switch to du ("bist du ein
Bot?" is said to the bot). "ihr"/"euch"/"habt" address the shop as a company ("habt ihr das
auf Lager?", "bei euch") and say nothing about how the customer wants to be addressed.
Formal Sie is also recognised written in lower case ("können sie mir helfen").

Register is also read from style (issue 22): an offer to use du ("wir können uns gern duzen"),
chat greetings ("heyy", "yo", "moin moin" is not enough), slang or emojis in a message written
all in lower case, and two weak cues together (nouns in lower case, a chat emoji, "hi"/"ey"/"alter",
"hab" without "ich") say du. Formal markers ("Sie", "Ihnen", "Sehr geehrte", "mit freundlichen Grüßen")
always win over style, so a polite customer who adds a smiley stays in Sie.
"""

from __future__ import annotations

import re

from bot.shared.language import detect_language, is_english

DU_WORDS = {
    "du",
    "dich",
    "dir",
    "dein",
    "deine",
    "deinen",
    "deinem",
    "deiner",
    "deines",
    "kannst",
    "könntest",
    "koenntest",
    "hast",
    "bist",
    "weißt",
    "weisst",
    "hilfst",
    "schickst",
    "machst",
    "gibst",
    "musst",
    "sollst",
    "willst",
}
SIE_VERBS = (
    r"können|koennen|könnten|koennten|würden|wuerden|haben|hätten|haetten|sind|wissen|helfen|sagen|"
    r"schicken|geben|müssen|muessen|möchten|moechten|wollen|sollten|brauchen|schauen|prüfen|pruefen"
)
SIE_PATTERN = re.compile(
    r"\b(Ihnen|Ihr(e|en|em|er|es)?)\b|\bSie\s+(mir|bitte|uns)\b",
)
# "können sie", "Können sie", "koennen SIE": a verb in the polite form followed by sie.
SIE_AFTER_VERB = re.compile(r"\b(" + SIE_VERBS + r")\s+sie\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
# "wir können uns (gern) duzen", "duzen wir uns?", "du ist ok", "lass uns du sagen".
DUZEN = re.compile(
    r"\bduz\w*|\bdu (ist|passt|reicht) (ok|okay|gut|völlig|voellig|auch)", re.IGNORECASE
)
NO_DUZEN = re.compile(r"\b(nicht|nie|kein\w*|lieber)\b[^.!?]{0,20}\bduz", re.IGNORECASE)
FORMAL = re.compile(
    r"sehr geehrte|mit freundlichen grüßen|mit freundlichen gruessen|\bmfg\b|\bsiezen\b",
    re.IGNORECASE,
)
# Greetings and slang only young chat writers use with a company ("heyy", "yo", "digga", "lol").
# Not "moin", "hi", "hallöchen" (customers of every age write them and expect Sie), not "jo"
# (Austrian "ja"), not "plz" (Postleitzahl), not "alter" ("mein alter Rucksack").
INFORMAL_GREETING = re.compile(r"^\W*(hey+y|heyho|yo+|hi+i|huhu|servus du|na du)\b", re.IGNORECASE)
SLANG = {
    "digga",
    "diggi",
    "krass",
    "lol",
    "omg",
    "bro",
    "brudi",
    "geil",
    "nice",
    "safe",
    "wtf",
    "mega",
    "hey",
    "heyy",
    "pls",
    "thx",
    "danki",
    "kk",
    "sry",
}
# A du imperative opening a clause ("sag mal, ...", "storniere mal 100236", "ne warte, lass doch"):
# the Sie form is "sagen Sie", so the bare stem at a clause start addresses one person as du. Not
# followed by "ich" ("mach ich das so?" is a question about oneself) and not inside a clause
# ("wie mach ich das").
DU_IMPERATIVE = re.compile(
    r"(?:^|[.,;:!?…]\s*|\b(?:ne|nee|naja|ach|oh|ok|okay|und|aber|also|bitte)\s+)"
    r"(sag|schau|guck|kuck|check|schick|mach|storniere|stornier|lass|hilf|gib|zeig|erklär|erklaer|"
    r"warte|wart|nimm|hör|hoer|ruf|sieh|such|prüf|pruef|hol|frag|schreib|sende|gucke|schaue|"
    r"ändere|aendere|änder|aender)\b(?!\s+(?:ich|sie|Sie|wir)\b)\s*(?:mal|doch|bitte|mir|einfach|kurz|schnell|"
    r"mich|uns|nach|an|ab|bescheid)\b",
    re.IGNORECASE,
)
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]|[:;]-?[)D(P]|<3|xD", re.UNICODE)
# Style cues that are weak alone (issue 22, persona run 2: "hi! … bin umgezogen 🙈", "ey ihr habt mir
# die falsche größe geschickt!!! hab 39 bestellt"): two of them say du; one is how many customers of
# every age type ("wo ist mein paket" from a pensioner in lower case stays Sie).
# A plain smiley or a polite gesture (thumbs up, folded hands, a wave) is politeness that writers of
# every age use; chat emojis ("🙈", "😂", "😤") are not.
PLAIN_SMILEY = re.compile(
    "[\U0001f642\U0001f60a\u263a\U0001f600\U0001f603\U0001f604\U0001f44d\U0001f44c\U0001f64f\U0001f44b]"
    "[\U0001f3fb-\U0001f3ff]?|[:;]-?\\)"
)
# Chat interjections: "hi"/"hey"/"ey" opening the message, "hä", and "alter" said to someone
# ("alter. die REKLAMATION") - not "mein alter Rucksack", where a noun follows.
INTERJECTION = re.compile(
    r"^\W*(?:hi|hey|ey|eyy+)\b|\bhä\b|\bhae\b|(?:^|[.,;:!?]\s*)alter\s*(?:[.,;:!?]|$)",
    re.IGNORECASE,
)
# Spoken forms: "hab 39 bestellt" (no "ich"), "nen", "grad", "nich", "is doch" - not "hab ich".
SPOKEN = re.compile(
    r"(?:^|[.,;:!?]\s*|\bund\s+|\baber\s+)habs?\b(?!\s+ich\b)|\bnen\b|\bnich\b|\bgrad\b|\bhalt\s+mal\b",
    re.IGNORECASE,
)
# Everyday nouns of a support chat (and nouns by their ending): written in lower case they show
# chat style - "bestellung", "adresse" - where a careful writer capitalises them.
NOUNS = {
    "paket", "adresse", "größe", "groesse", "jacke", "schuhe", "zelt", "geld", "artikel", "nummer",
    "sendung", "konto", "schlafsack", "rucksack", "hose", "lampe", "socken", "woche", "tage", "frage",
    "problem", "farbe", "ware", "karte", "mail", "etikett", "umtausch", "versand", "post", "tracking",
    "trackingnummer", "bestellnummer", "lieferadresse", "rücksendung", "ruecksendung", "reklamation",
}  # fmt: skip
NOUN_ENDING = re.compile(r"^[a-zäöüß]{3,}(?:ung|heit|keit|schaft|ion)$")


def _noun(word: str) -> bool:
    low = word.lower()
    return low in NOUNS or bool(NOUN_ENDING.match(low))


def lower_case_nouns(text: str) -> bool:
    """Nouns of a support chat written in lower case and none capitalised ("meine bestellung")."""
    nouns = [w for w in WORD.findall(text) if _noun(w)]
    return bool(nouns) and all(w.islower() for w in nouns)


def style_cues(text: str) -> int:
    """How many weak informal cues the message shows: lower-case nouns, a chat emoji, a chat
    interjection, a spoken form (each counted once)."""
    chat_emoji = bool(EMOJI.search(PLAIN_SMILEY.sub(" ", text)))
    return sum(
        (
            lower_case_nouns(text),
            chat_emoji,
            bool(INTERJECTION.search(text)),
            bool(SPOKEN.search(text)),
        )
    )


def detect_register(text: str) -> str | None:
    """'du', 'sie' or None when the message does not show it."""
    if not text or is_english(text):  # English has no du/Sie ("hi, where is my order" is no du)
        return None
    words = {w.lower() for w in WORD.findall(text)}
    if NO_DUZEN.search(text):
        return "sie"
    if words & DU_WORDS or DUZEN.search(text):
        return "du"
    if (
        SIE_PATTERN.search(text)
        or SIE_AFTER_VERB.search(text)
        or re.search(r"\bihnen\b", text.lower())
        or FORMAL.search(text)
    ):
        return "sie"
    return "du" if informal_style(text, words) else None


def informal_style(text: str, words: set[str] | None = None) -> bool:
    """Chat style that says du without a du: an informal greeting ("heyy", "yo"), a du imperative
    ("sag mal", "lass doch"), slang in a message written in lower case or with an emoji ("omg danke
    😊"), or two weak cues (`style_cues`: "hi! … meine bestellung … 🙈"). Lower case or an emoji alone
    is not enough: many customers type fast or add a smiley and still expect Sie."""
    if INFORMAL_GREETING.search(text) or DU_IMPERATIVE.search(text):
        return True
    words = words if words is not None else {w.lower() for w in WORD.findall(text)}
    lower_case = not any(c.isupper() for c in text)
    if words & SLANG and (lower_case or EMOJI.search(text)):
        return True
    return style_cues(text) >= 2


def address(text: str, current: str | None) -> str | None:
    """How to address the customer after this message: "du", "sie", or "en" for an English-writing
    customer (the convention of company.yml texts: `en` variants, falling back to Sie; the hub keeps
    it in the conversation's register). A German message after English without du/Sie goes back to
    Sie; a message that shows nothing (an order number, "ok") keeps `current`."""
    language = detect_language(text)
    if language == "en":
        return "en"
    shown = detect_register(text)
    if shown:
        return shown
    if language == "de" and current == "en":
        return "sie"
    return current
