"""The acknowledgement that opens a complaint (rule: complaint -> action_acknowledge -> complaint_form).

A "complaint" that only asks how to do something ("Wie bekomme ich mein Zelt wieder wasserdicht?")
with no order behind it is answered from the help pages instead, when they are sure (actions/knowledge.py).
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import cases, knowledge, open_request, settings
from actions.common import empathize, facts, register, remember
from actions.verification import latest_text
from bot.dialogue.empathy import feeling
from bot.dialogue.phishing import (
    PASSWORD,
    asks_money_back,
    asks_to_block,
    entered_kind,
    says_blocked,
)


class ActionAcknowledge(Action):
    """A described problem ("Das Zelt ist mit einem Riss angekommen") gets one fitting acknowledgement; the
    "Problem mit Artikel" button gets none (the form's question follows), and no second one later in the flow.
    Praise the NLU read as a complaint ("Die Socken sind der Hammer 😊") gets thanks and no complaint form."""

    def name(self) -> str:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if (
            feeling(tracker.events, settings.EMPATHY_THRESHOLD) == "joy"
        ):  # praise read as a complaint
            empathize(dispatcher, tracker)  # thanks, no defect apology and no complaint form
            dispatcher.utter_message(response="utter_anything_else")
            return [FollowupAction("action_listen")]
        if cases.asks_case_status(latest_text(tracker)):  # "Stand meiner Reklamation?": no apology
            return []
        answered = await knowledge.answer_complaint_question(dispatcher, tracker)
        if answered is not None:
            return answered
        empathize(dispatcher, tracker)
        return []


class ActionPhishingAdvice(Action):
    """A worried question whether a mail, SMS or link is from the shop: never click, the shop never asks
    for a password or TAN, where to forward it (company.yml `emotions.phishing`, contact data filled in).
    A follow-up after that advice gets what to do now (`emotions.phishing_followup`), never the same
    text again."""

    def name(self) -> str:
        return "action_phishing_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        advised = any(ADVISED in str(done) for done in tracker.get_slot("bot_actions") or [])
        noted = open_request.note_contact(dispatcher, tracker) or []  # "0176 …, und die Karte?"
        kind = entered(tracker)
        if asks_money_back(latest_text(tracker)):  # "zahlt ihr das oder meine Bank?" (run 8, e04)
            return [*noted, *money_back(dispatcher, tracker, kind)]
        if (
            kind is not None and kind != PASSWORD and blocked(tracker)
        ):  # done: no "block it now" again
            dispatcher.utter_message(text=fresh_text(tracker, "phishing_blocked"))
            dispatcher.utter_message(response="utter_anything_else")
            return [*noted, remember(tracker, f"{ADVISED} nach der Sperre gegeben")]
        if kind is not None:  # card data typed in: block it now, not "change your password"
            text = str(facts().text("emotions", f"phishing_{kind}", register(tracker)) or "")
            if kind != PASSWORD and asks_to_block(latest_text(tracker)):  # "ja oder nein?"
                yes = str(facts().text("emotions", "phishing_yes", register(tracker)) or "")
                text = f"{yes} {text}"
            dispatcher.utter_message(text=text)
            dispatcher.utter_message(response="utter_anything_else")
            return [*noted, remember(tracker, f"{ADVISED} (eingegebene Daten: {kind}) gegeben")]
        # once advised, a follow-up ("schon geklickt", "Passwort ändern?") gets what to do now
        if advised:
            text = fresh_text(tracker, "phishing_followup")
        else:
            text = str(facts().text("emotions", "phishing", register(tracker)) or "")
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(response="utter_anything_else")
        return [*noted, remember(tracker, f"{ADVISED} zu verdächtiger Nachricht gegeben")]


ADVISED = "Sicherheitshinweis"


def money_back(
    dispatcher: CollectingDispatcher, tracker: Tracker, kind: str | None
) -> List[EventType]:
    """Who pays back the money paid on the fake page: not the shop, which never got it; the bank or
    card issuer may (company.yml `emotions.phishing_money_back`) - after the block text when the
    card is not blocked yet."""
    reg = register(tracker)
    if kind is not None and kind != PASSWORD and not blocked(tracker):
        dispatcher.utter_message(text=str(facts().text("emotions", f"phishing_{kind}", reg) or ""))
    dispatcher.utter_message(text=str(facts().text("emotions", "phishing_money_back", reg) or ""))
    dispatcher.utter_message(response="utter_anything_else")
    return [remember(tracker, f"{ADVISED}: wer das Geld zurückholt gesagt")]


def entered(tracker: Tracker) -> str | None:
    """What secret data the customer typed into the page, from the latest message or, failing that,
    an earlier one ("was jetzt?" after "ich habe meine Kartendaten eingegeben")."""
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    for text in reversed(texts):
        kind = entered_kind(text)
        if kind is not None:
            return kind
    return None


def blocked(tracker: Tracker) -> bool:
    """The customer said the card or bank access is blocked already and does not ask again whether to
    block it (persona run 5, d07: "die Karte IST schon gesperrt" got the block text a third time)."""
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    return any(says_blocked(text) for text in texts) and not (
        texts and asks_to_block(texts[-1]) and not says_blocked(texts[-1])
    )


def fresh_text(tracker: Tracker, key: str) -> str:
    """The first variation of company.yml `emotions.<key>` (in its order: the first follow-up gets the
    first) the bot did not say in this conversation yet; any one when all were said."""
    said = {str(e.get("text") or "") for e in tracker.events if e.get("event") == "bot"}
    reg = register(tracker)
    variants = (facts().raw.get("emotions") or {}).get(key) or {}
    chosen = variants.get(reg) if reg in ("du", "en") else None
    chosen = chosen or variants.get("sie") or []
    for text in [chosen] if isinstance(chosen, str) else chosen:
        rendered = facts().render(text)
        if rendered not in said:
            return rendered
    return str(facts().text("emotions", key, reg) or "")
