"""Newsletter, account deletion and data requests, read from the words (held-out persona run 2).

These need no order, but the classifier read them as something that does: "Ich bekomme jede Woche
einen Newsletter" as an order status (the bot asked for the order number, twice), "Wie melde ich
mich vom Newsletter ab?" as the account help (password reset), "How do I delete my customer
account?" as a cancellation. Each has its own company.yml `faq` answer - the how-to from the help
pages, and for an erasure the honest "I cannot delete it here" with the team offered - so a message
that names one is read as that answer (intent `faq`, the key in the response selector's shape, as
bot/dialogue/english_questions.py does), also inside a form. Plain strings in, parse dicts out.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue.faq_reading import as_faq
from bot.dialogue.reading import next_reading, read_as

# The company.yml `faq` keys, in the order a message naming several is answered.
NEWSLETTER = "newsletter"
ACCOUNT = "account_deletion"
ERASURE = "data_erasure"
ACCESS = "privacy"
KEYS = (ACCESS, ERASURE, ACCOUNT, NEWSLETTER)

_DELETE = (
    r"(?:(?:ge)?l(?:ö|oe)sch\w*|entfern\w*|aufl(?:ö|oe)s\w*|schlie(?:ß|ss)\w*|k(?:ü|ue)ndig\w*|"
    r"delet\w*|eras\w*|remov\w*|close|closing|get\s+rid)"
)
_ACCOUNT = r"(?:kundenkonto|benutzerkonto|konto|account|profil\w*|login)"
_DATA = r"(?:daten|data|chat\w*|gespr(?:ä|ae)ch\w*|verlauf|informationen|information)"
_PATTERNS = {
    NEWSLETTER: re.compile(
        r"(?i)news\s*-?letter|werbe-?\s*(?:e-?)?mails?|werbemails?|marketing[\s-]*e-?mails?|"
        r"promotional\s+e-?mails?|unsubscrib\w*|"
        r"\b(?:keine|kei|koa|no)\s+(?:\w+\s+)?(?:werbung|reklame|advertising)\b|"
        r"\b(?:werbung|reklame)\b.{0,40}\b(?:abbestell\w*|abmeld\w*|austrag\w*|stopp\w*|"
        r"nicht\s+mehr|aufh(?:ö|oe)r\w*|nie\s+gewollt)|"
        r"^\W*(?:und\s+)?(?:die|mit\s+der)\s+werbung\s*\?"
    ),
    ACCOUNT: re.compile(
        rf"(?i)\b{_ACCOUNT}\b.{{0,40}}\b{_DELETE}|\b{_DELETE}\b.{{0,30}}\b{_ACCOUNT}\b"
    ),
    ERASURE: re.compile(
        rf"(?i)\b{_DATA}\b.{{0,40}}\b{_DELETE}|\b{_DELETE}\b.{{0,30}}\b{_DATA}\b|"
        rf"\b{_DELETE}\b.{{0,20}}\b(?:everything|all|alles)\b.{{0,20}}\b(?:about|of|on|über|von)\s+(?:me|mir|mich)\b|"
        r"art(?:ikel|\.)?\s*17\b|recht\s+auf\s+(?:vergessen|l(?:ö|oe)schung)|right\s+to\s+(?:be\s+forgotten|erasure)"
    ),
    ACCESS: re.compile(
        r"(?i)\bwelche\s+(?:\w+\s+){0,2}daten\b.{0,40}\b(?:gespeichert|speicher\w*|(?:ü|ue)ber\s+mich|"
        r"(?:haben|habt|hat)\s+\w+\s+(?:von|(?:ü|ue)ber)\s+(?:mir|mich))|"
        r"\bauskunft\b.{0,40}\bdaten\b|\bdaten\w*auskunft|\bauskunft\s+nach\s+(?:der\s+)?(?:dsgvo|art)|"
        r"\bauskunfts(?:antrag|ersuchen|anfrage|begehren)\w*|"
        r"art(?:ikel|\.)?\s*15\b|"
        # "a copy of all personal data you hold", "a data access request" (persona run 4, d21)
        r"\bwhat\s+(?:\w+\s+){0,2}data\b|\bcopy\s+of\s+(?:\w+\s+){0,3}(?:data|information)\b|"
        r"\b(?:data|subject)\s+access\s+request\b|"
        r"\bwas\s+(?:\w+\s+){0,3}(?:gespeichert|speichert|speichern)\b"
    ),
}
# A newsletter voucher or a bank account is another matter: "Newsletter-Gutschein", "Konto" as the
# account money goes to ("auf mein Konto erstatten" names no deletion anyway).
_NOT_PRIVACY = re.compile(r"(?i)gutschein|voucher|rabatt|discount|coupon")
# "Konto" next to money is where the money goes ("auf mein Konto, das PayPal-Konto ist gelöscht").
_MONEY = re.compile(r"(?i)erstatt\w*|geld|(?:ü|ue)berweis\w*|lastschrift|paypal|refund|money|bank")
# "Can't you delete it right here?" right after a privacy answer: the data of that answer.
_DELETE_IT = re.compile(rf"(?i)\b{_DELETE}\b")
# The customer wants the shop to delete, not the how-to: "dass SIE die Löschung veranlassen", "ein
# Mitarbeiter soll meine Daten löschen", "für mich löschen", "keinen Zugang mehr" (held-out run 7,
# d18 got the self-service quote three times). With a deletion named, that is the erasure answer
# (the team does it), never the account how-to again.
_DELEGATED = re.compile(
    r"(?i)\b(?:dass|daß)\s+sie\b|\b(?:ein(?:e[nr]?)?\s+)?(?:mitarbeiter\w*|kolleg\w*|jemand|"
    r"(?:ihr|euer|das)\s+team|someone|a\s+colleague|your\s+team|(?:a\s+)?member\s+of\s+staff|staff)\b"
    r"[^.!?]{0,30}\b(?:soll\w*|m(?:ö|oe)ge|muss|m(?:ü|ue)ss\w*|should|must|needs?\s+to|has\s+to)\b|"
    r"\b(?:f(?:ü|ue)r\s+mich|for\s+me|on\s+my\s+behalf)\b|\bveranlass\w*|\bweiter\s*geben\b|\bgeben\s+sie\b[^.!?]{0,20}\bweiter\b|"
    r"\bkein(?:en)?\s+zugang|\bnicht\s+mehr\s+(?:in|ins|an)\s+(?:\w+\s+){0,2}(?:konto|account|kundenkonto)|"
    r"\b(?:can(?:'|no)?t|cannot)\s+(?:log\s*in|access|get\s+into)|"
    # the shop addressed as "ihr", or locked out: "bitte löscht mein Konto", "könnt ihr das löschen?",
    # "ich komm nicht rein, Passwort vergessen" (held-out run 8, e20 got the self-service text twice)
    r"\bl(?:ö|oe)scht\s+(?:bitte\s+)?(?:mein\w*|alle\w*|das|die|den)\b|"
    r"\b(?:k(?:ö|oe)nnt|k(?:ö|oe)nntet|w(?:ü|ue)rdet)\s+ihr\b|"
    r"\b(?:komm\w*|kann)\s+(?:ja\s+|gar\s+|eh\s+)?(?:nicht|nimmer|ned)\s+(?:mehr\s+)?(?:rein|hinein)\b|"
    r"\bpasswort\s+vergessen\b"
)
_YOU_STRESSED = re.compile(r"\b(?:SIE|IHR|YOU)\b")  # "SIE": written in capitals, the shop


def delegates_deletion(text: str) -> bool:
    """Whether the text asks the shop (a person) to delete, not how to delete oneself."""
    text = text or ""
    return bool(_DELETE_IT.search(text)) and bool(
        _DELEGATED.search(text) or _YOU_STRESSED.search(text)
    )


# Readings these requests are not: a person asked for, the form stopped, a phishing mail.
KEEP = frozenset({"request_human", "stop", "suspicious_message"})
# A request read from its own words is sure: P(faq) x P(key) = 0.9025 stays above actions/faq.py
# FAQ_SURE, so a help page never outranks it (held-out run 7, d18: the erasure read from the words
# still got the self-service page quoted, at 0.9 x 0.9).
CONFIDENCE = 0.95


def privacy_topics(text: str, after_privacy: bool = False) -> List[str]:
    """The company.yml `faq` keys of the data requests the message names, in KEYS order. An account
    named for deletion is the account answer, not also the data one; `after_privacy`: the bot's last
    answer was one of these, so "kannst du das nicht gleich hier löschen?" asks for the erasure."""
    text = text or ""
    if _NOT_PRIVACY.search(text):
        return []
    found = [key for key in KEYS if _PATTERNS[key].search(text)]
    if ACCOUNT in found and (ERASURE in found or _MONEY.search(text)):
        found.remove(ERASURE if ERASURE in found else ACCOUNT)
    if not found and after_privacy and _DELETE_IT.search(text):
        found = [ERASURE]
    if delegates_deletion(text) and not _MONEY.search(text):
        found = [key for key in KEYS if key in found and key != ACCOUNT or key == ERASURE]
    return found


# "Können Sie den Auskunftsantrag bitte weiterleiten?", "pass my request on": the team is asked for
# (held-out run 8, e19: the request to forward started the address form twice).
_FORWARD = re.compile(
    r"(?i)\bweiter\s*(?:leit|geb|gib|reich)\w*|\b(?:leiten|geben|reichen|gebt|reicht|leitet)\b"
    r"[^.!?]{0,60}\bweiter\b|\bforward\w*|\bpass\s+(?:it|this|that|my\s+\w+)\s+on\b"
)
HUMAN = "request_human"


def read_privacy_request(parse: Dict[str, Any], after_privacy: bool = False) -> Dict[str, Any]:
    """The parse of a newsletter, account-deletion or data request read as that FAQ answer (its
    other requests kept in `context.privacy_topics` for action_faq), whatever the classifier said,
    unless the customer asked for a person or to stop. A data-access request to be passed on is
    the request for a person."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    topics = privacy_topics(text, after_privacy)
    if not topics or intent in KEEP:
        return parse
    if topics[0] == ACCESS and _FORWARD.search(text):
        return read_as(parse, HUMAN, CONFIDENCE, read_as=intent, privacy_topics=topics)
    return as_faq(parse, topics[0], CONFIDENCE, read_as=intent, privacy_topics=topics)


