"""Is a message a general question, or a report about the customer's own order?

"Wie bekomme ich mein Zelt wieder wasserdicht? Das Außenzelt lässt Wasser durch" reads as a
complaint to the intent classifier (a product, a fault), yet it asks how to do something, and the
shop's care pages answer it. A complaint goes to the help pages first only when it asks (a question
mark or a question word) and says nothing that ties it to an order or a fault on arrival: no order
number, nothing ordered, delivered, new or broken, no wish to complain or send back. Everything else
stays a complaint, so a customer with a torn tent still reaches the complaint form.
Works on the plain text, like bot.dialogue.empathy.

An unsure FAQ reading with nothing on the help pages is given only when the answer's own words
support it (`shares_content`): "warum lehnt Klarna meinen Kauf auf Rechnung ab?" and the payment
answer share "Klarna"; "Verkauft ihr auch E-Bikes?" and the same answer share nothing.
"""

from __future__ import annotations

import re

from bot.dialogue.told_already import only_exasperation

_QUESTION = re.compile(
    r"\?|^\s*(wie|was|wo|wann|warum|wieso|weshalb|welche\w*|womit|wodurch|darf|dürfen|duerfen|"
    r"kann|können|koennen|soll|sollte|muss|müssen|muessen|gibt es|habt ihr|haben sie|ist es)\b",
    re.IGNORECASE,
)
_ORDER_OR_FAULT = re.compile(
    r"\d{5,}|\b(bestell\w*|geliefert|lieferung|angekommen|erhalten|bekommen habe|gekauft|neu|neue[nmrs]?|"
    r"reklam\w*|beschwer\w*|zurück\w*|zurueck\w*|umtausch\w*|erstatt\w*|geld|ersatz|garantie|"
    r"kaputt\w*|defekt\w*|beschädigt\w*|beschaedigt\w*|riss|rissen|gerissen|loch|löcher|"
    r"zerbrochen|zerrissen|mangel\w*|mängel\w*|falsch\w*|fehlt|funktioniert nicht|geht nicht mehr)\b",
    re.IGNORECASE,
)


def asks_a_question(text: str) -> bool:
    """A question mark anywhere, or a sentence opening with a question word or verb."""
    return any(_QUESTION.search(part) for part in re.split(r"(?<=[.!?])\s+", text or ""))


def general_question(text: str) -> bool:
    """A how-to question about a product that names no order and no fault on arrival."""
    return (
        not (text or "").startswith("/")  # a tapped "Problem mit Artikel" is the complaint itself
        and asks_a_question(text)
        and not _ORDER_OR_FAULT.search(text or "")
    )


# Issue 22.6: a question about a product's properties before (or without) an order - fit,
# waterproofness, care, material, availability, advice. Never a complaint, never an order number.
_PRODUCT_PROPERTY = re.compile(
    r"wasserdicht|wasserabweisend|regendicht|gore-?tex|f(?:ä|ae)ll(?:t|en)\b.{0,40}\b(?:aus|klein|gro(?:ß|ss)|"
    r"normal|weit|eng|schmal)\b|gr(?:ö|oe)(?:ß|ss)e\b.{0,40}\b(?:nehmen|empfehl\w*|brauch\w*|bestellen)|"
    r"welche gr(?:ö|oe)(?:ß|ss)e|geschnitten|material|woraus|aus welche\w*|f(?:ü|ue)llung|"
    r"\bwasch\w*|trockner|pflege\w*|impr(?:ä|ae)gnier\w*|sp(?:ü|ue)lmaschine\w*|"
    r"lieferbar|auf lager|verf(?:ü|ue)gbar|noch in\b|auch in\b|empfehl\w*|geeignet|taugt|"
    r"wie schwer|gewicht|wie warm|warm genug|akku|bpa",
    re.IGNORECASE,
)
_OWN_ITEM = re.compile(
    r"\b(?:mein|meine|meinen|meinem|meiner|unser\w*|bestellt\w*|gekauft|geliefert|erhalten|"
    r"bekommen|angekommen|zur(?:ü|ue)ck\w*|umtausch\w*|reklam\w*)\b",
    re.IGNORECASE,
)


def product_question(text: str) -> bool:
    """A question about a product's properties that names no own item, order or fault: "Ist die
    Softshelljacke wasserdicht?", "Fällt die Hose klein aus?", "Habt ihr die Jacke noch in L?"."""
    return (
        general_question(text)
        and bool(_PRODUCT_PROPERTY.search(text or ""))
        and not _OWN_ITEM.search(text or "")
    )


