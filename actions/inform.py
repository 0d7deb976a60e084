"""An order number or e-mail address on its own (`inform`): context for the customer's request, never
a new one (issue 22).

The NLU reads a message that is mostly an order number as `inform`. If the customer has stated a
request anywhere in the conversation (this message, an earlier one, the recorded task:
bot/dialogue/stated.py), that request's flow starts with the number already filled; only without
any request does the bot ask what it is about; after a question that needs no order (a help topic) an
e-mail is offered to the team as the contact for it. An e-mail while verification is locked
is not checked and not taken as a request: the lock is told again (issue 22.11). An e-mail or phone
number while the matter lies with the team (a request recorded in the hub) is where the team answers: the hub
notes it on the request (issue 22.8).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import open_request
from actions.common import facts, feel, register
from actions.verification import lock_of, now, paused, subjects
from bot.dialogue.escalation import current_topic
from bot.dialogue.stated import stated_request

FLOWS = {
    "return_item": "return_form",
    "complaint": "complaint_form",
    "change_address": "address_form",
}


def gives_email(latest: Dict[str, Any]) -> bool:
    """Whether the message carries an e-mail address (the entity, or the text itself)."""
    if any(e.get("entity") == "email" for e in latest.get("entities") or []):
        return True
    return "@" in str(latest.get("text") or "")


def asked_topic(tracker: Tracker) -> bool:
    """The customer asked a question that needs no order (a help topic: data protection, the account,
    a policy): an e-mail after it is a contact for that question, not the start of an order lookup."""
    topic = current_topic(list(tracker.events))
    return bool(topic and topic.startswith("faq"))


class ActionInform(Action):
    def name(self) -> str:
        return "action_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if gives_email(tracker.latest_message or {}):
            order_id = str(tracker.get_slot("order_id") or "")
            if lock_of(subjects(tracker, order_id), now()):  # a guess after the lock: not checked
                slots = paused(tracker, dispatcher, order_id)
                return [SlotSet(name, value) for name, value in slots.items()]
        noted = open_request.note_contact(dispatcher, tracker)  # the matter lies with the team
        if noted is not None:
            return noted
        task = stated_request(list(tracker.events), tracker.latest_message or {})
        if task is None and gives_email(tracker.latest_message or {}) and asked_topic(tracker):
            dispatcher.utter_message(response="utter_contact_for_topic")
            return []
        if task is None and feel(dispatcher, tracker):  # "mein Vater ist verstorben, 100241": calm
            dispatcher.utter_message(text=facts().notice("feeling_what_now", register(tracker)))
            return []
        if task is None:
            dispatcher.utter_message(response="utter_inform_ack")
            return []
        return [SlotSet("task", task), FollowupAction(FLOWS.get(task, "verify_form"))]
