"""bot/dialogue/address_given.py: a message with a full new address is the address answer or the
address change again, whatever the words around it make the classifier read."""

from bot.dialogue.address_given import read_address_given
from tests.trackers import user_event


def bot(response: str):
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


def parse(text: str, intent: str):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.8},
        "intent_ranking": [{"name": intent, "confidence": 0.8}],
    }


def form(name: str | None):
    return {"event": "active_loop", "name": name}


# The customer said no to the confirmation: the change is still the task, no form runs.
KEPT = [
    user_event("Lieferadresse von 100236 ändern", "change_address"),
    form("address_form"),
    {"event": "slot", "name": "new_address", "value": "Seeweg 2, 24103 Kiel"},
    form(None),
    bot("utter_confirm_address"),
    user_event("nein", "deny"),
    {"event": "slot", "name": "new_address", "value": None},
    bot("utter_address_kept"),
]


def read(text: str, intent: str, events=KEPT, loop=None, slot=None) -> str:
    return read_address_given(parse(text, intent), loop, slot, events)["intent"]["name"]


def test_after_a_no_a_wish_to_change_with_the_address_starts_the_change_again():
    """Held-out run 6, d11: the wait answer, then empathy and the menu for the new address."""
    assert read("Augenblick, ich will doch ändern! Uferstraße 9, 24105 Kiel", "faq") == (
        "change_address"
    )
    assert read("Fertig!!! Die neue Anschrift: Uferstraße 9, 24105 Kiel", "frustration") == (
        "change_address"
    )
    # the reading keeps what the classifier said
    out = read_address_given(parse("Uferstraße 9, 24105 Kiel", "faq"), None, None, KEPT)
    assert out["context"]["read_as"] == "faq"


def test_without_an_address_change_only_address_words_make_one():
    assert read("Neue Adresse: Uferstraße 9, 24105 Kiel", "faq", events=[]) == "change_address"
    assert read("Wir sind umgezogen: Uferstraße 9, 24105 Kiel", "faq", events=[]) == (
        "change_address"
    )
    assert read("Please update the address to Uferstraße 9, 24105 Kiel", "faq", events=[]) == (
        "change_address"
    )
    assert read("Uferstraße 9, 24105 Kiel", "faq", events=[]) == "faq"
    question = "Liefern Sie auch dorthin? Meine Adresse wäre Uferstraße 9, 24105 Kiel"
    assert read(question, "faq", events=[]) == "faq"


def test_while_the_form_asks_for_the_address_it_is_the_answer():
    text = "Uferstraße 90, 24105 Kiel. Moment, nein – Uferstraße 9, nicht 90."
    assert read(text, "faq", loop="address_form", slot="new_address") == "inform"
    assert read(text, "stop", loop="address_form", slot="new_address") == "stop"
    assert read(text, "faq", loop="address_form", slot="email") == "faq"


def test_other_requests_a_person_a_withdrawal_and_the_confirmation_keep_their_reading():
    address = "Uferstraße 9, 24105 Kiel"
    assert read(f"Rücksendung bitte, Absender {address}", "return_item") == "return_item"
    assert read(f"Ich will einen Menschen! Adresse {address}", "request_human") == "request_human"
    assert read(f"Vergessen Sie es, lassen Sie die alte Adresse, nicht {address}", "stop") == "stop"
    assert read(f"Moment, {address}", "faq", loop="verify_form", slot="email") == "faq"
    confirming = [*KEPT[:3], bot("utter_confirm_address")]
    assert read(f"nein: {address}", "deny", events=confirming) == "deny"  # yes_no.py reads it
    assert read("Augenblick, ich will doch ändern!", "faq") == "faq"  # no address: nothing to take
