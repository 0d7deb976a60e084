"""Whether a message really asks about a suspicious mail, SMS, call or link (issue 22.7, persona run 4).

The classifier reads worried-sounding questions as `suspicious_message` from their tone alone: "Ja,
bitte so anlegen. Das Geld geht dann aber auf das PayPal meiner Mutter, oder?" or "muss ich vorher
noch irgendwas anmelden?" got the phishing safety text, and a confirmed return was never created.
The safety text needs a real phishing cue: a word for fraud or suspicion, a request for secret data
(password, TAN, bank data), or a message/link together with what it asks or whether it is genuine.
Only right after the safety advice (`advised`) a follow-up without cues ("reicht es, wenn ich die
Seite schließe?") keeps that reading. Otherwise the next reading of the ranking is taken.
A new topic wins over that follow-up reading (persona run 4, d15/d04): "Ich habe keinen Link geöffnet.
Ich möchte mich vom Newsletter abmelden." or "… und mein Paket 100238, ist das schon da?" got the
safety text again; a sentence naming another shop matter without a phishing cue is that matter.
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot.dialogue.reading import next_reading, read_as

SUSPICIOUS = "suspicious_message"

# Fraud or suspicion named, or secret data asked for: a cue on its own.
_SECRET = re.compile(
    r"(?i)\b(?:phishing|betrug\w*|betrüg\w*|betrueg\w*|fake|gefälscht\w*|gefaelscht\w*|abzocke\w*|"
    r"verdächtig\w*|verdaechtig\w*|unseriös\w*|unserioes\w*|seriös\w*|serioes\w*|scam|fraud\w*|"
    r"suspicious|passw(?:o|ö)rt\w*|password\w*|kennwort\w*|tan|pin|kontodaten|bankdaten|"
    r"zugangsdaten|login-?daten|kreditkarten\w*|draufgeklickt|angeklickt)\b"
)
# A message, call or link ...
_CHANNEL = re.compile(
    r"(?i)\b(?:link\w*|mail\w*|e-mail\w*|email\w*|sms|nachricht\w*|anruf\w*|angerufen|anhang|"
    r"absender|webseite|website|seite|message|text)\b"
)
# ... that asks for data, threatens, or whose origin the customer doubts, or was already opened.
_DOUBT = re.compile(
    r"(?i)\b(?:echt|wirklich\s+von|von\s+(?:ihnen|euch|dir)|angeblich|ausgegeben|sicher|geklickt|"
    r"draufgeklickt|angeklickt|gedrückt|gedrueckt|geöffnet|geoeffnet|eingegeben|eingetippt|"
    r"bestätigen|bestaetigen|entsperren|gesperrt|sperren|gebühr\w*|gebuehr\w*|daten|"
    r"löschen|loeschen|weiterleiten|sind\s+sie\s+das|seid\s+ihr\s+das|stammt|genuine|real|really\s+from|from\s+you|clicked)\b"
)


def has_cue(text: str) -> bool:
    """A real phishing cue in `text` (see the module docstring)."""
    text = text or ""
    return bool(_SECRET.search(text) or (_CHANNEL.search(text) and _DOUBT.search(text)))


# Another shop matter: the newsletter, an order or parcel (or its six-digit number), a return, a bill.
_TOPIC = re.compile(
    r"(?i)\b(?:newsletter\w*|werbung\w*|werbe-?\w*|abmelden|abbestellen|abonnement\w*|paket\w*|"
    r"bestellung\w*|lieferung\w*|sendung\w*|r(?:ü|ue)cksendung\w*|retoure\w*|reklamation\w*|"
    r"umtausch\w*|rechnung\w*|gutschein\w*|\d{6}|unsubscribe|parcel|order|refund|return)\b"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s+(?:oder|or)\s+")


def new_topic(text: str) -> bool:
    """A sentence of `text` (or one side of an "oder": "ist meine Bestellung … angekommen oder war das
    auch Betrug?") names another shop matter and neither a message, call or link nor secret data
    (not "die SMS sagt, mein Paket hängt beim Zoll")."""
    return any(
        _TOPIC.search(sentence) and not (_SECRET.search(sentence) or _CHANNEL.search(sentence))
        for sentence in _SENTENCE_END.split(text or "")
    )


def read_phishing(parse: Dict[str, Any], advised: bool) -> Dict[str, Any]:
    """The parse with `suspicious_message` replaced by the next reading of the ranking when the text
    has no phishing cue and no safety advice was just given, or names a new topic right after the
    advice; otherwise the parse unchanged."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    cue = has_cue(text)
    moved_on = advised and new_topic(text)
    if intent != SUSPICIOUS and advised and cue and intent not in _KEEP and not moved_on:
        return _as_suspicious(
            parse, intent
        )  # "schon draufgeklickt, nichts eingetippt" read as a status
    if intent != SUSPICIOUS or ((advised or cue) and not moved_on):
        return parse
    return next_reading(parse, SUSPICIOUS, read_as=SUSPICIOUS)


# Secret data typed into the page (persona run 3, d07): the card number and CVC, bank access or a
# password. Then "change your password" is not enough: the card or bank access must be blocked now.
CARD, BANK, PASSWORD, DATA = "card", "bank", "password", "data"
_ENTERED = re.compile(
    r"(?i)\b(?:eingegeben|eingetippt|eingetragen|angegeben|preisgegeben|verraten|ausgef(?:ü|ue)llt|"
    r"best(?:ä|ae)tigt|entered|typed|gave|filled)\b"
)
_KINDS = (
    (
        CARD,
        re.compile(
            r"(?i)\b(?:kredit|debit|giro|ec-?)?karten?(?:daten|nummer|nr|pr(?:ü|ue)f\w*)?\b|"
            r"\bkreditkarten\w*|\bcvc\b|\bcvv\b|\bcard\b"
        ),
    ),
    (
        BANK,
        re.compile(
            r"(?i)\biban\b|online-?banking\w*|\bbank-?(?:daten|zugang\w*|login)|\bkontodaten|"
            r"\b(?:pin|tan)\b|bank\s+(?:details|login)"
        ),
    ),
    (PASSWORD, re.compile(r"(?i)passw(?:o|ö)rt\w*|password\w*|kennwort\w*|zugangsdaten|login\w*")),
)
# "nichts eingegeben", "ohne etwas einzugeben": a click only (the current "meist unbedenklich" answer).
_NOT_ENTERED = re.compile(
    r"(?i)\b(?:nichts|nicht|keine\w*|nothing|not|didn't|didn’t)\s+(?:\w+\s+){0,3}?"
    r"(?:eingegeben|eingetippt|eingetragen|angegeben|ausgef(?:ü|ue)llt|entered|typed)\b|"
    r"\bohne\s+(?:\w+\s+){0,3}?ein(?:zu)?geben"
)
_DATA_WORD = re.compile(r"(?i)\bdaten\b|\bdetails\b|\bdata\b")
# "Soll ich die Karte sperren lassen?" asks the one thing that matters: a direct "Ja".
_BLOCK_ASK = re.compile(r"(?i)\bsperren\b|\bblock\w*\b|\bcancel\s+(?:my\s+|the\s+)?card\b")
# A fraud context in the same message (the card words alone may be a failed checkout).
_FRAUD = re.compile(
    r"(?i)\b(?:phishing|betrug\w*|betr(?:ü|ue)g\w*|fake|gef(?:ä|ae)lscht\w*|link\w*|sms|scam|fraud\w*|"
    r"nicht\s+von\s+(?:ihnen|euch)|angst|sperren)\b"
)


# Money already gone or paid through the link (held-out persona run 6, d10: "hab das gemacht und jetzt
# sind 400 € weg" got "please do not click"): the card or bank must be blocked now.
_MONEY = r"(?:\d+(?:[.,]\d+)?\s*(?:€|(?:euro|eur)\b)|€\s*\d+|\bgeld|\bbetrag|\bmoney|\$\s*\d+)"
_GONE = (
    r"(?:weg|fehl(?:en|t)|futsch|abgebucht|abgehoben|verschwunden|gestohlen|geklaut|abgezogen|gone|stolen|"
    r"taken|debited|withdrawn|missing)"
)
_MONEY_GONE = re.compile(
    rf"(?i){_MONEY}[^.!?]{{0,50}}?\b{_GONE}\b|"
    rf"\b(?:abgebucht|abgezogen|debited|fehl(?:en|t)|weg\s+(?:sind|ist))\b[^.!?]{{0,30}}{_MONEY}"
)
_PAID_THROUGH = re.compile(
    r"(?i)\b(?:bezahlt|gezahlt|überwiesen|ueberwiesen|paid)\b[^.!?]{0,60}\b(?:link\w*|seite|page)\b|"
    r"\b(?:link\w*|seite|page)\b[^.!?]{0,60}\b(?:bezahlt|gezahlt|überwiesen|ueberwiesen|paid)\b"
)
_NOT_PAID = re.compile(
    r"(?i)\b(?:nicht|nichts|nie|kein\w*|not|never|didn't|didn’t)\s+(?:\w+\s+){0,3}?"
    r"(?:bezahlt|gezahlt|überwiesen|ueberwiesen|paid)\b"
)


def money_taken(text: str) -> bool:
    """The customer says money is gone or was paid through the link (not "ich habe nichts bezahlt")."""
    text = text or ""
    if _NOT_PAID.search(text) and not _MONEY_GONE.search(text):
        return False
    return bool(_MONEY_GONE.search(text) or _PAID_THROUGH.search(text))


# Whether the money paid through the fake page comes back, and who pays it (held-out run 8, e04 t5/t6:
# "bekomm ich die 2,99 von euch wieder? zahlt ihr das oder meine bank??" got the 30-day return policy
# and "Mehr musst du nicht tun"). The money named (an amount, "das Geld", "die 2,99") and getting it
# back or who pays it.
_BACK = re.compile(
    r"(?i)\bwieder\s*(?:bekomm|krieg|hol)\w*|\b(?:bekomm|krieg|kriegt|hol)\w*\b.{0,40}\b(?:wieder|zur(?:ü|ue)ck)\b|"
    r"\bzur(?:ü|ue)ck\s*(?:bekomm|krieg|zahl|(?:ü|ue)berw|hol|buch)\w*|\berstatt\w*|\bersetz\w*|"
    r"\brefund\w*|\b(?:give|pay|get)\w*\s+(?:\w+\s+){0,4}back\b|\bmoney\s+back\b|\breimburs\w*|"
    r"\bwho\s+(?:pays|covers)\b"
)
# Who pays it: "zahlt ihr das oder meine Bank?", "übernehmen Sie das?", "who covers it?".
_WHO_PAYS = re.compile(
    r"(?i)\b(?:zahlt|(?:ü|ue)bernehmt|(?:ü|ue)bernimmt|erstattet)\s+(?:ihr|sie|die\s+bank|meine\s+bank)\b|"
    r"\b(?:zahlen|(?:ü|ue)bernehmen|erstatten)\s+sie\s+(?:das|die|den|mir)\b|"
    r"\b(?:oder|or)\s+(?:\w+\s+){0,3}(?:meine|die|my|the)\s+bank\b|\bwho\s+(?:pays|covers)\b"
)
_MONEY_NAMED = re.compile(
    r"(?i)\d+(?:[.,]\d+)?\s*(?:€|euro|eur)?|€|\bgeld\b|\bbetrag\w*|\bkohle\b|\bgeb(?:ü|ue)hr\w*|"
    r"\bmoney\b|\bfee\b|\bpayment\b|\beuros?\b"
)
# A refund of a real order ("die Rücksendung", "Retoure") is the shop's own refund.
_OWN = r"(?:r(?:ü|ue)cksend\w*|retoure\w*|zur(?:ü|ue)ck\s*schick\w*|\breturn\w*|storn\w*)"
_OWN_REFUND = re.compile(rf"(?i){_OWN}")
# "ich mein nicht zurückschicken": the own refund ruled out, so still the fraud money.
_NOT_OWN = re.compile(rf"(?i)\b(?:nicht|kein\w*|not|no)\s+(?:\w+\s+){{0,2}}?{_OWN}")


def asks_money_back(text: str) -> bool:
    """The customer asks whether the money paid to the fraudsters comes back, or who pays it."""
    text = text or ""
    own = _OWN_REFUND.search(_NOT_OWN.sub(" ", text))
    asked = (_BACK.search(text) and _MONEY_NAMED.search(text)) or _WHO_PAYS.search(text)
    return bool(asked) and not own


def read_money_back(parse: Dict[str, Any], phished: bool) -> Dict[str, Any]:
    """After the safety advice (`phished`), a question whether the money paid on the fake page comes
    back is the phishing question (actions/empathy.py answers it), whatever the classifier read."""
    intent = (parse.get("intent") or {}).get("name")
    if not phished or intent in _KEEP or not asks_money_back(str(parse.get("text") or "")):
        return parse
    return _as_suspicious(parse, intent)


def entered_kind(text: str) -> str | None:
    """What secret the customer says they typed in (CARD, BANK, PASSWORD, DATA for unnamed data), or
    asks to block (the card); None when the message says neither. Money gone or paid through the
    link counts as card data given (the block text names the bank too)."""
    text = text or ""
    entered = bool(_ENTERED.search(text)) and not _NOT_ENTERED.search(text)
    blocking = bool(_BLOCK_ASK.search(text))
    for kind, pattern in _KINDS:
        if pattern.search(text) and (entered or (blocking and kind != PASSWORD)):
            return kind
    if entered and _DATA_WORD.search(text):
        return DATA
    return CARD if money_taken(text) else None


def asks_to_block(text: str) -> bool:
    """The message asks whether to block the card or access ("ja oder nein?")."""
    return bool(_BLOCK_ASK.search(text or ""))


# "Karte ist schon gesperrt", "hab die Karte sperren lassen", "card is blocked": the block is done, so
# the "block it now" text is not said again (held-out persona run 5, d07: it came three times).
_BLOCKED = re.compile(
    r"(?i)\b(?:karten?|kreditkarten?|card|zugang|banking)\b(?P<between>[^.!?,;]{0,40}?)"
    r"\b(?:ge?sperrt|blockiert|blocked|cancell?ed|frozen|stopped)\b|"
    r"\b(?:ge?sperrt|blockiert|blocked|cancell?ed)\b(?P<after>[^.!?,;]{0,20}?)\b(?:karten?|card)\b|"
    r"\b(?:hab\w*|have|had|hat)\b(?P<ago>[^.!?,;]{0,40}?)\bsperren\s+lassen\b"
)
# Not done yet, or only threatened ("sonst wird Ihre Karte gesperrt").
_NOT_DONE = re.compile(
    r"(?i)\b(?:nicht|kein\w*|not|never|nie|noch|yet|wird|werden|will|would|soll\w*|muss\w*)\b|n't\b"
)


def says_blocked(text: str) -> bool:
    """The customer says the card or bank access is blocked already (not "noch nicht gesperrt", not
    "ist sie gesperrt?", not the SMS's threat "sonst wird die Karte gesperrt")."""
    text = text or ""
    for match in _BLOCKED.finditer(text):
        clause_start = max(text.rfind(c, 0, match.start()) for c in ".!?,;") + 1
        before = text[clause_start : match.start()]
        clause_end = min(
            [i for i in (text.find(c, match.end()) for c in ".!,;?") if i != -1] or [len(text)]
        )
        question = clause_end < len(text) and text[clause_end] == "?"
        said = before + " " + " ".join(g for g in match.groups() if g)
        if not _NOT_DONE.search(said) and not question:
            return True
    return False


# Readings a data-entered message keeps: a person asked for, the conversation stopped.
_KEEP = frozenset({"request_human", "stop", SUSPICIOUS})


def read_entered_data(parse: Dict[str, Any], phished: bool) -> Dict[str, Any]:
    """A message saying secret data was typed in (or asking to block the card) is the phishing question,
    whatever the classifier said (d07: "kartennummer und cvc. bitte, was jetzt" got the DSGVO text),
    when the message or the conversation (`phished`: the safety advice was given) is about fraud."""
    text = str(parse.get("text") or "")
    intent = (parse.get("intent") or {}).get("name")
    if intent in _KEEP or entered_kind(text) is None or not (phished or _FRAUD.search(text)):
        return parse
    return _as_suspicious(parse, intent)


def _as_suspicious(parse: Dict[str, Any], intent: Any) -> Dict[str, Any]:
    """`parse` read as the phishing question (the classifier's reading kept as `context.read_as`)."""
    return read_as(parse, SUSPICIOUS, read_as=intent)
