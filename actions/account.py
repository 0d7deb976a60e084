"""Customer-account questions: the stock account help, unless a help page answers what was asked.

The account intent gathers password, login, e-mail change, account deletion and the newsletter. The
stock text (utter_account_help) covers the first ones; for "Wie melde ich mich vom Newsletter ab?"
it talks about passwords (persona run 2, d13). So the help pages are asked first: a passage the
knowledge base is sure of that talks more about the question than the stock text is quoted
instead; otherwise the stock text, as before. Right after the stock text ("Die Mail zum
Zurücksetzen kommt nicht an.") it is never given again word for word: a page that says more about
the new message is quoted (one opening with "und" is searched with the earlier question, see
actions/knowledge.py), else a person is offered.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import knowledge
from actions.common import english, remember
from actions.faq import last_bot_turn

RESPONSE = "utter_account_help"


def stock_text(domain: DomainDict) -> str:
    """The German stock answer's text (the variant without a condition): what a page must beat."""
    variants: List[Dict[str, Any]] = list((domain.get("responses") or {}).get(RESPONSE) or [])
    plain = [v for v in variants if not v.get("condition")]
    return str((plain or variants or [{}])[-1].get("text") or "")


class ActionAccountHelp(Action):
    def name(self) -> str:
        return "action_account_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        again = said_last(tracker, RESPONSE)
        if not english(tracker) and not text.startswith("/"):  # the help pages are German
            shown = await knowledge.answer(
                dispatcher, tracker, text, None, rival=stock_text(domain) or " "
            )
            if shown is not None:
                return shown
        if again:  # "Die Mail kommt nicht an": not the same text word for word, a person offered
            dispatcher.utter_message(response="utter_next_step_human")
            return [remember(tracker, "Kontohilfe reichte nicht: Mitarbeiter angeboten")]
        dispatcher.utter_message(response=RESPONSE)
        return []


def said_last(tracker: Tracker, response: str) -> bool:
    """Whether the bot's previous turn was this response: then it is not given again word for word."""
    return any(
        (event.get("metadata") or {}).get("utter_action") == response
        for event in last_bot_turn(tracker)
    )