# Stock and availability: not on the help pages, and the bot cannot see the warehouse (issue 22.6).
_AVAILABILITY = re.compile(
    r"\bauf lager\b|\bvorr(?:ä|ae)tig|\blieferbar|\bverf(?:ü|ue)gbar|\bausverkauft|\bnachschub|"
    # not "wenn man vom camping wieder da ist": the customer back home (held-out run 7, d13)
    r"\bwieder\s+(?:da(?!\s+(?:bin|bist|ist|sind|seid)\b)|rein|reinkomm\w*|herein\w*|"
    r"erh(?:ä|ae)ltlich|zu haben)\b|"
    r"\b(?:gibt\s+es|gibts|gibt's|habt\s+ihr|haben\s+sie|f(?:ü|ue)hrt\s+ihr|f(?:ü|ue)hren\s+sie|kriegt man|"
    r"bekommt man)\b.{0,40}\b(?:auch|noch)\s+in\b|"
    # "habt ihr die noch da?", "gibts den noch?": the item still in stock (held-out persona run 6,
    # "noch da" read as "is the bot still there")
    r"\b(?:gibt\s+es|gibts|gibt's|habt\s+ihr|haben\s+sie|hat\s+ihr\s+laden)\s+(?:die|den|das|dies\w*|"
    r"ihn|sie|es|\w+(?:jacke|schuhe?|zelt|hose|rucksack|socken))\s+(?:\w+\s+){0,3}?"
    r"(?:noch|wieder)(?:\s+(?:da|vorr(?:ä|ae)tig|zu haben))?\s*(?:[?!.]|$)|"
    # "kann ich dieselbe in M bestellen?": whether the item can be had in that size (held-out run 7,
    # d14 got the between-sizes advice and the washing of down jackets)
    r"\bin\s+(?:gr(?:ö|oe)(?:ß|ss)e\s+)?(?:X{0,3}[SML]|XXL|\d{2})\b(?!\s*(?:tag|woch|monat|jahr|min|stund|euro|€|%|uhr))[^.?!]{0,40}\b(?:nach)?bestell(?:en|bar)\b|"
    r"\b(?:nach)?bestell(?:en|bar)\b[^.?!]{0,30}\bin\s+(?:gr(?:ö|oe)(?:ß|ss)e\s+)?(?:X{0,3}[SML]|XXL|\d{2})\b(?!\s*(?:tag|woch|monat|jahr|min|stund|euro|€|%|uhr))",
    re.IGNORECASE,
)


def availability_question(text: str) -> bool:
    """Whether a product is (again) in stock in a size or colour: "Habt ihr die noch in L?", "Wann
    ist der Schuh in 44 wieder lieferbar?". Not about an order of the customer's own."""
    return (
        asks_a_question(text)
        and bool(_AVAILABILITY.search(text or ""))
        and not re.search(r"\d{5,}", text or "")
        and not _OWN_ITEM.search(text or "")
    )


# Product kinds a follow-up question refers back to ("Darf die in den Trockner?" after a question
# about a down jacket). Compounds count: "Daunenjacke", "Wanderschuhe", "Trekkingzelt".
_PRODUCT = re.compile(
    r"\b\w*(?:jacke|zelt|schlafs(?:a|ä|ae)ck|schuh|stiefel|hose|socke|rucksack|fleece|pullover|pulli|"
    r"shirt|weste|m(?:ü|ue)tze|handschuh|isomatte|st(?:o|ö|oe)ck|flasche|lampe|kocher|mantel|softshell|"
    r"hardshell|daune|kleid|schirm|matte|tasche)\w*",
    re.IGNORECASE,
)


def product_words(text: str) -> list[str]:
    """The product kinds a message names, as written."""
    return _PRODUCT.findall(text or "")


def in_context(text: str, earlier: list[str]) -> str:
    """The question to search the help pages for: a message that names no product of its own is
    about the one named last (`earlier`: the customer's previous messages, oldest first), so that
    product is added ("Darf die in den Trockner?" -> "... Daunenjacke"). Only the product word, not
    the earlier question: the new question's own words must decide which passage answers it."""
    if product_words(text):
        return text
    for message in reversed(earlier):
        named = product_words(message)
        if named:
            return f"{text} {' '.join(dict.fromkeys(named))}"
    return text


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Words too common in questions and answers alike to show what either is about.
_COMMON = frozenset(
    """
    aber alle also auch bald bei bitte dann darf dass denn deine dich diese dieser durch eine einem
    einen einer eines euch eure euer fuer gibt gern geht haben habe hast hat heute hier ihnen ihre
    kein keine keinen keiner nur wollte wollen
    ihrem ihren ihrer immer jetzt kann kannst koennen koennt koennte leider mach machen mein meine
    meinem meinen meiner mich mir mit muss nach nicht noch oder schon sehr sein seit sich sie sind
    soll sollen ueber und unser unsere unter viel vom von wann warum was weil weiss weisst welche wenn
    werden wie wieder will wir wird wissen wo wurde zum zur
    """.split()
)
STEM = 5  # compared on the first letters: "Rechnung" and "Rechnungen", "bestellt" and "Bestellung"


