"""Switching the payment method of an order, read from the words (held-out persona runs 3 and 4).

"Lässt sich das noch auf Kreditkarte umstellen?" names the Klarna invoice, so the classifier reads
an invoice request (the verification form, then the order's status); "kann i des no auf PayPal
umstelln?" got a Klarna help-page quote and the delivery status. The chat cannot switch the payment
of a placed order (company.yml notice payment_method_change, actions/followups.py), so such a
message is read as a payment question for action_faq, which says that honestly and offers a person.
Plain strings and parse dicts in and out: no Rasa import.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence

from bot.dialogue.faq_reading import as_faq
from bot.dialogue.order_number_given import has_order_number
from bot.dialogue.phishing import SUSPICIOUS, has_cue
from bot.dialogue.questions import asks_a_question

_WAYS = (
    r"(?:pay\s?pal|kredit\s?karte|karte|klarna|rechnung|lastschrift|vorkasse|(?:ü|ue)berweisung|"
    r"sepa|visa|mastercard|credit\s+card|card|invoice|prepayment)"
)
_CHANGE_DE = r"umstell\w*|wechs\w*|(?:ä|ae)nder\w*"
# Asking explicitly to change how a (placed) order is paid: "Zahlungsart ändern", "auf PayPal
# umstellen", "von Klarna auf Kreditkarte wechseln", "switch the payment to PayPal".
METHOD_CHANGE = re.compile(
    r"(?i)zahlungs(?:art|methode|weise)\w*\b.{0,30}\b(?:" + _CHANGE_DE + r")|"
    r"\b(?:" + _CHANGE_DE + r")\b.{0,20}\bzahlungs(?:art|methode|weise)|"
    r"\bauf\s+" + _WAYS + r"\b.{0,20}\b(?:" + _CHANGE_DE + r")|"
    r"\bvo[nm]?\s+\w+\s+auf\s+\w+(?:[\s-]\w+)?\s+(?:" + _CHANGE_DE + r")|"
    r"\b(?:switch|change)\w*\b.{0,30}\b(?:payment|paypal|klarna|card|prepayment|invoice)\b"
)
# Also a switch when an order is on the table: "Kann ich statt Klarna mit PayPal zahlen?", "lieber
# per PayPal bezahlen", "can I pay with PayPal instead?" (without an order: a question about the ways).
METHOD_SWITCH = re.compile(
    METHOD_CHANGE.pattern + r"|"
    r"\bstatt\s+(?:mit\s+|per\s+|(?:ü|ue)ber\s+)?\w+\b.{0,40}(?:zahl|pay)|"
    r"\b(?:lieber|stattdessen|statt\s+dessen)\b.{0,30}\b(?:mit|per|(?:ü|ue)ber)\s+\w+\s+(?:be)?zahl|"
    r"\bpay\b.{0,30}\binstead\b"
)
# Readings a method change is taken from: the payment and invoice intents the words pull it to, an
# unsure or other FAQ answer (a Klarna quote), an order status (the order number beside it).
REREAD = frozenset(
    {
        "faq",
        "invoice_request",
        "payment_issue",
        "order_status",
        "nlu_fallback",
        "out_of_scope",
        "product_question",
    }
)
CONFIDENCE = 0.95


def changes_method(text: str) -> bool:
    """Whether the message asks to change the payment method in so many words."""
    return bool(METHOD_CHANGE.search(text or ""))


def read_method_change(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The parse of a message that asks to change the payment method, read as the payment FAQ
    question (action_faq answers it from actions/followups.py: the chat cannot, a person checks)."""
    intent = (parse.get("intent") or {}).get("name")
    if intent not in REREAD or not changes_method(str(parse.get("text") or "")):
        return parse
    return as_faq(parse, "payment_methods", CONFIDENCE, read_as=intent, method_change=True)


