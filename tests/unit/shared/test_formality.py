"""Register read from style (issue 22, pattern 9), on top of the du/Sie words tested in
tests/unit/rasa_plugins/test_formality.py."""

import pytest

from bot.shared.formality import address, detect_register, informal_style


@pytest.mark.parametrize(
    "text",
    [
        "heyy 😊 wo bleibt mein paket",
        "yo wo ist meine bestellung",
        "Wir können uns gern duzen",
        "duzen wir uns?",
        "omg danke 😊",
        "hey, wo bleibt mein paket",
        "digga mein paket ist immer noch nicht da",
    ],
)
def test_chat_style_and_an_offer_to_duzen_say_du(text):
    assert detect_register(text) == "du"


@pytest.mark.parametrize(
    "text",
    [
        "Sehr geehrte Damen und Herren, wo ist mein Paket?",
        "Hallo, können Sie mir helfen 😊",
        "Bitte nicht duzen, wo ist mein Paket?",
        "Mit freundlichen Grüßen, Erika Meier",
    ],
)
def test_formal_markers_keep_sie_even_with_a_smiley(text):
    assert detect_register(text) == "sie"


@pytest.mark.parametrize(
    "text",
    [
        "wo ist mein paket",  # fast typing in lower case alone says nothing
        "Guten Tag 😊 wo ist mein Paket?",  # a smiley in a normally written message neither
        "habt ihr das auf lager 😊",  # ihr/euch address the shop
        "hallo, wo ist mein paket?",
    ],
)
def test_style_without_informal_markers_stays_open(text):
    assert detect_register(text) is None


def test_informal_style_needs_a_greeting_or_lower_case_with_slang_or_emoji():
    assert informal_style("yo was geht")
    assert informal_style("danke lol")
    assert not informal_style("Danke lol")  # capitalised: a customer who writes carefully
    assert informal_style("Danke lol 😊")
    assert not informal_style("danke")
    assert not informal_style("danke 😊")


@pytest.mark.parametrize(
    "text",
    [
        "sag mal, habt ihr den rucksack noch in blau?",
        "Schau mal bitte nach meiner Lieferung",
        "ach warte, lass doch, ich behalte es",
        "zeig mir bitte, wo ich die rechnung finde",
        "Ruf mich bitte morgen an",
    ],
)
def test_a_du_imperative_at_a_clause_start_says_du(text):
    assert detect_register(text) == "du"


@pytest.mark.parametrize(
    "text",
    [
        "Sagen Sie mal, wo bleibt meine Jacke?",  # the Sie imperative
        "Schauen Sie bitte nach meiner Lieferung",
    ],
)
def test_the_sie_imperative_stays_sie(text):
    assert detect_register(text) == "sie"


@pytest.mark.parametrize(
    "text",
    [
        "wie mach ich das mit der rücksendung?",  # a verb stem inside a clause is no imperative
        "Mach ich das so richtig?",  # followed by "ich": a question about oneself
        "Ich frage nach meiner Bestellung",
    ],
)
def test_a_verb_stem_that_is_no_imperative_says_nothing(text):
    assert detect_register(text) is None


def test_address_follows_english_and_goes_back_to_sie_for_german():
    """The hub keeps "en" in the conversation's register for an English-writing customer."""
    assert address("Where is my order, please?", None) == "en"
    assert address("100234", "en") == "en"  # shows nothing: kept
    assert address("Wo ist mein Paket?", "en") == "sie"  # German again, no du: Sie
    assert address("wo ist dein paket hin, kannst du schauen", "en") == "du"
    assert address("ok", "du") == "du"


@pytest.mark.parametrize(
    "text",
    [
        # persona run 2: lower-case nouns, a chat emoji, "hi"/"ey"/"alter", "hab" without "ich"
        "hi! wollte fragen ob meine lieferung noch umgeleitet werden kann 🙈",
        "ey das paket ist kaputt angekommen, hab echt keinen bock mehr",
        "alter. wo bleibt meine bestellung",
        "meine jacke hat nen riss 🤦",
        "hey wie lange dauert der versand nach wien 🙈",
    ],
)
def test_two_weak_style_cues_say_du(text):
    assert detect_register(text) == "du"


@pytest.mark.parametrize(
    "text",
    [
        # one weak cue only: a pensioner typing in lower case, a plain smiley, an address in capitals
        "guten tag, ich warte seit einer woche auf meine bestellung",
        "guten abend, meine enkelin hat mir die jacke bestellt 🙂",
        "hallo, bitte senden sie die rechnung an meine adresse",
        "Hab die Jacke bekommen, aber die Größe passt nicht",  # capitalised nouns
        "mein alter rucksack ist kaputt",  # "alter" before a noun is an adjective
        "Ich habe meine Bestellung 100236 noch nicht 😕",  # careful writing with an emoji
    ],
)
def test_one_weak_style_cue_is_not_enough(text):
    assert detect_register(text) != "du"


def test_style_cues_are_counted_once_each():
    from bot.shared.formality import lower_case_nouns, style_cues

    assert lower_case_nouns("wo ist meine bestellung")
    assert not lower_case_nouns("wo ist meine Bestellung, die bestellung von gestern")
    assert not lower_case_nouns("danke")  # no noun: nothing to read
    assert style_cues("ey ey ey") == 1
    assert style_cues("hi! bin umgezogen 🙈 neue adresse: Karl-Heine-Straße 88, 04229 Leipzig") == 3


def test_a_polite_gesture_is_no_chat_emoji():
    """ "ok 👍 die adresse passt so" from a customer on Sie: a thumbs up is politeness, not chat style."""
    assert detect_register("ok 👍 die adresse passt so") != "du"
    assert detect_register("danke 🙏🏻 dann warte ich auf das paket") != "du"
    assert detect_register("ok 🙈 die adresse passt so") == "du"