# The customer's verb for what the answers name with a noun: "zurückschicken" is the "Rücksendung",
# "gratis" is "kostenlos" (folded spelling, before stemming).
_SAME_AS = (
    (re.compile(r"\bzur(?:ue|u)ck(?:schick|send|geb|bring)\w*|\bretour\w*"), "ruecksendung"),
    (re.compile(r"\b(?:gratis|umsonst)\b"), "kostenlos"),
)


def content_stems(text: str) -> set[str]:
    folded = (text or "").lower().translate(_FOLD)
    for pattern, word in _SAME_AS:
        folded = pattern.sub(word, folded)
    words = re.findall(r"[a-z]+", folded)
    return {w[:STEM] for w in words if len(w) >= 4 and w not in _COMMON}


def covers(question: str, answer: str) -> int:
    """How many of the question's content words the answer has, also inside its compounds
    ("Versand" in "Standardversand"): which of two answers talks more about what was asked."""
    words = re.findall(r"[a-z]+", (answer or "").lower().translate(_FOLD))
    return sum(1 for stem in content_stems(question) if any(stem in word for word in words))


def shares_content(question: str, answer: str) -> bool:
    """Whether the question names something the answer talks about (a content word in common)."""
    return bool(content_stems(question) & content_stems(answer))


# "Nachbarn hab ich schon gefragt, nix", "hab ich schon probiert, bringt nichts": the customer tried
# what the bot suggested, and it did not help.
_TRIED = re.compile(
    r"\b(?:schon|bereits|auch)\b.{0,40}\b(?:gefragt|geschaut|nachgesehen|nachgeschaut|versucht|"
    r"gemacht|probiert|geguckt|gecheckt|kontrolliert|gesucht)\b|"
    r"\b(?:hat|hilft|half|bringt|brachte)\s+(?:alles\s+)?nichts?\b|"
    r"\bhat\s+nicht\s+(?:geholfen|geklappt|funktioniert)|"
    # English: "That did not help me", "didn't help", "not helpful" (corpus cues_and_lead_ins)
    r"\b(?:did|does|do)\s+not\s+help\b|\b(?:didn|doesn)'?t\s+help\b|\bnot\s+helpful\b",
    re.IGNORECASE,
)


def tried_without_luck(text: str) -> bool:
    """Whether the customer reports that what was suggested did not help (and asks nothing new)."""
    return bool(_TRIED.search(text or "")) and not asks_a_question(text)


# Where a second question starts inside a sentence: at "und"/"oder" before a question word or verb
# ("Welche Größe brauche ich bei 1,78 m, und darf man die waschen?"). Commas alone do not split:
# "1,78 m" and "Größe M, eher weit" stay in their question.
# "…, oder muss das vorher sein?", "…, oder ist das nicht möglich?": the other half of one either/or
# question, no question of its own (held-out persona run 4, d26).
ALTERNATIVE = (
    r"oder\s+(?:muss|soll|kann|ist|geht)\s+(?:das|es|ich|man|sie|er)\s+(?:\w+\s+)?"
    r"(?:vorher|vorab|davor|sofort|gleich|nachher|danach|sp(?:ä|ae)ter|nicht)\b"
)
_NEXT_QUESTION = re.compile(
    rf"[,;]?\s+(?!{ALTERNATIVE})(?:und|oder|aber)\s+(?=(?:wie|was|wann|wo|warum|welche\w*|darf|d(?:ü|ue)rfen|"
    r"kann|k(?:ö|oe)nnen|muss|m(?:ü|ue)ssen|soll|sollte|ist|sind|gibt|gibts|habt|haben|"
    r"f(?:ä|ae)llt|fallen|passt|passen|taugt|taugen)\b)",
    re.IGNORECASE,
)


_OPENER = re.compile(
    r"^\s*(?:und\s+|aber\s+)?(?:(?:bis|ab|seit)\s+wann|wie|was|wo|wann|warum|wieso|weshalb|welche\w*|womit|darf|d(?:ü|ue)rfen|"
    r"kann|k(?:ö|oe)nnen|kannst|k(?:ö|oe)nnt|soll|sollte|muss|m(?:ü|ue)ssen|ist|sind|gibt|gibts|habt|"
    r"haben|hat|passt|passen|h(?:ä|ae)lt|f(?:ä|ae)llt|fallen|l(?:ä|ae)sst|geht|taugt|wird|werden|reicht|"
    r"reichen)\b",
    re.IGNORECASE,
)