# When a Klarna invoice is paid (held-out persona run 4, d14/d26): "zahle ich vorher oder wenn es da
# ist?", "wann ist die Rechnung fällig?", "When is the payment due?", "How many days after delivery?"
# got the checkout-failure help, the methods list or the delivery times.
PAY_WHEN = re.compile(
    r"(?i)\bwann\b.{0,40}\b(?:be)?zahl|f(?:ä|ae)llig|zahlungs(?:ziel|frist)|"
    r"\b(?:be)?zahl\w*\b.{0,60}\b(?:vorher|vorab|im\s+voraus|nachher|wenn\s+(?:es|das|sie|er)\s+da)\b|"
    r"\b(?:be)?zahl\w*\b.{0,60}\bwenn'?s\s+da\b|"
    r"\b(?:vorher|vorab)\b.{0,30}\b(?:be)?zahl|\berst\s+(?:\w+\s+)?(?:be)?zahl\w*\W+wenn\b|"
    r"\b(?:be)?zahl\w*\b.{0,60}\b(?:vor|nach)\s+(?:der\s+)?(?:lieferung|zustellung|erhalt)\b|"
    # "zahl ich erst wenn das Zelt da ist?", "zahle ich, sobald das Paket angekommen ist?"
    r"\b(?:be)?zahl\w*\b.{0,30}\b(?:wenn|sobald|nachdem)\s+(?:\w+\s+){0,3}"
    r"(?:da|angekommen|geliefert|bei\s+mir)\b|"
    r"\bwhen\b.{0,40}\b(?:pay|payment|due)\b|\bdue\s+date\b|\bpayment\s+(?:is\s+)?due\b|"
    r"\bhow\s+(?:long|many\s+days)\b.{0,40}\b(?:to\s+pay|pay|payment|invoice)\b|"
    r"\b(?:days|weeks)\s+after\s+delivery\b|"
    r"\bpay\b.{0,40}\b(?:before|after)\s+(?:delivery|it\s+(?:arrives|comes))\b|\binstal+ments?\b"
)
# The Klarna invoice named here or in the customer's message before ("… mit Klarna bestellt" - "Wann
# muss ich zahlen?"): prepayment and card payments are due at once, they are not asked about here.
ON_INVOICE = re.compile(r"(?i)klarna|rechnung|invoice|\bbill\b")
# Klarna named anywhere earlier in the chat keeps the invoice the subject ("Zahlungserinnerung von
# Klarna …", then phishing advice, then "Also zahl ich erst wenn das Zelt da ist, ja?": run 7 d23).
ON_KLARNA = re.compile(r"(?i)klarna")
# Paying by bank transfer in advance (Vorkasse): "überweise", "per Überweisung", "prepayment" - not
# "überwiesen" (a transfer made: the order's payment, actions/orders.py).
PREPAYMENT = re.compile(
    r"(?i)\bvorkasse\b|(?:ü|ue)berweis(?:e|en|ung|ungen)?\b|\bvorab\s+(?:\w+\s+)?(?:ü|ue)berw|"
    r"\bprepay(?:ment)?\b|\bbank\s+transfer\b|\bpay\s+in\s+advance\b"
)
# A refund, a cancellation or a debit already made is another money question (actions/followups.py).
NOT_TIMING = re.compile(
    r"(?i)zur(?:ü|ue)ck|r(?:ü|ue)cksend|weniger|storn|trotzdem|abgebucht|zweimal|doppelt|"
    r"(?:ü|ue)berwiesen|\breturn|refund|cancel|charged|already\s+paid|\bpaid\b"
)
TIMING_READINGS = frozenset(
    {
        "faq",
        "payment_issue",
        "invoice_request",
        "order_status",  # "vorab fällig oder erst nach Erhalt der Ware?": no order asked about
        "nlu_fallback",
        "out_of_scope",
        "product_question",
    }
)
# "And how many days do I get?", "bis wann genau?" right after such a question: its follow-up.
FOLLOW_TIME = re.compile(
    r"(?i)\bhow\s+(?:long|many\s+(?:days|weeks))\b|\bwie\s+(?:lange|viele\s+tage)\b|\bbis\s+wann\b"
)
FOLLOW_WORDS = 14


def asks_when_to_pay(text: str, earlier: Sequence[str] = ()) -> bool:
    """Whether the message asks when a Klarna invoice is paid (`earlier`: the customer's messages
    before, the last two of which may name the invoice, any of them Klarna). A message naming
    prepayment and no invoice asks about prepayment (`asks_about_prepayment`)."""
    if not PAY_WHEN.search(text or "") or NOT_TIMING.search(text or ""):
        return False
    if ON_INVOICE.search(text or ""):
        return True
    if PREPAYMENT.search(text or ""):
        return False
    return any(ON_INVOICE.search(t) for t in earlier[-2:]) or any(
        ON_KLARNA.search(t) for t in earlier
    )


