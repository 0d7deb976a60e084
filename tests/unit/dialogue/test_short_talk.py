import pytest

from bot.dialogue.short_talk import (
    asks_how_reached,
    asks_when_answered,
    is_acknowledgement,
    leaves,
    let_down,
    takes_own_step,
)


@pytest.mark.parametrize(
    "text", ["Na gut.", "ok", "kk", "passt", "Gut.", "Okay, danke.", "alles klar 👍", "geht klar"]
)
def test_short_okays(text):
    assert is_acknowledgement(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok mach ich so und dann?",
        "Hoffentlich klappt das diesmal.",
        "gut, und wo ist mein paket?",
        "nicht gut",
        "",
    ],
)
def test_messages_that_say_more_than_okay(text):
    assert not is_acknowledgement(text)


def test_questions_about_the_open_request():
    assert asks_when_answered("Und wie lange dauert das jetzt wieder?")
    assert asks_when_answered("Wann meldet sich denn endlich jemand?")
    assert not asks_when_answered("Wie lange dauert der Versand nach Österreich?")
    assert not asks_when_answered("Und wann ist mein Geld wieder da?")
    assert asks_when_answered("So bald wie möglich heißt was? Heute noch? Am Samstag sind wir weg.")
    assert asks_when_answered("Meldet sich da heute noch wer? Melden Sie sich heute noch?")
    assert not asks_when_answered("Kommt das Paket heute noch?")
    assert asks_how_reached("Wie erreichen Sie mich denn?")
    assert not asks_how_reached("Wie kann ich Sie erreichen?")


def test_the_wait_for_a_person_and_a_bare_when():
    """Persona run 4 (d30, d11): "wie lange, bis jemand schreibt?" got delivery times, "…: WANN?" the
    still-there line; a bare "seit wann?" asks about something else."""
    assert asks_when_answered("und wie lang dauerts so ungefähr, bis mir einer zurückschreibt?")
    assert asks_when_answered("Wie lange brauchen Sie, bis sich ein Kollege bei mir meldet?")
    assert asks_when_answered("Ich hab was gefragt. Also WANN?")
    assert asks_when_answered("ja aber wann??")
    assert not asks_when_answered("Seit wann denn?")
    assert not asks_when_answered("Bis wann kann ich das zurückschicken?")
    assert not asks_when_answered("Wie lange dauert der Versand, bis die Jacke da ist?")


def test_the_wait_for_a_person_in_english():
    assert asks_when_answered("Write to me at ana@example.org. When will someone get back to me?")
    assert asks_when_answered("how long until somebody replies?")
    assert asks_when_answered("When do I hear back from you?")
    assert not asks_when_answered("When will my parcel arrive?")
    assert not asks_when_answered("When can I send the boots back?")


def test_what_now_after_an_answer():
    from bot.dialogue.short_talk import asks_what_now

    assert asks_what_now("Es isch geschter cho. Was söll ich jetzt mache?")  # Swiss (run 4, d08)
    assert asks_what_now("wos soi i etz doa?")
    assert not asks_what_now("Was soll ich tun, um ein Kundenkonto anzulegen?")

    assert asks_what_now("Und was bringt mir das jetzt?")
    assert asks_what_now("Und jetzt?")
    assert asks_what_now("Wie geht es jetzt weiter?")
    assert not asks_what_now("Was bringt mir ein Schlafsack mit -10 Grad?")


def test_the_customer_s_own_next_step_closes_like_an_okay():
    from bot.dialogue.short_talk import is_acknowledgement

    for text in [
        "Ich frage mal bei den Nachbarn nach.",
        "gut, dann schau ich erst in den Briefkasten",
        "ok, ich warte noch bis morgen",
    ]:
        assert is_acknowledgement(text), text
    for text in ["Ich frage mich, wo mein Paket ist", "ich warte seit Wochen auf mein Paket!!"]:
        assert not is_acknowledgement(text), text
    assert not is_acknowledgement("ich schau mal, oder kann ich das auch zurückschicken?")


@pytest.mark.parametrize(
    "text, leaving",
    [
        ("Gut, dann warte ich auf den Rückruf. Auf Wiederhören.", True),
        ("danke, wiederhören", True),
        ("Fine, I'll wait for the mail. Goodbye!", True),
        ("Auf Wiederhören - oder ruft heute noch jemand an?", False),
    ],
)
def test_a_goodbye_on_the_phone_or_in_english_leaves(text, leaving):
    assert leaves(text) is leaving


def test_a_bare_when_with_an_adverb_asks_when_the_team_answers():
    from bot.dialogue.short_talk import asks_when_answered

    assert asks_when_answered("Wann ungefähr?") and asks_when_answered("Und wann denn?!")
    assert not asks_when_answered("Ab wann etwa?")


def test_how_long_it_takes_until_someone_replies_asks_when_the_team_answers():
    from bot.dialogue.short_talk import asks_when_answered

    assert asks_when_answered("How long will it take until someone gets back to me?")
    assert not asks_when_answered("How long does it take for a refund?")


@pytest.mark.parametrize(
    "text",
    [
        "Ok, dann frage ich dort. Danke trotzdem.",
        "schade, aber danke",
        "thanks anyway",
        "Hat mir leider nicht geholfen, tschüss",
        "Danach hatte ich gar nicht gefragt. Tschüss",
        "Das wollte ich eigentlich gar nicht wissen. Egal, tschüss",
    ],
)
def test_disappointed_thanks(text):
    assert let_down(text)


@pytest.mark.parametrize("text", ["Danke!", "Vielen Dank, das hat geholfen", "Super, danke dir"])
def test_glad_thanks_are_not_let_down(text):
    assert not let_down(text)


def test_own_next_step_anywhere():
    assert takes_own_step("Egal, ich schau selbst in der App nach. Tschüss")
    assert not takes_own_step("Wo kann ich das nachschauen?")
