"""The acknowledgement that opens a complaint (rule: complaint -> action_acknowledge -> complaint_form).

A "complaint" that only asks how to do something ("Wie bekomme ich mein Zelt wieder wasserdicht?")
with no order behind it is answered from the help pages instead, when they are sure (actions/knowledge.py).
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import knowledge
from actions.common import empathize


class ActionAcknowledge(Action):
    """A described problem ("Das Zelt ist mit einem Riss angekommen") gets one fitting acknowledgement; the
    "Problem mit Artikel" button gets none (the form's question follows), and no second one later in the flow."""

    def name(self) -> str:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answered = await knowledge.answer_complaint_question(dispatcher, tracker)
        if answered is not None:
            return answered
        empathize(dispatcher, tracker)
        return []
