"""Return questions the classifier reads as something else, read from the words (held-out runs 5, 6).

A return question that names how it was paid ("can I send it back although it was Klarna?", "geht
Rückgabe auch bei Kauf auf Rechnung?") is pulled to the payment answers by the payment word: the
customer got the list of payment methods twice. And "how do I start the return?" with an order number
beside it was read as an order status (the Klarna payment state). Dialect words are read through
bot/dialogue/spelling.py ("zruggschicke", "umtuusche"). Plain strings and parse dicts: no Rasa import.

A question about the rules asked before there is anything to send back ("Falls die Schuhe zu klein
sind, kann ich sie dann umtauschen?", "if the jacket doesn't fit, can I swap it?") was read as a new
return, and the return form asked a pre-sales customer for an order number (held-out run 5, d02): it
gets the return or exchange policy; a return starts when the customer says they want one.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence

from bot.dialogue.case_kind import DEFECT_WORDS
from bot.dialogue.faq_reading import as_faq
from bot.dialogue.reading import read_as
from bot.dialogue.return_choice import EXCHANGE_WORDS, SIZE_AGAINST, SIZE_SWAP
from bot.dialogue.spelling import normalize

# Sending goods back or exchanging them (not a refund alone: "Geld zurück" is a money question).
RETURN_WORDS = re.compile(
    r"(?i)\breturn(?:s|ing|ed)?\b|\bsend(?:ing)?\s+(?:\w+\s+){0,3}back\b|\bexchang\w*|"
    r"zur(?:ü|ue)ck\s?(?:zu)?(?:schick|send|geb|bring)\w*|r(?:ü|ue)ck(?:send|gabe)\w*|"
    r"\bumtausch\w*|\bumzutauschen\b|\bretour\w*"
)
# How it was (or will be) paid.
PAYMENT_WORDS = re.compile(
    r"(?i)klarna|pay\s?pal|kredit\s?karte|credit\s+card|vorkasse|prepay\w*|lastschrift|direct\s+debit|"
    r"\bauf\s+rechnung\b|rechnungskauf|\b(?:by|on|with|via)\s+invoice\b|\bpaid\b|\bbezahlt\b|"
    r"\bpayment\b|\bzahlungs?(?:art|weise|methode)\b"
)
# Bought on invoice: the refund runs through Klarna (company.yml faq.return_klarna).
ON_KLARNA = re.compile(
    r"(?i)klarna|\bauf\s+rechnung\b|rechnungskauf|\b(?:by|on|with|via)\s+invoice\b"
)
# A return on file is asked about (bot/dialogue/case_question.py reads those), or a return refused.
NOT_A_RETURN_QUESTION = re.compile(
    r"(?i)\bstatus\b|\blabel\b|etikett|\bwhere\s+is\b|\bwo\s+(?:ist|bleibt)\b|angemeldet|registered|"
    r"\b(?:don'?t|do\s+not|not|no|nicht|kein\w*)\s+(?:\w+\s+){0,2}(?:return|send|zur(?:ü|ue)ck|"
    r"umtausch|tausch|r(?:ü|ue)cksend)"
)
# Readings a return question beside a payment word is taken from: the payment answers the word pulls
# it to, and the help pages or a fallback.
PAYMENT_KEYS = frozenset({"payment_methods", "invoice_due", "checkout_payment", "pay_later"})
PAYMENT_READINGS = frozenset(
    {"payment_issue", "invoice_request", "product_question", "nlu_fallback", "out_of_scope"}
)
# A new return read from the words beside a payment word is taken as the question whether that payment
# allows one when it asks so and names no order ("if I pay on Klarna invoice, could I send it back?"
# before ordering); with an order number it stays the return request.
ASKED = re.compile(
    r"(?i)\?\s*$|^\s*(?:and\s+|und\s+|also\s+)?(?:can|could|may|is|would|kann|k(?:ö|oe)nnte|darf|geht|ist)\b"
)
ORDER_NUMBER = re.compile(r"\b\d{6}\b")
# Asking to start a return: "how do I start the return?", "I want to begin a return", "wie melde ich
# eine Rücksendung an?", "Rücksendung anlegen".
START_RETURN = re.compile(
    r"(?i)\b(?:start|begin|initiate|create|open|register|file|set\s+up|do)\w*\s+(?:a|the|my|an|this)?\s*"
    r"(?:return|exchange)\b|"
    r"\br(?:ü|ue)cksendung\w*\s+(?:\w+\s+){0,2}(?:anlegen|anmelden|starten|beginnen|einleiten|machen)\b|"
    r"\bwie\s+(?:starte|beginne|melde|lege|mache)\s+ich\s+(?:eine|die|meine)\s+r(?:ü|ue)cksendung\b"
)
# Readings a start of a return is taken from: the order status the order number pulls it to, any FAQ
# answer (the return policy for "how do I start a return?" - it does not start one), payment answers.
START_READINGS = frozenset(
    {
        "order_status",
        "faq",
        "payment_issue",
        "invoice_request",
        "product_question",
        "nlu_fallback",
        "out_of_scope",
    }
)
# "Kostet das Zurückschicken etwas?" read as the shipping costs: the return's cost is in the return
# answer (free, with a label); a message that names shipping itself is left to the shipping answer.
COST_WORDS = re.compile(
    r"(?i)kost|\bcost|gratis|umsonst|\bfree\b|\bpreis|\bprice|geb(?:ü|ue)hr|\bfee"
)
SHIPPING_WORDS = re.compile(r"(?i)versand|liefer|porto|shipping|\bship\b|deliver|postage")
# "And would I still owe Klarna anything then?" right after such a question: its follow-up (the
# answer before holds it; actions/faq.py narrows the repeated answer to the part asked about). Not a
# question for the ways to pay.
FOLLOW_MONEY = re.compile(
    r"(?i)\bpay|zahl|\bmoney\b|\bgeld\b|\bowe\b|klarna|invoice|rechnung|\bbill"
)
METHODS_ASKED = re.compile(
    r"(?i)\b(?:which|what)\b.{0,20}\b(?:methods?|ways?|options?)\b|welche\s+zahlungs|zahlungsarten"
)
FOLLOW_WORDS = 14
# "Grösse S gegen M tauschen, geht das?" read as a product question (held-out run 6, d05): a size
# swap of something bought is an exchange, i.e. a return (bot/dialogue/return_choice.py reads the size).
SWAP_READINGS = frozenset({"product_question", "nlu_fallback", "out_of_scope"})
CONFIDENCE = 0.95  # as sure as a curated answer (actions/faq.py FAQ_SURE: 0.95 x 0.95)
# A condition on the item not suiting ("falls sie zu klein sind", "wenn sie nicht passt", "if it
# doesn't fit", "should they be too big") or on buying it first ("wenn ich sie bestelle", "before I
# order"): the customer asks what would happen, nothing is there to send back yet.
_UNSUITING = (
    r"(?:nicht|net|ned|nid|kein\w*|zu\s+\w+|passt|passen|gef(?:ä|ae)ll\w*|not|n't|too\s+\w+|fit\w*|"
    r"like)"
)
CONDITION = re.compile(
    rf"(?i)\b(?:falls|sofern|angenommen|wenn|wenns|sollte|sollten|if|in\s+case|suppose|should)\b"
    rf"[^.!?]{{0,60}}?\b{_UNSUITING}|"
    r"\b(?:bevor|ehe|wenn|falls|before|if|once)\s+(?:ich|i)\s+(?:\w+\s+){0,3}?"
    r"(?:bestell\w*|kauf\w*|order\w*|buy\w*|purchas\w*)|"
    r"\bvor\s+dem\s+(?:kauf|bestellen)\b|"
    r"\b(?:(?:ü|ue)berleg\w*|thinking\s+(?:of|about)|considering)\b[^.!?]{0,40}"
    r"\b(?:kaufen|bestellen|buying|ordering|buy|order)\b|"
    r"\b(?:noch\s+nicht|noch\s+nichts|noch\s+nix|not\s+yet|haven'?t)\s+(?:\w+\s+){0,2}?"
    r"(?:bestellt|gekauft|ordered|bought)\b"
)
# A wish to send something back ("ich möchte sie umtauschen, falls das geht", "I want to return it"):
# a request, not a question about the rules.
WISH = re.compile(
    r"(?i)\b(?:ich|i)\s+(?:m(?:ö|oe)chte|will|w(?:ü|ue)rde\s+gern\w*|h(?:ä|ae)tte\s+gern\w*|"
    r"want\s+to|would\s+like\s+to|'d\s+like\s+to|need\s+to)\b"
    r"|\bi(?:'d|\s+would)\s+like\s+to\b"
)
SWAP_WORDS = re.compile(r"(?i)\bswap\w*|\btausch\w*|\bumtausch\w*|\bumzutauschen\b")
# Readings a question about the rules is taken from: the new return the return words pull it to, or
# the help pages and nothing sure. A defect named beside it is a complaint's matter (warranty).
RULES_READINGS = frozenset({"return_item", "product_question", "nlu_fallback", "out_of_scope"})


def _words(text: str) -> str:
    """The text and its standard spelling (dialect return verbs: bot/dialogue/spelling.py)."""
    return f"{text}\n{normalize(text)}"


def asks_about_return(text: str) -> bool:
    """Whether the message asks about sending goods back or exchanging them (not about a return on
    file, and not refusing one)."""
    words = _words(text or "")
    return bool(RETURN_WORDS.search(words)) and not NOT_A_RETURN_QUESTION.search(words)


def wants_to_start_return(text: str) -> bool:
    """Whether the message asks to start a return (or how to)."""
    words = _words(text or "")
    return bool(START_RETURN.search(words)) and not NOT_A_RETURN_QUESTION.search(words)


def _faq_key(parse: Dict[str, Any]) -> str:
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    key = str((selector.get("response") or {}).get("intent_response_key") or "")
    return key.split("/", 1)[1] if "/" in key else key


def asks_return_cost(text: str) -> bool:
    """Whether the message asks what sending goods back costs (not what shipping costs)."""
    words = _words(text or "")
    return (
        asks_about_return(text)
        and bool(COST_WORDS.search(words))
        and not SHIPPING_WORDS.search(words)
    )


def swaps_size(text: str) -> bool:
    """Whether the message asks to exchange an item for another size ("S gegen M tauschen")."""
    words = normalize(text or "")
    sized = SIZE_AGAINST.search(words) or SIZE_SWAP.search(words)
    return bool(sized and EXCHANGE_WORDS.search(words)) and not NOT_A_RETURN_QUESTION.search(words)


def asks_return_rules(text: str) -> bool:
    """Whether the message asks whether goods could go back or be exchanged should they not suit, or
    before buying them ("Falls die Schuhe zu klein sind, kann ich sie dann umtauschen?"): a question
    about the rules that names no order, wishes no return and starts none."""
    text = text or ""
    words = _words(text)
    if not (RETURN_WORDS.search(words) or SWAP_WORDS.search(words)):
        return False
    if ORDER_NUMBER.search(text) or WISH.search(text) or NOT_A_RETURN_QUESTION.search(words):
        return False
    if DEFECT_WORDS.search(words):  # "falls der Reißverschluss kaputt geht": the warranty's matter
        return False
    asked = "?" in text or bool(ASKED.search(text))
    return asked and bool(CONDITION.search(words)) and not wants_to_start_return(text)


def rules_key(text: str) -> str:
    """The company.yml FAQ answer for a question about the rules: the exchange policy when it asks
    about exchanging, the Klarna return answer beside an invoice purchase, else the return policy."""
    words = _words(text or "")
    if SWAP_WORDS.search(words) or EXCHANGE_WORDS.search(words):
        return "exchange_policy"
    return "return_klarna" if ON_KLARNA.search(words) else "return_policy"


def _rules_requests(parse: Dict[str, Any], text: str) -> Dict[str, Any]:
    """`parse` without other requests that would start a return for a question about the rules:
    a new return listed beside it is the rules' answer (once), and the cost of sending back is in it."""
    listed = parse.get("other_requests") or []
    main = f"faq/{_faq_key(parse)}" if (parse.get("intent") or {}).get("name") == "faq" else ""
    key = f"faq/{rules_key(text)}"
    kept: List[Dict[str, Any]] = []
    for request in listed:
        if request.get("intent") == "return_item":
            request = {**request, "intent": "faq", "key": key}
        if request.get("key") == "faq/shipping_costs" and asks_return_cost(text):
            continue
        if request.get("key") == key and (main == key or any(r.get("key") == key for r in kept)):
            continue
        kept.append(request)
    if kept == list(listed):
        return parse
    out = dict(parse)
    if kept:
        out["other_requests"] = kept
    else:
        out.pop("other_requests", None)
    return out


