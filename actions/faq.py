"""Answers that need no order: FAQ from company.yml, fallback, frustration."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import (
    cases,
    confirmation,
    followups,
    knowledge,
    open_request,
    second_request,
    shop,
    undo,
)
from actions.common import empathize, facts, faq_response_key, feel, react, register, remember
from actions.farewell import farewell, gives_up
from bot.dialogue.case_question import asks_about_case
from bot.dialogue.english_questions import OVERRIDE as ENGLISH_OVERRIDE
from bot.dialogue.focus import fact_home, focus, shaped_follow_up
from bot.dialogue.follow_up import is_follow_up
from bot.dialogue.not_answered import complains_not_answered, insists, restated
from bot.dialogue.privacy_requests import KEYS as PRIVACY_KEYS
from bot.dialogue.privacy_requests import more_topics
from bot.dialogue.questions import (
    asks_a_question,
    availability_question,
    closing_thanks,
    shares_content,
)
from bot.dialogue.short_talk import leaves, let_down, takes_own_step
from bot.dialogue.told_already import told_already
from bot.shop.model import Capability

HUMAN = followups.HUMAN
# Answers that offer a next step as buttons (titles: at most 20 characters).
FAQ_BUTTONS: Dict[str, List[Dict[str, str]]] = {
    "capabilities": [
        {"title": "Wo ist mein Paket?", "payload": "/order_status"},
        {"title": "Rücksendung", "payload": "/return_item"},
        {"title": "Problem mit Artikel", "payload": "/complaint"},
        HUMAN,
    ],
    "checkout_payment": [HUMAN],
    # "… oder ich gebe es an unser Team weiter": the data requests offer the person they name
    "privacy": [HUMAN],
    "data_erasure": [HUMAN],
    "newsletter": [HUMAN],
    "account_deletion": [HUMAN],
    "privacy_deadline": [HUMAN],
}
# The same buttons for an English writer.
ENGLISH_TITLES = {
    "Zum Kundenservice": "Customer service",
    "Wo ist mein Paket?": "Where is my order?",
    "Rücksendung": "Returns",
    "Problem mit Artikel": "Problem with an item",
}


def faq_buttons(key: str, reg: str) -> List[Dict[str, str]]:
    """The buttons of an FAQ answer, titled in English for an English writer."""
    buttons = FAQ_BUTTONS.get(key, [])
    if reg != "en":
        return buttons
    return [{**b, "title": ENGLISH_TITLES.get(b["title"], b["title"])} for b in buttons]


def last_bot_turn(tracker: Tracker) -> List[Dict[str, Any]]:
    """The bot's messages of the turn before the latest customer message (for "wie bitte?")."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return []
    return [
        e for e in events[users[-2] + 1 : users[-1]] if e.get("event") == "bot" and e.get("text")
    ]


def previous_faq_key(tracker: Tracker) -> str | None:
    """The curated answer the customer's message before the latest one was read as, if any."""
    said = [e for e in tracker.events or [] if e.get("event") == "user"]
    if len(said) < 2:
        return None
    selector = (said[-2].get("parse_data") or {}).get("response_selector") or {}
    key = ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key") or ""
    intent = ((said[-2].get("parse_data") or {}).get("intent") or {}).get("name")
    return key.split("/", 1)[1] if intent == "faq" and "/" in key else None


def previous_customer_text(tracker: Tracker) -> str:
    """The customer's message before the latest one ("" when there is none)."""
    said = [e for e in tracker.events or [] if e.get("event") == "user"]
    return str(said[-2].get("text") or "") if len(said) >= 2 else ""


# How sure the classifier is of a curated answer (intent confidence x the key's share) decides
# against the help pages: from FAQ_SURE on, the curated answer; below it, whichever is surer, a help
# page the knowledge base is confident of or the curated answer ("Habt ihr einen Laden in München?"
# read as contact at 0.47: the stores page if the knowledge base is surer). Below FAQ_CONFIDENT the
# curated answer is a guess, given only if its words support it (bot/dialogue/questions.py:
# "warum lehnt Klarna ab?" read as payment_methods at 0.52 yes, "Verkauft ihr auch E-Bikes?" at 0.24
# to 0.54 no: the bot says it found nothing). Keys that steer the dialogue itself are never handed
# to the help pages.
FAQ_CONFIDENT = 0.6
FAQ_SURE = 0.9
# A follow-up is short; a longer message states a question of its own.
FOLLOW_UP_WORDS = 12
DIALOGUE_KEYS = {"repeat", "still_there", "wait", "capabilities", "no_order_number"}
# Questions that report no trouble: no topic apology before them ("Das ist ärgerlich" for "zahle ich
# mit Klarna vorher oder wenn es da ist?", held-out persona run 4, d26), only a feeling's own line.
PLAIN_QUESTIONS = {
    "invoice_due",
    "pay_later",
    "prepayment",
    "charge_timing",
    "payment_fees",
    "privacy_deadline",
    "return_klarna",
    "exchange_policy",
}

