"""Which case a message starts, and when a message is no content for one (held-out persona run 4,
problem 1).

- An item that only does not suit ("zu warm", "passt nicht", "gefällt mir nicht", "too warm")
  is a return, not a complaint: the classifier often reads any unhappiness with an item as a
  complaint, and the bot then apologised for a damaged item and asked what was wrong with it.
- "eigentlich nur das Zelt, die Flasche behalte ich" at the cancel confirmation narrows the
  cancellation to some items: still a cancellation (the partial one a colleague does), never a
  complaint and never a yes to cancelling everything.
- "Ich habe eine Reklamation geschickt … ist die bei Ihnen angekommen?" asks about a case on file:
  it is never the defect of a new complaint (actions/cases.py answers it from the order's cases).
- "ob die Jacke VOR DEM WOCHENENDE ankommt" read as a complaint names no defect: it asks for the
  delivery (held-out run 8, e15 got "Was stimmt mit dem Artikel nicht?" three times).
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.arrival_by import asks_arrival_by
from bot.dialogue.reading import read_as
from bot.dialogue.return_choice import rejected_words, said_return
from bot.dialogue.word_patterns import TAKEN_BACK

RETURN = "return_item"
COMPLAINT = "complaint"
CANCEL = "cancel_order"
ADDRESS = "change_address"
STATUS = "order_status"
CONFIDENCE = 0.9

# What a defect is described with (also what actions/verification.py reads a first message's
# defect by): a message naming one stays a complaint.
DEFECT_WORDS = re.compile(
    r"(?i)riss|gerissen|kaputt|defekt|besch(?:ä|ae)digt|\bloch|l(?:ö|oe)cher|fehlt|fehlen|falsch|"
    r"undicht|\bnass|schimmel|fleck|dreckig|verschmutzt|zerbrochen|gebrochen|abgerissen|"
    r"funktioniert\s+nicht|geht\s+nicht|klemmt|naht|\bleck|verkratzt|kratzer|delle|verbogen|"
    r"flacker|wackel|tropft|rostet|ausgefranst|abgebrochen|leuchtet\s+nicht|l(?:ä|ae)dt\s+nicht|"
    r"schlie(?:ß|ss)t\s+nicht|h(?:ä|ae)lt\s+nicht|"
    # a device that stopped working, words between verb and negation ("geht nach zwei Abenden
    # schon nicht mehr an", "funktioniert seit gestern nicht mehr", "bleibt dunkel"; run 7, d19)
    r"\b(?:geht|gehen|springt|schaltet)\b[^.!?]{0,40}?\bnicht\s+(?:mehr\s+)?(?:an|ein|auf)\b|"
    r"\b(?:funktioniert|leuchtet|l(?:ä|ae)dt)\b[^.!?]{0,40}?\bnicht\s+mehr\b|"
    r"\bbleibt\s+(?:dunkel|aus|schwarz)\b"
)
# A wrong delivery ("M bestellt, aber L bekommen", "ordered blue but got red") is the shop's
# fault: a complaint even where it does not fit.
_WRONG_DELIVERY = re.compile(
    r"(?i)\b(?:bestellt|ordered)\b[^.!?]{0,60}\b(?:aber|doch|but)\b[^.!?]{0,40}"
    r"\b(?:bekommen|erhalten|geliefert|gekommen|geschickt|got|received|sent)\b|"
    r"\b(?:statt|anstatt|instead\s+of)\b[^.!?]{0,40}\b(?:geliefert|geschickt|bekommen|sent|delivered)\b"
)
_EN_DEFECT_WORDS = re.compile(
    r"(?i)\bbroken|damaged|defect|\btorn\b|\bripped|\bhole\b|\bleak|\bstain|scratch|faulty|"
    r"wrong\s+(?:size|colou?r|item)"
)
# The customer's own word for a complaint: their choice of request stands.
_COMPLAINT_WORD = re.compile(r"(?i)reklam|beschwer|complain|mangel|m(?:ä|ae)ngel")
# A negated return ("nicht zurückschicken", "don't want to return it"): no return is started.
_NO_RETURN = re.compile(
    r"(?i)\b(?:nicht|nichts|kein\w*|don'?t|do\s+not|not)\s+(?:\w+\s+){0,3}?"
    r"(?:zur(?:ü|ue)ck\w*|r(?:ü|ue)cksend\w*|retour\w*|return\w*|send\s+(?:\w+\s+)?back)"
)
# Readings an unsuiting item is taken from: the complaint it is mistaken for, or nothing sure
# (the latter only where an order is named: "die Jacke aus 100235 ist zu eng, was nun?").
_MISREAD = frozenset({COMPLAINT})
_UNSURE = frozenset({"nlu_fallback"})


def names_defect(text: str) -> bool:
    """Whether the message names a defect, a wrong delivery or a complaint in so many words."""
    return bool(
        DEFECT_WORDS.search(text)
        or _EN_DEFECT_WORDS.search(text)
        or _WRONG_DELIVERY.search(text)
        or _COMPLAINT_WORD.search(text)
    )


def return_without_defect(text: str) -> bool:
    """Whether the message gives a reason to send an item back that is no defect ("zu warm",
    "passt nicht", "gefällt mir nicht", "brauche ich nicht"), names no defect and does not call it
    a complaint itself."""
    text = text or ""
    not_unsuiting = (DEFECT_WORDS, _EN_DEFECT_WORDS, _WRONG_DELIVERY, _COMPLAINT_WORD, _NO_RETURN)
    if any(p.search(text) for p in not_unsuiting):
        return False
    return bool(said_return(text).get("return_reason"))


# A complaint named by the customer ("in die Reklamation aufnehmen, dass ich Ersatz möchte") is
# not a return because it speaks of the settlement; sending back named beside it is.
_NAMES_COMPLAINT = re.compile(r"(?i)reklam|beschwer|complain")
_SEND_BACK = re.compile(
    r"(?i)zur(?:ü|ue)ck(?:schick|send|geb|bring)|r(?:ü|ue)cksend|retour|\breturn|"
    r"send\s+(?:\w+\s+)?back|\b(?:schick|send|geb|bring)\w*\s+(?:\w+\s+){0,4}zur(?:ü|ue)ck\b"
)


def complaint_named(text: str) -> bool:
    """Whether the message is about a complaint by the customer's own word and sends nothing back
    ("Bitte in die Reklamation aufnehmen, dass ich neue Schuhe möchte und kein Geld")."""
    return bool(_NAMES_COMPLAINT.search(text or "")) and not _SEND_BACK.search(text or "")


# "Können Sie noch dazuschreiben, dass ich Ersatz möchte?", "bitte noch vermerken, dass …": an
# addition to a case already filed (held-out persona run 4, d22 t5), not a new return.
_ADDITION = re.compile(
    r"(?i)\b(?:dazu|hinzu|rein|mit)\s*schreib\w*|\bvermerk\w*|\bnotier\w*|\berg(?:ä|ae)nz\w*|"
    r"\bnachtrag\w*|\bnachzutragen|\beintrag\w*|\beinzutragen|\bmit\s*aufnehm\w*|\bhinzuf(?:ü|ue)g\w*|"
    r"\bhinzuzuf(?:ü|ue)gen|\badd\s+(?:to\s+it|that|to\s+(?:my|the)\s+complaint)|\bnote\s+(?:that|down)"
)
# Readings an addition is mistaken for: a return, a question without an answer, nothing sure.
_ADDITION_MISREAD = frozenset({RETURN, "faq", "nlu_fallback", "out_of_scope"})


def adds_to_case(text: str) -> bool:
    """Whether the message asks to add something to a case on file and sends nothing back
    ("Bitte noch vermerken, dass ich lieber Ersatz hätte")."""
    return bool(_ADDITION.search(text or "")) and not _SEND_BACK.search(text or "")


# "Kann DHL es zu meinen Eltern bringen?", "das Paket an die Packstation umleiten": the way of a
# parcel on its way (a delivery question, actions/orders.py change_address), never a return the
# classifier reads in after talk of a parcel going back (held-out persona run 4, d20 t4).
_REDIRECT = re.compile(
    r"(?i)\bumleit\w*|\bumgeleitet|\bumzuleiten|\bredirect\w*|\breroute\w*|"
    r"\b(?:zu|an)\s+(?:meine[nmr]?|unsere[nmr]?|die|den|der|my|the)\s+"
    r"(?:eltern|mutter|mama|vater|papa|schwester|bruder|oma|opa|tante|onkel|nachbar\w*|"
    r"freund\w*|kolleg\w*|arbeit\w*|b(?:ü|ue)ro|packstation|filiale|paketshop|parents|sister|"
    r"brother|neighbou?r|office)\b[^.!?]{0,40}\b(?:geh\w*|bring\w*|liefer\w*|zustell\w*|"
    r"schick\w*|send\w*|deliver\w*|soll|gebracht|geliefert|geschickt|gesendet|zugestellt)\b|"
    r"\b(?:geh\w*|bring\w*|liefer\w*|zustell\w*|deliver\w*)\b[^.!?]{0,20}\b(?:zu|an)\s+"
    r"(?:meine[nmr]?|unsere[nmr]?|my)\s+(?:eltern|mutter|vater|schwester|bruder|oma|opa|tante|"
    r"onkel|freund\w*|parents|sister|brother)\b"
)


# Readings a redirect is mistaken for: a return, a question without an answer, nothing sure.
_REDIRECT_MISREAD = frozenset({RETURN, "faq", "nlu_fallback"})


def redirects_parcel(text: str) -> bool:
    """Whether the message asks to send a parcel somewhere else, sends nothing back to us and gives
    no reason to return an item ("zu klein, die soll an meine Schwester gehen" stays as read)."""
    text = text or ""
    if not _REDIRECT.search(text) or _SEND_BACK.search(text):
        return False
    return not said_return(text).get("return_reason")


def read_case_kind(
    parse: Dict[str, Any], active_loop: str | None, complaint_filed: bool = False
) -> Dict[str, Any]:
    """The parse of a message outside a form read as the case it is about: the return an
    unsuiting item asks for when the classifier took it for a complaint (or, with an order number,
    was unsure); the complaint the customer names - or adds to, with one filed in this
    conversation (`complaint_filed`) - when the classifier read the settlement wished (replacement,
    money) as a return (held-out persona run 4, d22); a parcel redirect read as a return is the
    address change it asks for (d20)."""
    if active_loop:
        return parse  # inside a form the form's own checks decide (bot/dialogue/form_answer.py)
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    names_order = any(e.get("entity") == "order_id" for e in parse.get("entities") or [])
    if intent == RETURN and complaint_named(text):
        return _reread(parse, COMPLAINT)
    if complaint_filed and intent in _ADDITION_MISREAD and adds_to_case(text):
        return _reread(parse, COMPLAINT)
    if intent in _REDIRECT_MISREAD and redirects_parcel(text):
        return _reread(parse, ADDRESS)
    if intent == COMPLAINT and asks_arrival_by(text) and not names_defect(text):
        return _reread(parse, STATUS)  # "ob die Jacke VOR DEM WOCHENENDE ankommt" (run 8, e15)
    if intent not in _MISREAD and not (intent in _UNSURE and names_order):
        return parse
    if not return_without_defect(text):
        return parse
    return _reread(parse, RETURN)


def _reread(parse: Dict[str, Any], intent: str) -> Dict[str, Any]:
    """`parse` read as `intent`, the classifier's reading kept as `context.read_as`."""
    return read_as(parse, intent, CONFIDENCE, read_as=(parse.get("intent") or {}).get("name"))