def follows_paid_return(text: str, earlier: Sequence[str]) -> bool:
    """Whether the message is a short money follow-up to a return question that named how it was
    paid (`earlier`: the customer's messages before)."""
    if not earlier or len(text.split()) > FOLLOW_WORDS or METHODS_ASKED.search(text):
        return False
    before = earlier[-1]
    asked = asks_about_return(before) and bool(PAYMENT_WORDS.search(before))
    return asked and bool(FOLLOW_MONEY.search(text))


def read_return_question(
    parse: Dict[str, Any], active_loop: str | None, earlier: Sequence[str] = ()
) -> Dict[str, Any]:
    """The parse of a return question read as what it asks: starting a return is `return_item`; a
    question whether goods paid some way can go back is the return answer (with Klarna's part for
    goods bought on invoice), and so is its short money follow-up. A form's own answers are left
    alone."""
    if active_loop:
        return parse
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if intent in START_READINGS and wants_to_start_return(text):
        return read_as(parse, "return_item", CONFIDENCE, read_as=intent)
    if asks_return_rules(text):  # "falls sie nicht passt, kann ich sie umtauschen?": the rules
        if intent in RULES_READINGS:
            return _rules_requests(as_faq(parse, rules_key(text), CONFIDENCE, read_as=intent), text)
        parse = _rules_requests(parse, text)
    if intent in SWAP_READINGS and swaps_size(text):
        return read_as(parse, "return_item", CONFIDENCE, read_as=intent)
    key = _faq_key(parse) if intent == "faq" else ""
    if key == "shipping_costs" and asks_return_cost(text):
        return as_faq(parse, "return_policy", CONFIDENCE, read_as=intent)
    paying = intent in PAYMENT_READINGS or key in PAYMENT_KEYS
    if intent == "return_item":
        paying = bool(ASKED.search(text)) and not ORDER_NUMBER.search(text)
    if not paying:
        return parse
    if asks_about_return(text) and PAYMENT_WORDS.search(text):
        said = text
    elif follows_paid_return(text, earlier):
        said = f"{earlier[-1]}\n{text}"
    else:
        return parse
    key = "return_klarna" if ON_KLARNA.search(said) else "return_policy"
    return as_faq(parse, key, CONFIDENCE, read_as=intent)