# How paying works before (or without) an order, read from the words (bot/dialogue/payment_questions.py):
# never an order form (held-out run 7, d20: "Wie lautet deine Bestellnummer?" for "wann schickt ihr los?").
PRESALES_PAYMENT = {"prepayment", "pay_later", "invoice_due", "charge_timing", "payment_fees"}


LOOK_AT_ORDER = {
    "sie": "Gern sehe ich auch nach, wo Ihre Bestellung {order_id} gerade ist.",
    "du": "Gern sehe ich auch nach, wo deine Bestellung {order_id} gerade ist.",
    "en": "I am glad to check where your order {order_id} is right now, too.",
}
THANKS = re.compile(r"(?i)\b(?:danke\w*|dankschön|thx|thanks|merci|vielen\s+dank)\b")


def faq_confidence(tracker: Tracker) -> float:
    """How sure the classifier is of the FAQ answer: P(faq) x P(key | faq)."""
    message = tracker.latest_message or {}
    intent = float((message.get("intent") or {}).get("confidence") or 0.0)
    selector = (message.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("confidence")
    return intent * (1.0 if key is None else float(key))  # no key confidence: a hand-built reading


def answered_for_order(events: List[EventType]) -> bool:
    """The answer was the order's own (actions/followups.py): the order was the subject already."""
    notes = [
        str((e.get("value") or [""])[-1])
        for e in events
        if e.get("event") == "slot" and e.get("name") == "bot_actions" and e.get("value")
    ]
    return any(note.startswith(FROM_ORDER) for note in notes)


FROM_ORDER = "Folgefrage aus der Bestellung beantwortet"


def faq_key(tracker: Tracker) -> str:
    key = faq_response_key(tracker) or ""
    return key.split("/", 1)[1] if "/" in key else key


class ActionFaq(Action):
    """Company answers live in company.yml; the ResponseSelector only picks which."""

    def name(self) -> str:
        return "action_faq"

    @staticmethod
    def runs_in_worker(tracker: Tracker) -> bool:
        """The Rasa worker answers this turn itself (KD_LOCAL_ACTIONS, issue 26.2) when it needs
        company.yml only: not an unsure reading (the help pages are searched on the action
        server) and not "keine Bestellnummer" (inside a form it asks the shop)."""
        key = faq_key(tracker)
        if (
            key == "no_order_number"
            or confirmation.open_confirmation(tracker)
            or undo.wants_undo(tracker)
        ):
            return False  # a question at a confirmation is answered from the case or the order
        if confirmation.just_done(tracker):
            return False  # a question about the change just made: from the order
        text = str((tracker.latest_message or {}).get("text") or "")
        on_table = tracker.get_slot(cases.CASE_REF) or tracker.get_slot("verified_order")
        if on_table and asks_about_case(text):
            return False  # about the case on the table (or the order's): the shop is asked
        if followups.needs_the_order(tracker, key) or second_request.others(tracker):
            return False  # answered from the verified order, or a second question: the shop asked
        if is_follow_up(text) and previous_faq_key(tracker):
            return False  # "Und unter welcher Nummer?": read with the answer before it (below)
        if key == "still_there" and availability_question(text):
            return False  # "habt ihr die noch da?" asks for stock: answered on the action server
        return key in DIALOGUE_KEYS or faq_confidence(tracker) >= FAQ_SURE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if undo.wants_undo(tracker):  # "kann man eine Stornierung zurücknehmen?" after one
            return undo.cannot_undo(dispatcher, tracker)
        pending = confirmation.open_confirmation(tracker)
        if (
            pending is not None
        ):  # "kostet das extra?" at "Soll ich … ändern?": answered, asked again
            return await confirmation.answer_then_ask(dispatcher, tracker, pending, self.answer)
        done = confirmation.just_done(tracker)  # "und kostet die Änderung jetzt was?" after it
        if done is not None and await confirmation.answer(dispatcher, tracker, done):
            return [remember(tracker, "Frage zur eben erledigten Änderung beantwortet")]
        short = open_request.answer(dispatcher, tracker)  # "ok", "wie lange dauert das?" (22.8)
        if short is not None:
            return short
        if self.leaves_instead(tracker):  # "Ich gebe auf, ich rufe in der Filiale an. Tschüss."
            return farewell(dispatcher, tracker)
        # read as its when-question, which open_request.answer just answered: only the others
        team_time = second_request.reads_team_time(tracker)
        events = [] if team_time else await self.answer(dispatcher, tracker)
        if faq_key(tracker) in DIALOGUE_KEYS and not team_time:
            return events
        if faq_key(tracker) in PRIVACY_KEYS and not team_time:  # a data request: no order
            return events + self.other_data_requests(dispatcher, tracker)
        left = self.leave_orderless_form(tracker) if faq_key(tracker) in PRESALES_PAYMENT else []
        if left and not team_time:  # "hab noch nix bestellt, wie läuft das mit Überweisung?"
            return events + left
        # a second question in the same message is answered too, or its flow started (22.5)
        in_form = bool((tracker.active_loop or {}).get("name"))
        free = not in_form and not any(e.get("event") == "followup" for e in events)
        events += await second_request.answer_others(dispatcher, tracker, free, events)
        if free and not any(e.get("event") == "followup" for e in events):
            if not answered_for_order(events):  # "auf PayPal umstellen?": no status offer on top
                events += self.look_at_named_order(dispatcher, tracker)
        return events

    @staticmethod
    def leaves_instead(tracker: Tracker) -> bool:
        """A goodbye read as the FAQ question it mentions (held-out persona run 6, d09: "Ich gebe auf,
        ich rufe in der Filiale an. Tschüss." got the store list a second time): a message that ends
        by leaving, asks nothing, and gives up, is let down, names its own next step or would get an
        answer already given, is a goodbye (run 8, e09: "Egal, ich schau in die Klarna App. Tschüss")."""
        text = str((tracker.latest_message or {}).get("text") or "")
        if not leaves(text) or asks_a_question(text):
            return False
        if gives_up(text) or let_down(text) or takes_own_step(text):  # "Egal, ich schau selbst"
            return True
        key = faq_key(tracker)
        answer = (facts().text("faq", key, register(tracker)) if key else "") or ""
        said = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "bot"]
        return bool(answer) and any(answer in line for line in said)  # also after "Zu Ihrer …:"

    @staticmethod
    def other_data_requests(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """After the answer to a newsletter, account or data request (held-out persona run 2, d13):
        the other such requests of the message answered too, and a form the message was misread
        into left when it has no order number yet - these requests never need one."""
        reg = register(tracker)
        for key in more_topics(tracker.latest_message or {}):
            dispatcher.utter_message(text=facts().text("faq", key, reg))
        return ActionFaq.leave_orderless_form(tracker)

    @staticmethod
    def leave_orderless_form(tracker: Tracker) -> List[EventType]:
        """A form the message was misread into is left when it has no order number yet: the answer
        just given needs none (a data request, a pre-sales payment question)."""
        if not (tracker.active_loop or {}).get("name") or tracker.get_slot("order_id"):
            return []
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet("task", None),
            FollowupAction("action_listen"),
        ]

    @staticmethod
    def look_at_named_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """A question next to an order number ("meine Bestellung 100240 ist unterwegs in die Schweiz.
        Muss ich Zoll bezahlen?"): after the answer, the bot offers to look at that order and asks
        for the e-mail - the number was given for a reason (issue 22.10)."""
        named = [
            str(e.get("value"))
            for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") == "order_id" and e.get("value")
        ]
        if not named or tracker.get_slot("verified_order") == named[0]:
            return []
        line = LOOK_AT_ORDER.get(register(tracker), LOOK_AT_ORDER["sie"])
        dispatcher.utter_message(text=line.format(order_id=named[0]))
        return [
            SlotSet("order_id", named[0]),
            SlotSet("task", "order_status"),
            FollowupAction("verify_form"),
        ]

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """The answer to the question the message is read as."""
        key = faq_key(tracker)
        reg = register(tracker)
        said = str((tracker.latest_message or {}).get("text") or "")
        if key == "still_there" and availability_question(said):
            # "habt ihr die noch da?" asks whether the item is in stock, not whether the bot is there
            return (
                await knowledge.answer(
                    dispatcher, tracker, said, knowledge.abstention(tracker, said)
                )
                or []
            )
        if key == "repeat":
            return await self.repeat(dispatcher, tracker)
        in_form = bool((tracker.active_loop or {}).get("name"))
        if key == "no_order_number" and in_form and not tracker.get_slot("order_id"):
            if not shop.supports(Capability.SEND_ORDER_NUMBERS):  # this shop cannot mail them
                return shop.not_here(dispatcher, tracker, Capability.SEND_ORDER_NUMBERS)
            # inside a form: look the order up by e-mail instead of giving up
            dispatcher.utter_message(text=facts().text("faq", "no_order_number_in_form", reg))
            return [
                SlotSet("order_lookup", "offered"),
                remember(tracker, "Keine Bestellnummer: Suche per E-Mail angeboten"),
            ]
        confidence = faq_confidence(tracker) if key not in DIALOGUE_KEYS else 1.0
        # the question this answer is for: without a second question's clause (issue 22.5)
        text = second_request.main_text(
            tracker, str((tracker.latest_message or {}).get("text") or "")
        )
        if confidence < FAQ_SURE and not in_form and closing_thanks(text):
            return [FollowupAction("action_thank")]  # "ok dann nehm ich PayPal, danke" closes
        about_case = await cases.answer_question(dispatcher, tracker)
        if about_case is not None:  # "wann bekomme ich den Ersatz?" after a complaint (22.4)
            return about_case
        own = await followups.answer(tracker, key, text)
        if own and own.text in {e.get("text") for e in last_bot_turn(tracker)}:
            return await self.not_again(dispatcher, tracker, text)  # the same block again (run 6)
        if own:  # "geht das schneller?" about the order on the table, not the stock text (22.5)
            dispatcher.utter_message(text=own.text, buttons=[] if in_form else own.buttons)
            started = [FollowupAction(own.form)] if own.form and not in_form else []
            return [remember(tracker, f"{FROM_ORDER}: {key}")] + started
        if confidence < FAQ_SURE and THANKS.search(text) and not asks_a_question(text):
            # "ok dann nehm ich PayPal, danke": an answer taken with thanks, no FAQ block (22.7)
            return [FollowupAction("action_thank")]
        # a key read from its own words ("how long do you legally have to answer?") is answered
        # whole, never as a part of the answer before it (the privacy answer's 90 chat days)
        previous = previous_faq_key(tracker) if key not in ENGLISH_OVERRIDE else None
        earlier = facts().text("faq", previous, reg) if previous else None
        shaped = shaped_follow_up(earlier, text) if earlier else None
        home = fact_home(text) if earlier and not shaped else None
        if home and home != previous:  # "Und unter welcher Nummer?" after the opening hours
            shaped = shaped_follow_up(str(facts().text("faq", home, reg) or ""), text)
        if shaped:  # "und wie lange?" right after the privacy answer: its days, not delivery times
            dispatcher.utter_message(text=shaped)
            return [remember(tracker, f"Folgefrage zu {previous} beantwortet")]
        answer = facts().text("faq", key, reg) if key else None
        part = self.earlier_answer(tracker, key, text, answer or "", reg)
        if part:  # "kann ich mir den auch auszahlen lassen?" after the voucher answer (22.5)
            dispatcher.utter_message(text=part)
            return [remember(tracker, f"Folgefrage zu einer Antwort beantwortet: {key}")]
        if confidence < FAQ_SURE:
            rival = answer or "" if confidence >= FAQ_CONFIDENT else ""  # a fair reading competes
            surer = await knowledge.answer(
                dispatcher, tracker, text, None, above=confidence, rival=rival
            )
            if surer is not None:
                return surer
            if confidence < FAQ_CONFIDENT and not shares_content(text, answer or ""):
                # a guess the answer's own words do not support: say the pages had nothing
                return await knowledge.abstain(dispatcher, tracker, text)
        if not answer:
            dispatcher.utter_message(response="utter_fallback")
            return []
        if answer in {e.get("text") for e in last_bot_turn(tracker)}:
            # the same block again ("Is the return free?"): the part the follow-up asks about
            narrowed = focus(answer, text, previous_customer_text(tracker))
            if narrowed is None and reg != "en":  # one sentence: the help pages may say more
                more = await knowledge.answer(dispatcher, tracker, text, None)
                if more is not None:  # "und auf Rechnung geht auch?" -> the Klarna invoice page
                    return more
            if narrowed is None and insists(text):  # "No, I asked about …": not the same again
                return await self.not_again(dispatcher, tracker, text)
            answer = narrowed or answer
        if (
            key in PRIVACY_KEYS or key in PLAIN_QUESTIONS
        ):  # a feeling's own line only: no "Warten ist unangenehm" for a newsletter
            feel(dispatcher, tracker)
        else:
            empathize(dispatcher, tracker)
        dispatcher.utter_message(text=answer, buttons=[] if in_form else faq_buttons(key, reg))
        return [remember(tracker, f"FAQ beantwortet: {key}")]

    @staticmethod
    def earlier_answer(tracker: Tracker, key: str, text: str, answer: str, reg: str) -> str:
        """A short follow-up to an answer given before in this chat, read as another one whose words
        it does not share ("kann ich mir den auch auszahlen lassen?" after the voucher answer, read
        as the payment methods): the sentences of that earlier answer it asks about (focus), not an
        unrelated block (issue 22.5, "stock"). "" when it is no such follow-up."""
        given = [
            str(done).split(": ", 1)[1]
            for done in tracker.get_slot("bot_actions") or []
            if str(done).startswith(("FAQ beantwortet: ", f"{second_request.ANSWERED_NOTE}: "))
        ]
        if not given or key in DIALOGUE_KEYS or key in ENGLISH_OVERRIDE or given[-1] == key:
            return ""
        if not asks_a_question(text):
            return ""  # "Nachbarn hab ich schon gefragt" reports back: no quote fits it
        if len(text.split()) > FOLLOW_UP_WORDS or shares_content(text, answer):
            return ""
        return focus(str(facts().text("faq", given[-1], reg) or ""), text) or ""

    async def not_again(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> List[EventType]:
        """ "Sie wiederholen sich", or a question whose answer would be the text just said: never
        that text again (held-out persona run 6, d01/d19). The restated question is answered from the
        order or the help pages when they have something new; otherwise the bot says honestly that it
        cannot say more and offers a person."""
        if insists(text):
            dispatcher.utter_message(
                text=facts().text("faq", "repeat_not_again", register(tracker))
            )
        question = restated(text)
        said = {str(e.get("text") or "") for e in tracker.events if e.get("event") == "bot"}
        if question:
            own = await followups.answer(tracker, None, question)
            if own and own.text not in said:
                in_form = bool((tracker.active_loop or {}).get("name"))
                dispatcher.utter_message(text=own.text, buttons=[] if in_form else own.buttons)
                return [remember(tracker, f"{FROM_ORDER}: nach Wiederholung")]
            found = await knowledge.answer(dispatcher, tracker, question, None)
            if found is not None:
                return found
        return knowledge.said_nothing_found(dispatcher, tracker, "utter_knowledge_none", [])

    async def repeat(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """ "Wie bitte?": the last answer again, with its buttons - but never after "Sie wiederholen
        sich" (`not_again`)."""
        text = str((tracker.latest_message or {}).get("text") or "")
        if complains_not_answered(text) and last_bot_turn(tracker):
            return await self.not_again(dispatcher, tracker, text)
        turn = (
            [] if (tracker.active_loop or {}).get("name") else last_bot_turn(tracker)
        )  # a form asks again itself
        if not turn and not (tracker.active_loop or {}).get("name"):
            dispatcher.utter_message(text=facts().text("faq", "repeat_nothing", register(tracker)))
            return []
        # "Wie oft muss ich das noch sagen": sorry first, then what is still open (told_already.py):
        # with the matter at the team, when it answers - never "ich gebe Sie weiter" again
        lead = "repeat_told_already" if told_already(text) else "repeat"
        dispatcher.utter_message(text=facts().text("faq", lead, register(tracker)))
        if told_already(text) and tracker.get_slot(open_request.TICKET):
            return open_request.tell_team_time(dispatcher, tracker)
        for event in turn:
            data = event.get("data") or {}
            dispatcher.utter_message(text=event["text"], buttons=data.get("buttons") or [])
        return []


class ActionFallback(Action):
    """First miss: offer topics and the human route (the policy escalates the second)."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if react(
            dispatcher, tracker, domain
        ):  # anger, grief, worry, praise: never "nicht verstanden"
            return []
        short = open_request.answer(dispatcher, tracker)  # "Na gut.": no "nicht verstanden"
        if short is not None:
            return short
        dispatcher.utter_message(response="utter_fallback")
        return []


class ActionFrustration(Action):
    def name(self) -> str:
        return "action_frustration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        ticket = tracker.get_slot("handoff_ticket")
        if ticket:  # nobody was reachable: the open request, no "ich verbinde Sie direkt"
            dispatcher.utter_message(response="utter_frustration_ticket", ticket=ticket)
            return [remember(tracker, "Ärger aufgenommen, Anfrage liegt beim Team")]
        if react(dispatcher, tracker, domain):  # its own line for anger, grief, worry, praise
            return [remember(tracker, "Gefühl aufgenommen")]
        dispatcher.utter_message(response="utter_frustration")
        return [remember(tracker, "Ärger aufgenommen, Mitarbeiter angeboten")]