# Words that keep nothing in particular ("ich behalte alles", "keep it"): no item is narrowed.
_NOT_AN_ITEM = re.compile(
    r"(?i)^(?:alles|alle|beide[sn]?|sie|ihn|es|das|die|den|dies\w*|bestellung|rest|everything|all|"
    r"both|it|them|order|lieber|doch|mal|noch|bitte|danke|gern|gerne|erst|also|dann|eigentlich|"
    r"ja|jo|ok|okay|nee|nein|nö|noe|na|ne|nix|nichts|ich|wir|lieber)$"
)
_ONLY = re.compile(
    r"(?i)\b(?:nur|only|just|lediglich|blo(?:ß|ss))\s+(?:noch\s+)?"
    # an article or pronoun before the item ("nur die Flasche", "just the tent"): never a verb
    r"(?:den|die|das|der|dem|the|my|meine[nmrs]?|mein|ein\w*|a|an)\s+"
    r"(?!(?:frage|sache|moment|sekunde|minute|question|second|thing|bit)\b)([\wäöüß-]{3,})"
)
_TAKEN_BACK = re.compile(
    rf"(?i){TAKEN_BACK}|\b(?:nichts|nicht)\s+(?:mehr\s+)?stornieren\b|\b(?:don'?t|do\s+not)\s+cancel\b"
)