# Readings a payment question in so many words is also taken from (held-out run 7): a plain question
# read as a feeling, a thanks or a yes before it ("Danke. Kann ich das Zelt in Raten abzahlen?" read
# as frustration, d09), a question after phishing advice whose own sentence has no phishing cue ("Ok,
# hab nix eingegeben. Also zahl ich erst wenn das Zelt da ist, ja?", d23), a form left because nothing
# was ordered yet ("hab noch nix bestellt, will erst wissen wie das mit überweisung läuft", d20).
ASKED_READINGS = frozenset({"frustration", "thank", "affirm", "deny"})


def rereadable(parse: Dict[str, Any], question: re.Pattern[str]) -> bool:
    """Whether the payment question the `question` pattern finds may replace the parse's reading:
    the readings above, or a question-shaped message of ASKED_READINGS, a cue-free sentence after
    phishing advice, or a form refused - never a method change already read."""
    intent = (parse.get("intent") or {}).get("name")
    context = parse.get("context") or {}
    text = str(parse.get("text") or "")
    if context.get("method_change"):
        return False
    if intent in TIMING_READINGS:
        return True
    if intent == "stop":
        return bool(context.get("form_refused"))
    if intent == SUSPICIOUS:
        asked = [s for s in re.split(r"(?<=[.!?])\s+", text) if question.search(s)]
        return bool(asked) and not any(has_cue(s) for s in asked)
    return intent in ASKED_READINGS and asks_a_question(text)


def read_payment_timing(parse: Dict[str, Any], earlier: List[str]) -> Dict[str, Any]:
    """The parse of a question when a Klarna invoice is paid, read as that FAQ answer (company.yml
    faq.invoice_due; with a verified open order, actions/followups.py says the order's own state)."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if not rereadable(parse, PAY_WHEN):
        return parse
    follows = bool(earlier) and asks_when_to_pay(earlier[-1], earlier[:-1])
    short_time = bool(FOLLOW_TIME.search(text)) and len(text.split()) <= FOLLOW_WORDS
    if not asks_when_to_pay(text, earlier) and not (follows and short_time):
        return parse
    return as_faq(parse, "invoice_due", CONFIDENCE, read_as=intent)


# Paying later or in instalments (held-out run 6, d18: "mit PayPal später zahlen, so Ratenkauf?" got
# the methods list, then "Ja, PayPal geht bei uns"): "später bezahlen", "in Raten", "Ratenkauf",
# "in 30 Tagen zahlen", "pay later", "instalments", "buy now pay later", "pay in 3".
PAY_LATER = re.compile(
    r"(?i)\bsp(?:ä|ae)ter\s+(?:\w+\s+){0,2}(?:be)?zahl|\b(?:be)?zahl\w*\s+(?:\w+\s+){0,3}sp(?:ä|ae)ter\b|"
    r"\b(?:monats|teil)?raten(?:kauf|zahlung|finanzierung|weise)\w*|\bin\s+(?:\w+\s+)?raten\b|"
    r"\b(?:monats|teil)raten\b|\bauf\s+raten\b|\braten\s+(?:ab)?zahl|\bfinanzier\w*|\bfinanc(?:e|ing)\b|"
    r"\b(?:be)?zahl\w*\b.{0,30}\bin\s+\d+\s+tagen\b|\bin\s+\d+\s+tagen\s+(?:be)?zahl|"
    r"\bpay\w*\s+(?:\w+\s+){0,3}later\b|\blater\s+pay|\binstal+ments?\b|\bpay\s+in\s+(?:\d+|three|four)\b|"
    r"\bpay\w*\s+(?:\w+\s+){0,3}in\s+\d+\s+days\b|\bspread\b.{0,30}\bpayments?\b"
)


def asks_to_pay_later(text: str) -> bool:
    """Whether the message asks to pay later or in instalments (a refund or a payment already made,
    NOT_TIMING, is another question)."""
    return bool(PAY_LATER.search(text or "")) and not NOT_TIMING.search(text or "")


def read_pay_later(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The parse of a question about paying later or in instalments, read as that FAQ answer
    (company.yml faq.pay_later: no instalments, the Klarna invoice is paid within 30 days)."""
    intent = (parse.get("intent") or {}).get("name")
    if not rereadable(parse, PAY_LATER) or not asks_to_pay_later(str(parse.get("text") or "")):
        return parse
    return as_faq(parse, "pay_later", CONFIDENCE, read_as=intent)


