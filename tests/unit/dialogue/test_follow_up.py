"""Short follow-ups are recognised as such: they are read with the turn before them."""

from __future__ import annotations

import pytest

from bot.dialogue.follow_up import (
    asks_if_not,
    asks_status_again,
    is_follow_up,
    joins_on,
    with_topic,
)


@pytest.mark.parametrize(
    "text",
    [
        "Und wie lange gilt der?",
        "Aber muss ich dafür extra zahlen?",
        "Geht es auch per Express?",
        "Kommt die Mail sofort?",
        "and how long does it take?",
    ],
)
def test_short_messages_that_join_on_or_refer_back_are_follow_ups(text):
    assert is_follow_up(text)


@pytest.mark.parametrize(
    "text",
    [
        "Welche Zahlungsarten bieten Sie an?",
        "Ich möchte gern wissen, ob man bei Ihnen auch mit einer Kreditkarte von einer "
        "ausländischen Bank bezahlen kann und was das dann kostet.",
        "",
    ],
)
def test_a_question_of_its_own_or_a_long_message_is_no_follow_up(text):
    assert not is_follow_up(text)


def test_only_a_message_opening_with_und_or_aber_joins_on():
    assert joins_on("Und was kostet der Expressversand?")
    assert joins_on("aber wie lange dauert es?")
    assert not joins_on("Dauert es lange?")


@pytest.mark.parametrize(
    "text",
    [
        "Und falls das nicht klappt?",
        "Und wenn sie bis Freitag nicht da ist?",
        "Und wenn es dann nicht da ist, schreibe ich Ihnen wieder?",
        "Und wenn es nicht auftaucht, was mache ich dann?",
        "Und wenn die Rechnung trotzdem nicht kommt, was dann?",
        "Gut. Und was mache ich dann?",
        "and if it still doesn't arrive?",
    ],
)
def test_what_to_do_if_it_does_not_come_true(text):
    assert asks_if_not(text)


@pytest.mark.parametrize(
    "text",
    [
        "Was passiert, wenn ich nicht zu Hause bin?",
        "Was mache ich dann mit dem alten Zelt hier?",
        "Und wenn sie doch nicht passt, kann ich sie umtauschen?",
    ],
)
def test_a_question_about_the_customer_or_a_thing_is_no_if_not(text):
    assert not asks_if_not(text)


def test_the_status_asked_again_is_told_from_a_question_about_it():
    assert asks_status_again("Und wo ist es jetzt?")
    assert asks_status_again("Ist es schon unterwegs?")
    assert not asks_status_again("Kann ich es dann in der Filiale abholen?")


def test_the_topic_goes_before_the_follow_up():
    assert with_topic("Und wann?", "  Zahlung per   Vorkasse ") == "Zahlung per Vorkasse Und wann?"
    assert with_topic("Und wann?", "") == "Und wann?"
