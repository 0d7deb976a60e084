"""The NLU reading of each hub turn, handed back to the hub with the bot's answers.

The hub stores intent, confidence and mood per customer message (reports, the learning loop).
Rasa's collecting channel returns only what the bot says, so `MessageProcessor.parse_message`
is wrapped once, at import (as hub_channel wraps RemoteAction.run), to read short answers in
the form's context (context.py), yes and no against the bot's last question
(bot/dialogue/yes_no.py), and to keep the parse of each message id until the hub
channel hands it back as one extra answer `{"custom": {"nlu": {...}}}`. A replayed turn reads
it from its stored user event.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue import yes_no
from bot.dialogue.address_given import read_address_given
from bot.dialogue.back_reference import earlier_question
from bot.dialogue.bereaved_answer import read_bereaved_answer
from bot.dialogue.bring_along import read_bring_along
from bot.dialogue.button_choice import read_button
from bot.dialogue.cancel_worry import read_cancel_worry
from bot.dialogue.case_kind import read_case_kind
from bot.dialogue.case_question import read_case_question, read_order_case_question
from bot.dialogue.course_change import read_course_change, read_return_revision
from bot.dialogue.english_questions import read_english_question
from bot.dialogue.form_refusal import read_form_refusal
from bot.dialogue.invoice_details import read_invoice_detail
from bot.dialogue.order_number_given import read_given_number
from bot.dialogue.other_questions import settle as settle_other_questions
from bot.dialogue.payment_charges import read_charge_question
from bot.dialogue.payment_questions import (
    read_method_change,
    read_pay_later,
    read_payment_timing,
    read_prepayment,
)
from bot.dialogue.pending import pending
from bot.dialogue.phishing import read_entered_data, read_money_back, read_phishing
from bot.dialogue.privacy_requests import KEYS as PRIVACY_KEYS
from bot.dialogue.privacy_requests import read_bare_data, read_privacy_request
from bot.dialogue.return_questions import read_return_question
from bot.dialogue.team_note import read_team_note, wish_after_yes
from bot.dialogue.third_party import read_no_access
from bot.rasa_plugins.context import read_in_context
from bot.shared import wire
from bot.shared.understanding import slim_parse

KEEP = (
    2000  # parses waiting to be picked up (a turn whose answer was lost must not grow this forever)
)
_PARSED: OrderedDict[str, Dict[str, Any]] = OrderedDict()
_original_parse = MessageProcessor.parse_message


async def _recording_parse(
    self: MessageProcessor,
    message: UserMessage,
    tracker: Any = None,
    only_output_properties: bool = True,
) -> Dict[str, Any]:
    tapped = _typed_button(message, tracker)
    # "Und die Frage mit dem Bezahlen?": the earlier question it points at is read instead
    referred = _referred_question(message, tracker) if tapped is None else None
    # a typed button is read as its tap: the payload (the customer's words stay on the event)
    parse = await _original_parse(
        self, tapped or referred or message, tracker, only_output_properties
    )
    if referred is not None:  # the actions answer that question; the event keeps the words
        parse["context"] = {**(parse.get("context") or {}), "refers_back": message.text}
    if isinstance(
        tracker, DialogueStateTracker
    ):  # a short answer to the form's question (context.py), a yes or no to the bot's (yes_no.py)
        parse = read_in_context(parse, tracker.active_loop_name, tracker.get_slot("requested_slot"))
        parse = read_given_number(parse)  # "Bestellnummer 100241": never where to find it
        parse = yes_no.read_answer(parse, recent_events(tracker))
        parse = yes_no.read_form_withdrawal(parse, tracker.active_loop_name)  # "vergiss es"
        # "Moment, doch ändern! <Adresse>": the address answer or the address change again
        parse = read_address_given(
            parse,
            tracker.active_loop_name,
            tracker.get_slot("requested_slot"),
            recent_events(tracker),
        )
        # "hab noch nix bestellt", "ich will keine Rechnung", "stop. …": the form is left
        parse = read_form_refusal(parse, tracker.active_loop_name, tracker.get_slot("order_id"))
        # "Er ist tot. …" at "Was ist der Grund?": the answer, never a stop
        parse = read_bereaved_answer(
            parse, tracker.active_loop_name, tracker.get_slot("requested_slot")
        )
        # "die Jacke ist mir zu warm, kann ich sie zurückschicken?": a return, not a complaint
        parse = read_case_kind(parse, tracker.active_loop_name, complaint_filed(tracker))
        parse = read_case_question(parse, tracker.get_slot("case_ref"))  # "wann kommt der Ersatz?"
        # "das Etikett kam nie an", "ist die Reklamation angelegt?": the verified order's cases
        parse = read_order_case_question(parse, tracker.get_slot("verified_order"))
        # "wird sie von selbst storniert, wenn ich erst Freitag überweise?": its payment, no cancel
        parse = read_cancel_worry(parse, tracker.get_slot("verified_order"))
        # the safety text only on real phishing cues; an English core question gets its FAQ answer
        parse = read_phishing(parse, just_advised(tracker))
        # "kartennummer und cvc eingegeben, was jetzt?": the phishing question, not the DSGVO text
        parse = read_entered_data(parse, advised_before(tracker))
        # "krieg ich die 1,80 von euch wieder?" after the advice: who pays it back, not a return
        parse = read_money_back(parse, advised_before(tracker))
        # a relative who cannot get into the deceased's account or mails: a person, not self-service
        parse = read_no_access(parse, customer_texts(tracker))
        # newsletter, account deletion, data requests need no order: their own answers (after the
        # phishing reading: a mail that threatens to delete the account stays a phishing question)
        parse = read_privacy_request(parse, after_privacy(tracker))
        parse = read_bare_data(parse)  # "Daten" alone is no privacy question
        parse = read_method_change(parse)  # "auf PayPal umstellen?": not an invoice or a status
        # "The INVOICE needs my company name", "change the invoice address": an invoice correction,
        # neither a delivery-address change nor a payment-method change
        parse = read_invoice_detail(parse, tracker.active_loop_name)
        parse = read_payment_timing(parse, customer_texts(tracker))  # "vorher oder wenn's da ist?"
        # "per Überweisung - wann schickt ihr dann los?": how prepayment works, never an order form
        parse = read_prepayment(parse, customer_texts(tracker), tracker.get_slot("verified_order"))
        # "Wann bucht ihr bei Lastschrift ab?", "kostet PayPal extra?": the general rule, no order form;
        # "hab noch nix bestellt, ich frag vorher" alone answers the question that started the form
        parse = read_charge_question(
            parse, tracker.get_slot("verified_order"), customer_texts(tracker)
        )
        # "kann ich das trotz Klarna zurückschicken?", "how do I start the return?": a return
        parse = read_return_question(parse, tracker.active_loop_name, customer_texts(tracker))
        # "Brauche ich etwas mitzubringen, die Rechnung oder so?": the help pages, no invoice form
        parse = read_bring_along(parse, tracker.active_loop_name)
        parse = read_pay_later(parse)  # "später zahlen, in Raten?": no instalments, Klarna invoice
        parse = read_english_question(parse, writes_english(parse, tracker))
        parse = settle_other_questions(parse, writes_english(parse, tracker))
        # "na gut. und wie pflege ich …?" is the question; "Forget it. Thanks anyway, bye." a goodbye
        parse = read_course_change(parse, tracker.active_loop_name)
        # "Dann lassen Sie es. Doch lieber Geld zurück" after the summary: the return is revised
        parse = read_return_revision(
            parse,
            tracker.get_slot("case_draft"),
            pending([*recent_events(tracker), {"event": "user"}]),
            tracker.active_loop_name,
        )
        # "sagen Sie dem Team …", "make sure someone calls me" with a request open: a note for it
        parse = read_team_note(
            parse,
            tracker.get_slot("handoff_ticket"),
            tracker.active_loop_name,
            pending([*recent_events(tracker), {"event": "user"}]),  # a yes to a change stays one
        )
    if tapped is not None:  # the actions read the customer's words (a question after the yes)
        parse["text"] = message.text
        if isinstance(tracker, DialogueStateTracker):  # "Ja, so anlegen. Und sagen Sie dem Team …"
            question = pending([*recent_events(tracker), {"event": "user"}])
            parse = wish_after_yes(parse, tracker.get_slot("handoff_ticket"), question)
    if message.message_id:
        _PARSED[message.message_id] = slim_parse(parse)
        while len(_PARSED) > KEEP:
            _PARSED.popitem(last=False)
    return parse


def _typed_button(message: UserMessage, tracker: Any) -> UserMessage | None:
    """The message as the tap of the last bot turn's button it names (bot/dialogue/button_choice.py)."""
    if not isinstance(tracker, DialogueStateTracker):
        return None
    button = read_button(message.text or "", recent_events(tracker))
    if button is None:
        return None
    return UserMessage(
        button["payload"],
        output_channel=message.output_channel,
        sender_id=message.sender_id,
        input_channel=message.input_channel,
        message_id=message.message_id,
        metadata=message.metadata,
    )


