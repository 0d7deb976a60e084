"""Account questions: the stock account help, unless a help page says more about the question."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.account import RESPONSE, ActionAccountHelp, stock_text
from tests.trackers import make_tracker
from tests.unit.actions.test_knowledge import FakeKnowledgeBase, Hit, asked

NEWSLETTER = Hit(
    "newsletter",
    "Newsletter an- und abmelden",
    "https://www.waldmann-outdoor.de/hilfe/newsletter",
    "newsletter#4",
    "Newsletter abbestellen",
    "Den Newsletter bestellen Sie über den Link „Abmelden“ am Ende jeder Newsletter-E-Mail ab.",
    0.95,
)
PASSWORD = Hit(
    "kundenkonto",
    "Ihr Kundenkonto",
    "https://www.waldmann-outdoor.de/hilfe/kundenkonto",
    "kundenkonto#3",
    "Passwort vergessen",
    "Ihr Passwort setzen Sie unter „Anmelden → Passwort vergessen“ zurück.",
    0.95,
)


@pytest.fixture()
def pages(monkeypatch):
    def install(*hits: Hit, threshold: float = 0.6) -> FakeKnowledgeBase:
        fake = FakeKnowledgeBase(hits, threshold)
        monkeypatch.setattr(knowledge, "knowledge_base", lambda: fake)
        return fake

    return install


async def run(text: str, domain: dict, slots: dict | None = None) -> CollectingDispatcher:
    d = CollectingDispatcher()
    await ActionAccountHelp().run(
        d, make_tracker(slots or {}, [asked(text, "account_help")]), domain
    )
    return d


def test_the_stock_text_is_the_german_variant(domain):
    assert "Passwort vergessen" in stock_text(domain)
    assert not stock_text(domain).startswith("Glad")


async def test_a_page_about_the_question_is_quoted_instead_of_the_stock_text(pages, domain):
    pages(NEWSLETTER)
    d = await run("Wie melde ich mich vom Newsletter ab?", domain)
    assert [m.get("response") for m in d.messages] == ["utter_knowledge_answer"]
    assert d.messages[0]["quote"] == NEWSLETTER.quote


async def test_the_stock_text_stays_when_it_covers_the_question_as_well(pages, domain):
    pages(PASSWORD)
    d = await run("Ich habe mein Passwort vergessen", domain)
    assert [m.get("response") for m in d.messages] == ["utter_account_help"]


async def test_the_stock_text_when_the_pages_are_not_sure(pages, domain):
    pages(NEWSLETTER, threshold=0.99)
    d = await run("Wie melde ich mich vom Newsletter ab?", domain)
    assert [m.get("response") for m in d.messages] == ["utter_account_help"]


async def test_english_gets_the_stock_text(pages, domain):
    fake = pages(NEWSLETTER)
    d = await run("How do I unsubscribe from the newsletter?", domain, {"language": "en"})
    assert [m.get("response") for m in d.messages] == ["utter_account_help"]
    assert fake.asked == []


def stock_turn(text: str = "Ich komme nicht mehr in mein Kundenkonto.") -> list:
    """The customer's account question and the stock answer the bot gave to it."""
    return [
        asked(text, "account_help", "m0"),
        {"event": "bot", "text": "Gern helfe ich …", "metadata": {"utter_action": RESPONSE}},
    ]


async def test_right_after_the_stock_text_it_is_not_given_again_but_a_person(pages, domain):
    pages(PASSWORD)  # sure, but it says no more about the message than the stock text
    d = CollectingDispatcher()
    tracker = make_tracker({}, stock_turn() + [asked("Die Mail kommt nicht an.", "account_help")])
    await ActionAccountHelp().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == ["utter_next_step_human"]


async def test_without_the_stock_text_just_before_it_is_given(pages, domain):
    pages(PASSWORD, threshold=0.99)
    d = CollectingDispatcher()
    tracker = make_tracker({}, [asked("Die Mail kommt nicht an.", "account_help")])
    await ActionAccountHelp().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == ["utter_account_help"]


async def test_right_after_the_stock_text_a_page_about_the_follow_up_is_quoted(pages, domain):
    pages(NEWSLETTER)
    d = CollectingDispatcher()
    tracker = make_tracker(
        {}, stock_turn() + [asked("Und wie melde ich mich vom Newsletter ab?", "account_help")]
    )
    await ActionAccountHelp().run(d, tracker, domain)
    assert [m.get("response") for m in d.messages] == ["utter_knowledge_answer"]