def question_clauses(text: str) -> list[str]:
    """The questions a message asks, each as written (at least three words): a part that opens
    with a question word or a verb ("Ist das Zelt dicht, und …"), or the part a question mark ends."""
    found = []
    for sentence, mark in re.findall(r"([^?]+)(\?*)", text or ""):
        # "Zwei Fragen zu 100236: Ist die Rechnung da, und …": a statement before a full stop or
        # colon is no part of the question after it
        parts = [
            p.strip(" ,;.!:")
            for piece in re.split(r"(?<=[.:!])\s+(?=\S)", sentence)
            for p in _NEXT_QUESTION.split(piece)
        ]
        for i, part in enumerate(parts):
            ends_asking = bool(mark) and i == len(parts) - 1
            part = without_lead(part)
            if only_exasperation(part):  # "Wie oft denn noch." asks nothing (told_already.py)
                continue
            if len(part.split()) >= 3 and (ends_asking or _OPENER.search(part)):
                found.append(part)
    return found


# A few words and a comma before a question word ("Guten Tag, wie viele Tage …", "Ach ja, kann …"):
# the lead is no part of the question, and the question still opens (held-out run 4, d09).
_LEAD = re.compile(r"^[^,]{1,25},\s*(?=\S)")
LEAD_WORDS = 3


def without_lead(part: str) -> str:
    """The part without a short lead before a comma when a question word follows it."""
    lead = _LEAD.match(part)
    if not lead or len(lead.group(0).split()) > LEAD_WORDS or _OPENER.search(part):
        return part
    rest = part[lead.end() :]
    return rest if _OPENER.search(rest) else part


_THANKS = re.compile(
    r"\b(?:danke\w*|dank\s+dir|dank\s+euch|vielen\s+dank|merci|thx|thanks)\b", re.IGNORECASE
)
_NO_CLOSING = re.compile(
    r"\b(?:aber|leider|nicht|nix|kein\w*|kaputt\w*|defekt\w*|fehlt|falsch\w*|problem\w*|noch\s+was|"
    r"noch\s+eine?\s+frage)\b",
    re.IGNORECASE,
)
CLOSING_WORDS = 10


def closing_thanks(text: str) -> bool:
    """A short thank-you that asks nothing and raises nothing ("ok dann nehm ich PayPal, danke",
    "Alles klar, dann bestelle ich, vielen Dank!"): the customer closes, whatever topic it names."""
    return (
        len((text or "").split()) <= CLOSING_WORDS
        and bool(_THANKS.search(text or ""))
        and not asks_a_question(text)
        and not _NO_CLOSING.search(text or "")
    )


# A worry that the order will be cancelled ("Muss ich fürchten, dass die Bestellung storniert wird?",
# "wird sie jetzt etwa storniert?"): a question about the cancellation, never a wish for one.
_WORRY = (
    r"(?:f(?:ü|ue)rcht\w*|bef(?:ü|ue)rcht\w*|angst|sorge\w*|bange|worried|afraid|etwa|doch\s+nicht)"
)
_FEARS_CANCELLATION = re.compile(
    rf"\b{_WORRY}\b.{{0,60}}\b(?:storniert|gecancelt|cancell?ed|annulliert)\b"
    r"|\b(?:wird|werden|will)\b.{0,40}\b(?:storniert|cancell?ed)\b.{0,20}\?"
    # "Will my order be cancelled automatically if I don't pay …?", "wird sie von selbst storniert,
    # wenn …?": a cancellation that happens by itself is asked about, not asked for (run 4, d25)
    r"|\b(?:wird|werden|will|would|does|do|gets?|is|going\s+to)\b[^.!?]{0,40}\b(?:storniert|"
    r"cancell?ed)\b[^.!?]{0,15}(?:\b(?:automatisch|von\s+selbst|von\s+allein|automatically|"
    r"on\s+its\s+own|by\s+itself)\b|\b(?:if|wenn|falls)\b[^.!?]{0,60}(?:\b(?:nicht|kein\w*|not|"
    r"late|sp(?:ä|ae)t\w*|erst)\b|n't)[^.!?]{0,60}(?:zahl|pay|paid|(?:ü|ue)berweis|transfer|geld|money))"
    r"[^.!]{0,120}\?"
    r"|\b(?:wird|werden|will|is)\b[^.!?]{0,40}\b(?:automatisch|von\s+selbst|von\s+allein|"
    r"automatically)\b[^.!?]{0,20}\b(?:storniert|cancell?ed)\b[^.!]{0,120}\?",
    re.IGNORECASE,
)


def fears_cancellation(text: str) -> bool:
    """The customer worries that the order gets cancelled (a worry word or a question about it)."""
    return bool(_FEARS_CANCELLATION.search(text or ""))