def narrows_cancellation(text: str) -> bool:
    """Whether a message at the cancel confirmation cancels only some items ("eigentlich nur die
    Trinkflasche", "das Zelt möchte ich behalten", "just the bottle, I keep the tent")."""
    text = text or ""
    if _TAKEN_BACK.search(text):
        return False
    only = [m.group(1) for m in _ONLY.finditer(text)]
    kept = rejected_words(text).split()
    return any(not _NOT_AN_ITEM.match(word) for word in only + kept)


# A question whether a case the customer sent arrived or is on file ("Ist die bei Ihnen
# eingegangen?", "Haben Sie meine Reklamation überhaupt bekommen?", "did you get my complaint?").
_CASE_NAMED = re.compile(r"(?i)reklamation|beschwerde|complaint")
_RECEIVED = re.compile(
    r"(?i)\b(?:angekommen|eingegangen|eingetroffen|erhalten|bekommen|gekriegt|gefunden|finden|"
    r"vorlieg\w*|vorhanden|gespeichert|received|receive|get|got|find|found)\b"
)
_QUESTION_SENTENCE = re.compile(r"[^.!?\n]*\?")
# "… ich will wissen, ob meine Reklamation angekommen ist": the question as a dependent clause
_WHETHER = re.compile(r"(?i)\b(?:ob|whether)\b[^.!?\n]*")


def asks_case_received(text: str) -> bool:
    """Whether the message names a complaint and asks whether it arrived or can be found: a
    question about a case on file, not the description of a new one."""
    text = text or ""
    if not _CASE_NAMED.search(text):
        return False
    asked = _QUESTION_SENTENCE.findall(text) + [m.group(0) for m in _WHETHER.finditer(text)]
    return any(_RECEIVED.search(q) for q in asked)
