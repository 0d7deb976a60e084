"""The parcel said to be with the customer already, against a tracking that says on its way."""

import pytest

from bot.dialogue.parcel_here import says_parcel_here


@pytest.mark.parametrize(
    "text",
    [
        "Nein, das Paket ist seit gestern hier.",
        "Ich halte die Jacke doch schon in der Hand!",
        "S Päckli isch am Samschtig cho.",
        "ich hab sie längst bekommen",
        "Der Karton liegt doch schon seit Montag hier.",
    ],
)
def test_the_parcel_is_here(text):
    assert says_parcel_here(text)


@pytest.mark.parametrize(
    "text",
    [
        "Das Paket ist noch nicht da.",
        "Ist es schon da?",
        "Ich habe das Paket nie bekommen.",
        "Wo bleibt meine Bestellung?",
    ],
)
def test_not_here_or_a_question(text):
    assert not says_parcel_here(text)