def _referred_question(message: UserMessage, tracker: Any) -> UserMessage | None:
    """The message as the customer's earlier question it only points back at
    (bot/dialogue/back_reference.py), or None."""
    if not isinstance(tracker, DialogueStateTracker):
        return None
    question = earlier_question(message.text or "", customer_texts(tracker))
    if question is None:
        return None
    return UserMessage(
        question,
        output_channel=message.output_channel,
        sender_id=message.sender_id,
        input_channel=message.input_channel,
        message_id=message.message_id,
        metadata=message.metadata,
    )


RECENT = 60  # events read for the pending question (it lies within the last bot turn)


def recent_events(tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
    """The tracker's latest events as dicts (bot.dialogue.pending reads plain event dicts)."""
    events = list(tracker.events)[-RECENT:]
    return [event.as_dict() for event in events]


def writes_english(parse: Dict[str, Any], tracker: DialogueStateTracker) -> bool:
    """The message reads English (bot/rasa_plugins/language.py), or shows no language in an English
    conversation."""
    shown = parse.get("language")
    return shown == "en" or (shown is None and tracker.get_slot("language") == "en")


def after_privacy(tracker: DialogueStateTracker) -> bool:
    """The customer's previous message was read as a data request (privacy_requests.KEYS)."""
    for event in reversed(list(tracker.events)[-RECENT:]):
        if isinstance(event, UserUttered):
            label = str(
                (event.parse_data.get("intent") or {}).get("full_retrieval_intent_name") or ""
            )
            return label.split("/", 1)[-1] in PRIVACY_KEYS if label.startswith("faq/") else False
    return False


def complaint_filed(tracker: DialogueStateTracker) -> bool:
    """A case is on the table (`case_ref`) and the customer's request in this conversation was a
    complaint: "bitte noch dazuschreiben, dass ich Ersatz möchte" adds to it (bot/dialogue/case_kind.py)."""
    if not tracker.get_slot("case_ref"):
        return False
    return any(
        isinstance(e, UserUttered) and (e.intent or {}).get("name") == "complaint"
        for e in tracker.events
    )


ADVICE = "action_phishing_advice"


def just_advised(tracker: DialogueStateTracker) -> bool:
    """The bot's last turn gave the phishing safety advice (a follow-up without cues keeps that reading)."""
    for event in reversed(list(tracker.events)[-RECENT:]):
        if isinstance(event, UserUttered):
            return False
        if getattr(event, "action_name", None) == ADVICE:
            return True
    return False


def customer_texts(tracker: DialogueStateTracker) -> List[str]:
    """The customer's earlier messages in this conversation."""
    return [str(e.text or "") for e in tracker.events if isinstance(e, UserUttered)]


def advised_before(tracker: DialogueStateTracker) -> bool:
    """The bot gave the phishing safety advice earlier in this conversation."""
    return any(getattr(e, "action_name", None) == ADVICE for e in tracker.events)


MessageProcessor.parse_message = _recording_parse  # type: ignore[method-assign]


def note(parse: Dict[str, Any]) -> Dict[str, Any]:
    return wire.nlu_answer(parse)


def taken(message_id: str | None) -> List[Dict[str, Any]]:
    """The reading of the message just handled, as an answer to append (none if it was not parsed)."""
    parse = _PARSED.pop(message_id, None) if message_id else None
    return [note(parse)] if parse is not None else []


def replayed(tracker: DialogueStateTracker | None, message_id: str) -> List[Dict[str, Any]]:
    """The reading of an earlier turn, from its user event."""
    if tracker is None:
        return []
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            return [note(slim_parse(event.parse_data or {}))]
    return []