def more_topics(parse: Dict[str, Any]) -> List[str]:
    """The other data requests of the message (answered after the first)."""
    topics = (parse.get("context") or {}).get("privacy_topics") or []
    return [str(t) for t in topics[1:]]


# What the privacy answer is about: the word "Daten" alone is not ("ICH HABE DATEN EINGEGEBEN" after
# a phishing link got "Ihre Daten nutzen wir nur, um …", persona run 3, d07).
_PRIVACY_CUE = re.compile(
    r"(?i)datenschutz|dsgvo|gdpr|privacy|speicher|gespeichert|aufbewahr|weiter\s*(?:ge)?geb|weitergabe|"
    r"verkauf|\bsell|\bshare|auskunft|l(?:ö|oe)sch|vergessen|cookie|track|verarbeit|nutz|verwend|"
    r"passiert|\bmach\w*\s+(?:ihr|es|sie)\b|zugriff|\bmit\s*(?:ge)?les|\bliest\b|sicher|dritte|"
    r"\bki\b|training|\bchat|widersp|beauftragt|\bstore|\bkeep|\bwhat\s+(?:\w+\s+){0,2}data|"
    r"\b(?:my|meine[nm]?|mine)\s+(?:\w+\s+)?(?:daten|date|data)\b|\bwelche\s+(?:\w+\s+)?daten|"
    r"(?:ü|ue)ber\s+mich|about\s+me"
)
PRIVACY_LABEL = f"faq/{ACCESS}"


def read_bare_data(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The classifier's privacy answer for a message that says nothing about privacy (only "Daten")
    becomes the next reading of the ranking; otherwise the parse unchanged."""
    intent = parse.get("intent") or {}
    if intent.get("full_retrieval_intent_name") != PRIVACY_LABEL:
        return parse
    if _PRIVACY_CUE.search(str(parse.get("text") or "")):
        return parse
    return next_reading(parse, "faq", read_as=PRIVACY_LABEL)
