"""Short answers read against the bot's last question: "ja", "nein", "stimmt nicht", "abbrechen".

bot.dialogue.pending names the yes/no question the customer answers; ActionAnswer does what
that answer means (call a human, cancel, say goodbye ...). Inside a form, ActionCorrectSlot keeps
the form going: a correction clears the value it corrects and the form asks again, a bare "nein"
re-asks with a way out; only a clear stop (intent `stop`) ends a form (data/rules/rules.yml).
"""

from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable, Dict, List, Tuple, cast

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import cancellation, cases, followups, knowledge, open_request, second_request, undo
from actions.common import react, register, remember
from actions.farewell import closes, farewell
from bot.dialogue import pending as p
from bot.dialogue import yes_no
from bot.dialogue.beyond_facts import beyond_facts, quoted_question
from bot.dialogue.course_change import AFTER_SUMMARY, revises_return
from bot.dialogue.questions import asks_a_question, tried_without_luck
from bot.dialogue.short_talk import asks_what_now, leaves, let_down

Handler = Callable[[CollectingDispatcher, Tracker], List[EventType] | Awaitable[List[EventType]]]


def _say(response: str) -> Handler:
    def handler(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(response=response)
        return []

    return handler


def _handoff(reason: str, note: str | None = None) -> Handler:
    def handler(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        events: List[EventType] = [remember(tracker, note)] if note else []
        return events + [SlotSet("handoff_reason", reason), FollowupAction("action_handoff")]

    return handler


def _start_return(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The verified order is kept, so the return form goes straight to the reason."""
    return [SlotSet("task", "return_item"), FollowupAction("return_form")]


async def _cancel_instead(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Ja" to "Möchten Sie sie stattdessen stornieren?" named order and action: it is the confirmation."""
    return [SlotSet("task", "cancel_order")] + await cancellation.do_cancel(dispatcher, tracker)


# pending question -> (what "ja" does, what "nein" does)
async def _deny_ack(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A no to no question: "Also doch nicht stornieren." with an order on the table says that the
    order stays (the message refuses the cancellation, second_request.declined); else a plain ack."""
    if "cancel_order" in second_request.declined(tracker) and tracker.get_slot("order_id"):
        return await cancellation.keep_order(dispatcher, tracker)
    dispatcher.utter_message(response="utter_deny_ack")
    return []


# Questions whose no chooses the bot over a person ("Möchten Sie lieber mit einem Mitarbeiter
# sprechen?" - "Nein, mit Wanda"): "Gern, dann machen wir zusammen weiter" is what that no means.
CHOOSES_BOT = frozenset({"utter_bot_challenge"})


def _person_declined(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A no to a person offered as help ("nichts gefunden - soll ich Sie verbinden?" - "Nein,
    danke") declines the help: "Kann ich sonst noch etwas für Sie tun?", never "Gern, dann machen
    wir zusammen weiter", which sounds like a yes (held-out runs 5 d08, 6 d08)."""
    if p.last_question(tracker.events) in CHOOSES_BOT:
        dispatcher.utter_message(response="utter_continue_with_bot")
    else:
        dispatcher.utter_message(response="utter_anything_else")
    return []


ANSWERS: Dict[str | None, Tuple[Handler, Handler]] = {
    p.ANYTHING_ELSE: (_say("utter_affirm_ack"), farewell),
    p.HUMAN_OFFER: (_handoff("customer_request"), _person_declined),
    p.RETURN_OFFER: (_start_return, _say("utter_anything_else")),
    p.CANCEL_OFFER: (_cancel_instead, _say("utter_anything_else")),
    p.CONFIRM_CANCEL: (cancellation.do_cancel, cancellation.keep_order),
    p.CONFIRM_ADDRESS: (cancellation.do_address, cancellation.keep_address),
    p.DID_IT_HELP: (
        _say("utter_glad_it_helped"),
        _handoff("bot_cannot_act", "Anleitung zum Kundenkonto hat nicht geholfen"),
    ),
    p.KNOWLEDGE_CHECK: (knowledge.helpful, knowledge.unhelpful),
    p.RATING_OFFER: (_say("utter_ask_rating"), _say("utter_goodbye")),
    p.CONFIRM_CASE: (cases.create, cases.decline),
    p.OPEN_CASE: (cases.on_open_case, cases.on_open_case),
    p.CASE_CREATED: (_say("utter_affirm_ack"), cases.after_created_no),
    None: (_say("utter_affirm_ack"), _deny_ack),
}


def _reverify(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Das ist die falsche Nummer" to the confirmation: ask for the right one, the task stays."""
    dispatcher.utter_message(response="utter_correction_ack")
    return [
        SlotSet("order_id", None),
        SlotSet("verified_order", None),
        FollowupAction("verify_form"),
    ]


# A correction ("stimmt nicht") to a confirmation corrects what it names instead of only saying no.
CORRECTIONS: Dict[str, Handler] = {
    p.CONFIRM_CANCEL: _reverify,
    p.CONFIRM_ADDRESS: cancellation.correct_address,  # the fix is confirmed, else asked again
    p.OPEN_CASE: cases.on_open_case,
    p.CONFIRM_CASE: cases.revise,  # "lieber in L statt M": the summary changes and is asked again
}
# A clear stop ("doch nicht", "abbrechen") means more than "nein" after some questions: right after a
# case was created it withdraws it.
STOPS: Dict[str, Handler] = {p.CASE_CREATED: cases.withdraw_latest}


def latest_intent(tracker: Tracker) -> str:
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


class ActionThank(Action):
    """ "Danke" answering "anything else?" closes the chat politely; asking "anything else?" again would loop.

    Other thanks are returned with the "anything else?" question (utter_thank).
    """

    def name(self) -> str:
        return "action_thank"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        if asks_beside_thanks(text):  # "Danke. Muss ich den Beleg noch schicken?" (run 6, d01)
            return [FollowupAction("action_answer_from_knowledge")]
        if p.pending(tracker.events) == p.ANYTHING_ELSE or closes(text):  # "danke, das war alles"
            return farewell(dispatcher, tracker)
        if let_down(text):  # "Danke trotzdem": a sorry goodbye, not "Schön, dass es geklappt hat!"
            return farewell(dispatcher, tracker)
        if p.pending(tracker.events) == p.KNOWLEDGE_CHECK:  # "danke" to "Hat das geholfen?"
            return knowledge.helpful(dispatcher, tracker)
        if react(
            dispatcher, tracker, domain
        ):  # praise ("die Socken sind der Hammer") gets its own thanks
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_thank")
        return []


THANKS_AND_ASKS_WORDS = 5  # "danke, wirklich?" asks nothing new; "Danke. Muss ich …?" does


def asks_beside_thanks(text: str) -> bool:
    """A thank-you that also asks a question: the question is answered (the help pages, the order),
    never only "Sehr gern!" (held-out persona run 6)."""
    return (
        len((text or "").split()) >= THANKS_AND_ASKS_WORDS
        and asks_a_question(text)
        and not closes(text)
    )


class ActionAnswer(Action):
    """Answers affirm/deny/correct/stop outside forms by the question they answer."""

    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if undo.wants_undo(tracker):  # "kannst du das rückgängig machen?" after a cancellation
            return undo.cannot_undo(dispatcher, tracker)
        kind = p.pending(tracker.events)
        intent = latest_intent(tracker)
        if intent == "correct" and yes_no.changed_before(tracker.events):
            # "the postcode is 10965, not 10961" right after the change: shown again and asked
            return await cancellation.correct_address(dispatcher, tracker)
        if beyond_order_facts(dispatcher, tracker, kind, intent):
            return [remember(tracker, f"{second_request.UNSURE_NOTE}: nach dem Status")]
        if kind == p.ANYTHING_ELSE and intent != "affirm" and asks_instead_of_closing(tracker):
            return next_step(dispatcher, tracker)
        if intent == "correct" and kind in CORRECTIONS:
            handler = CORRECTIONS[kind]
        elif intent == "correct" and revises_summary(tracker, kind):
            handler = cases.revise  # "lassen Sie es, doch lieber Geld zurück" after the summary
        elif intent == "stop" and kind in STOPS:
            handler = STOPS[kind]
        elif intent != "affirm" and says_goodbye_in_no(tracker, kind):
            handler = farewell
        elif (
            kind == p.HUMAN_OFFER
            and intent != "affirm"
            and tried_without_luck(str((tracker.latest_message or {}).get("text") or ""))
        ):
            # "That did not help me" to a German-only help page with a person offered: the need
            # stays, so the person is offered again - never "anything else?" (run 8 follow-up)
            handler = _say("utter_knowledge_offer_human")
        else:
            on_yes, on_no = ANSWERS[kind]
            handler = on_yes if intent == "affirm" else on_no
        done = handler(dispatcher, tracker)
        if inspect.isawaitable(done):  # knowledge.unhelpful searches the help pages again
            done = await done
        if intent == "affirm" and kind in CONFIRMED_THEN_ASKED:
            await answer_trailing_question(dispatcher, tracker)
            # "Ja, anlegen. Und sagen Sie dem Team, es ist eilig" with a request open: noted after
            done = [
                *cast(List[EventType], done),
                *open_request.note_beside_task(dispatcher, tracker),
            ]
        return cast(List[EventType], done)


def revises_summary(tracker: Tracker, kind: str | None) -> bool:
    """A correction after a question that is not the summary, with a return's summary still on the
    table: "Dann lassen Sie es. Doch lieber Geld zurück" to the person offered since (held-out run
    7, d10) revises that return, its reason kept (bot/dialogue/course_change.py)."""
    return kind in AFTER_SUMMARY and revises_return(
        str((tracker.latest_message or {}).get("text") or ""), tracker.get_slot(cases.DRAFT)
    )


# Questions whose "nein" only acknowledges: a goodbye in it ("No thanks, bye.") ends the chat.
# "Hat Ihnen das geholfen?" too: "Vergessen Sie es. … schönen Tag noch" leaves (held-out run 6, d17).
NO_ONLY_ACKNOWLEDGED = frozenset(
    {None, p.HUMAN_OFFER, p.RETURN_OFFER, p.CANCEL_OFFER, p.KNOWLEDGE_CHECK}
)


def says_goodbye_in_no(tracker: Tracker, kind: str | None) -> bool:
    """ "Nein danke, tschüss." / "No thanks, bye." to an offer: the goodbye, not "Verstanden. Sagen
    Sie mir gern, was Sie stattdessen brauchen" (issue 22, persona run 4). A no that keeps an order
    on the table ("also doch nicht stornieren") is still answered by what it keeps."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if kind not in NO_ONLY_ACKNOWLEDGED or not leaves(text):
        return False
    return not (
        kind is None
        and "cancel_order" in second_request.declined(tracker)
        and tracker.get_slot("order_id")
    )


def asks_instead_of_closing(tracker: Tracker) -> bool:
    """ "Das stimmt nicht. Es kam gestern. Was soll ich jetzt machen?" answering "Kann ich sonst noch
    etwas tun?": a no to the answer that asks for the next step - no goodbye and rating (held-out
    persona run 4, d08)."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if closes(text):
        return False
    return asks_what_now(text) or ("?" in text and len(text.split()) >= MIN_ASKING_WORDS)


MIN_ASKING_WORDS = 4  # "nein?" or "wirklich nicht?" asks nothing new


def next_step(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The next step when the answer was not enough: when the team answers if it has the matter,
    else a person offered (a yes hands over)."""
    short = open_request.answer(dispatcher, tracker)
    if short is not None:
        return short
    if tracker.get_slot(open_request.TICKET):
        return open_request.tell_team_time(dispatcher, tracker)
    dispatcher.utter_message(response="utter_next_step_human")
    return [remember(tracker, "Antwort reichte nicht: Mitarbeiter angeboten")]


def beyond_order_facts(
    dispatcher: CollectingDispatcher, tracker: Tracker, kind: str | None, intent: str | None
) -> bool:
    """ "bei DHL steht nur 'Sendung nicht gefunden' – ist die Nummer falsch?" after the status, read
    as a correction or a no with nothing pending: the honest line with a person, not "was brauchst du
    stattdessen?" (held-out persona run 2, d14; bot/dialogue/beyond_facts.py). True when said."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if (
        kind is not None
        or intent not in ("correct", "deny")
        or not tracker.get_slot("verified_order")
    ):
        return False
    if not beyond_facts(text):
        return False
    reg = register(tracker)
    second_request.say_unsure(
        dispatcher, tracker, reg if reg in ("en", "du") else "sie", quoted_question(text)
    )
    return True


# Confirmations whose yes may carry a question of its own ("Ja, bitte so anlegen. Das Geld geht dann
# aber auf mein PayPal, oder?"): the change is done first, then the question is answered.
CONFIRMED_THEN_ASKED = frozenset({p.CONFIRM_CASE, p.CONFIRM_CANCEL, p.CONFIRM_ADDRESS})


async def answer_trailing_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The question after the yes, answered from the order on the table (actions/followups.py) when
    it is one it knows (money, refund way, delivery); persona run, problem 4."""
    question = yes_no.trailing_question(str((tracker.latest_message or {}).get("text") or ""))
    if not question:
        return
    reply = await followups.answer(tracker, None, question)
    if reply is None:
        return
    # a line of the confirmation the answer repeats ("Die Klarna-Rechnung ist hinfällig") is said once
    dispatcher.messages[:] = [
        m for m in dispatcher.messages if not (m.get("text") and m["text"] in reply.text)
    ]
    dispatcher.utter_message(text=reply.text)
    messages = dispatcher.messages  # the answer before a closing "Kann ich sonst noch helfen?"
    if len(messages) >= 2 and messages[-2].get("response") == "utter_anything_else":
        messages[-2], messages[-1] = messages[-1], messages[-2]


FORM_SLOTS = {
    "verify_form": ["order_id", "email"],
    "return_form": ["order_id", "email", "return_reason", "return_mode"],
    "complaint_form": ["order_id", "email", "complaint_details"],
    "address_form": ["order_id", "email", "new_address"],
}


def slot_to_correct(text: str, form: str, events: List[Dict[str, Any]]) -> str | None:
    """The slot a correction is about: the one it names, else the one the customer filled last."""
    slots = FORM_SLOTS.get(form, [])
    low = (text or "").lower()
    named = (
        "email"
        if ("mail" in low or "@" in low)
        else "order_id"
        if ("nummer" in low or "bestell" in low)
        else "new_address"
        if "adresse" in low
        else None
    )
    if named in slots:
        return named
    start = 0
    for idx, event in enumerate(events):
        if event.get("event") == "active_loop" and event.get("name") != form:
            start = idx
    for event in reversed(events[start:]):
        if (
            event.get("event") == "slot"
            and event.get("name") in slots
            and event.get("value") is not None
        ):
            return str(event["name"])
    return None


class ActionCorrectSlot(Action):
    """Inside a form: "stimmt nicht" clears the value it corrects, a bare "nein" offers a way out.

    The form runs again right after (rules.yml) and asks for the cleared or still missing slot.
    """

    def name(self) -> str:
        return "action_correct_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        form = str((tracker.active_loop or {}).get("name") or "")
        slot = slot_to_correct(
            (tracker.latest_message or {}).get("text") or "", form, tracker.events
        )
        if (
            latest_intent(tracker) != "correct" or slot is None
        ):  # nothing given yet that could be wrong
            dispatcher.utter_message(response="utter_form_continue")
            return []
        dispatcher.utter_message(response="utter_correction_ack")
        events: List[EventType] = [SlotSet(slot, None), SlotSet("requested_slot", slot)]
        if slot in ("order_id", "email"):
            events.append(SlotSet("verified_order", None))
        return events
