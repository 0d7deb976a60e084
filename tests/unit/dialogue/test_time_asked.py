"""A short question about the time of the thing just said (held-out run 8, problem 4)."""

from __future__ import annotations

import pytest

from bot.dialogue.time_asked import (
    ACCESS,
    ERASURE,
    asks_since_when,
    privacy_time,
    privacy_time_asked,
)


@pytest.mark.parametrize(
    "text, since",
    [
        ("Seit wann ist das denn ausgezahlt?", True),
        ("Veranlasst seit wann? Und was, wenn nichts kommt?", True),
        ("wann wurde das Geld überwiesen?", True),
        ("Since when has the refund been issued?", True),
        ("wann kommt das Geld?", False),
        ("Wie lange dauert die Erstattung?", False),
    ],
)
def test_since_when_is_read(text, since):
    assert asks_since_when(text) is since


ACCESS_ASKED = "Ich möchte Auskunft über meine Daten nach DSGVO. Bitte leiten Sie das weiter."


@pytest.mark.parametrize(
    "text, earlier, matter",
    [
        ("wie lange dauert das löschen dann?", [], ERASURE),
        ("Wie lange dauert es, bis meine Daten gelöscht sind?", [], ERASURE),
        ("Wie lange dauert das?", [ACCESS_ASKED], ACCESS),
        ("How long will the deletion take?", [], ERASURE),
        ("bis wann habt ihr das?", ["bitte löscht mein Konto"], ERASURE),
        # the team's own answer time, or no data matter: not a privacy deadline
        ("Wann meldet sich jemand wegen der Löschung?", [], None),
        ("Wie lange dauert das?", ["Wo ist mein Paket 100234?"], None),
        ("Wie lange dauert das?", [ACCESS_ASKED, "Wo ist mein Paket?", "ok"], None),
        (
            "Wie lange dauert die Lieferung nach Österreich, wenn ich bestelle?",
            [ACCESS_ASKED],
            None,
        ),
    ],
)
def test_how_long_a_data_request_takes_is_read(text, earlier, matter):
    assert privacy_time(text, earlier) == matter


@pytest.mark.parametrize(
    "text, matter",
    [
        (
            "Ich beantrage Auskunft über meine Daten nach DSGVO. Bitte an Ihr Team. Wie lange dauert das?",
            ACCESS,
        ),
        ("Bitte löscht mein Konto. Wie lange dauert das?", ERASURE),
        ("Wo ist mein Paket? Wie lange dauert das?", None),
        ("Ich will einen Menschen sprechen. Wann meldet sich jemand?", None),
    ],
)
def test_how_long_beside_the_data_request_in_one_message_is_read(text, matter):
    assert privacy_time_asked(text) == matter