# How paying by bank transfer in advance works, asked before or without an order (held-out run 7,
# d20: "per überweisung - wann schickt ihr dann los?", "erst wenn das geld da is?", "wie läuft das mit
# überweisung?" got the opening hours, a PayPal refund quote, the order-number question and the
# Vorkasse refund text): when it ships, how to transfer, how long the order waits.
HOW_IT_GOES = re.compile(
    r"(?i)\b(?:ver)?(?:schick|send|versend)\w*|\blos\b|\bwann\b|\berst\s+wenn\b|\bbevor\b|"
    r"\bwarte[nt]?\b|\bwie\s+lange\b|\bwie\s+(?:\w+\s+){0,4}\w*(?:l(?:ä|ae)uft|funktioniert|geht|mach\w*)\b|"
    r"\b(?:geht|klappt)\s+(?:das|des|dat|auch)\b|\b(?:kann|könnte|koennte)\s+(?:ich|man)\b|"
    r"\bship\w*|\bdispatch\w*|\bhow\s+(?:does|do|long)\b|\bwhen\b|\bcan\s+i\b"
)
# Clauses of the same message the prepayment answer covers (when it ships, paying by transfer): not
# answered again as a second question ("und wann schickt ihr dann los?" read as the opening hours).
COVERED = re.compile(
    HOW_IT_GOES.pattern + r"|\b(?:be)?zahl\w*|\bpay\w*|\bgeld\b|\bkohle\b|\bliefer\w*|\bdeliver\w*"
)


# A transfer already made, a refund or a cancellation is the order's own matter (actions/orders.py);
# "haltet ihr mir die Sachen zurück?" (reserved) is no refund.
NOT_PREPAYMENT = re.compile(
    r"(?i)erstatt|refund|r(?:ü|ue)cksend|storn|cancel|(?:ü|ue)berwiesen|abgebucht|already\s+paid|"
    r"\bpaid\b|money\s+back|\breturn|\b(?:geld|betrag)\b.{0,40}\bzur(?:ü|ue)ck\b|"
    r"zur(?:ü|ue)ck(?:schick|geb|bekomm|zahl|(?:ü|ue)berw)"
)
# A short follow-up right after a prepayment question: "also ihr wartet bis die kohle da is?"
FOLLOW_PREPAYMENT = re.compile(
    r"(?i)\b(?:kohle|geld|zahlung\w*|money|payment)\b|\bwarte[nt]?\b|\b(?:ver)?(?:schick|send)\w*|"
    r"\braus\b|\bship\w*|\bwie\s+lange\b|\bhow\s+long\b"
)


def asks_about_prepayment(text: str, earlier: Sequence[str] = ()) -> bool:
    """Whether the message asks how paying in advance by transfer works (when it ships, how, whether
    it goes): the way named and a how/when word, or a short follow-up to such a question
    (`earlier`: the customer's messages before); no transfer already made, refund or cancellation,
    and no Klarna invoice named."""
    text = text or ""
    if NOT_PREPAYMENT.search(text) or ON_INVOICE.search(text):
        return False
    if PREPAYMENT.search(text) and HOW_IT_GOES.search(text):
        return True
    follows = bool(earlier) and asks_about_prepayment(earlier[-1])
    return follows and len(text.split()) <= FOLLOW_WORDS and bool(FOLLOW_PREPAYMENT.search(text))


def read_prepayment(
    parse: Dict[str, Any], earlier: Sequence[str] = (), verified_order: str | None = None
) -> Dict[str, Any]:
    """The parse of a question how prepayment works, read as that FAQ answer (company.yml
    faq.prepayment) - never an order form. A message with an order number, or any message once an
    order is verified, keeps its reading: the order's own payment state answers (actions/orders.py)."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if verified_order or has_order_number(parse) or not asks_about_prepayment(text, earlier):
        return parse
    if not rereadable(parse, FOLLOW_PREPAYMENT if not PREPAYMENT.search(text) else PREPAYMENT):
        return parse
    out = as_faq(parse, "prepayment", CONFIDENCE, read_as=intent)
    others = [
        r for r in parse.get("other_requests") or [] if not COVERED.search(str(r.get("text") or ""))
    ]
    if others:
        out["other_requests"] = others
    else:
        out.pop("other_requests", None)
    return out
