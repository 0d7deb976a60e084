"""A typed button is read as its tap (bot/dialogue/button_choice.py)."""

import pytest

from bot.dialogue.button_choice import read_button, same_stem


def turn(titles, text="Wie möchten Sie weitermachen?"):
    buttons = [{"title": t, "payload": f"/choice_{i}"} for i, t in enumerate(titles)]
    return [
        {"event": "user", "text": "vorher"},
        {"event": "bot", "text": text, "data": {"buttons": buttons}},
        {"event": "action", "name": "action_listen"},
    ]


CASE = ["Ändern", "Zurückziehen", "So lassen"]
SEARCH = ["Nachforschung", "Ich schaue nach"]
CONFIRM = ["Ja, anlegen", "Nein"]


@pytest.mark.parametrize(
    "text, titles, chosen",
    [
        ("NACHFORSCHUNG STARTEN bitte", SEARCH, "Nachforschung"),
        ("ok, dann leite bitte eine Nachforschung ein", SEARCH, "Nachforschung"),
        ("gut, ich schau noch mal nach", SEARCH, "Ich schaue nach"),
        ("zurückziehen bitte. und was mache ich mit dem Etikett?", CASE, "Zurückziehen"),
        (
            "Nein, NICHT zurückschicken. Bitte die Rücksendung RT-1 zurueckziehen.",
            CASE,
            "Zurückziehen",
        ),
        ("lass es so", CASE, "So lassen"),
        ("zurückziehen bitte, mein Bruder nimmt den Rucksack", CASE, "Zurückziehen"),
        ("ja passt. lieber Ersatz", CONFIRM, "Ja, anlegen"),
        (
            "Nur den Rucksack",
            ["Ja, anlegen", "Nein", "Nur: Rucksack Gipfelstürmer", "Nur: Zelt"],
            "Nur: Rucksack Gipfelstürmer",
        ),
    ],
)
def test_a_message_naming_one_button_is_its_tap(text, titles, chosen):
    button = read_button(text, turn(titles))
    assert button is not None and button["title"] == chosen


@pytest.mark.parametrize(
    "text, titles",
    [
        ("Wie lange dauert so eine Nachforschung?", SEARCH),  # a question about it
        ("ich will die Rücksendung nicht zurückziehen", CASE),  # said no
        ("Ich möchte nicht, dass die Bestellung storniert wird.", ["Ja, stornieren", "Nein"]),
        ("no, don't cancel. what happens if I do not pay?", ["Yes, cancel it", "No"]),
        ("ja, aber nur das Zelt", ["Ja, stornieren", "Nein"]),  # a yes with a but
        ("ich habe die Rücksendung schon abgeschickt", ["Wo ist mein Paket?", "Rücksendung"]),
        ("ok thanks", ["Customer service"]),
        ("Ich will nicht, dass sie storniert wird", ["Ja, stornieren", "Nein"]),
        ("Sorgen mache ich mir, dass sie storniert wird", ["Ja, stornieren", "Nein"]),
        ("/stop", CASE),  # already a tap
        ("zurückziehen", []),  # no buttons
    ],
)
def test_no_choice_where_the_message_does_not_clearly_make_one(text, titles):
    assert read_button(text, turn(titles)) is None


def test_a_yes_repeating_the_offer_takes_the_only_button():
    offer = "Write to us, or I pass your erasure request on to a colleague now."
    assert read_button("yes please pass it on", turn(["Customer service"], offer)) is not None
    assert read_button("yes please delete it", turn(["Customer service"], offer)) is None


def test_only_the_latest_bot_turn_counts():
    events = turn(CASE) + [{"event": "user", "text": "hm"}, {"event": "bot", "text": "Gut."}]
    assert read_button("zurückziehen bitte", events) is None


def test_stems():
    assert same_stem("starte", "starten") and same_stem("storniert", "stornieren")
    assert not same_stem("zurueckschicken", "zurueckziehen")


def test_a_yes_with_a_question_takes_the_yes_button_only_at_a_confirmation():
    asked = "ok. und wie lange dauert das?"
    helped = turn(["Ja, danke", "Hat nicht geholfen"])  # "Hat das geholfen?": the question counts
    assert read_button(asked, helped) is None
    summary = turn(CONFIRM)
    summary[1]["metadata"] = {"utter_action": "utter_confirm_complaint"}
    chosen = read_button("ja passt. bekomme ich dann Ersatz?", summary)
    assert chosen is not None and chosen["title"] == "Ja, anlegen"


def confirmation(
    titles, question="utter_confirm_address", address="Gerberstraße 72, 04105 Leipzig"
):
    """An address or case confirmation with its buttons, the address shown in the slot."""
    buttons = [{"title": t, "payload": p} for t, p in zip(titles, ["/affirm", "/deny"])]
    return [
        {"event": "slot", "name": "new_address", "value": address},
        {
            "event": "bot",
            "text": "Soll ich …?",
            "data": {"buttons": buttons},
            "metadata": {"utter_action": question},
        },
        {"event": "action", "name": "action_listen"},
    ]


def test_a_correction_or_condition_at_a_confirmation_is_no_typed_button():
    """Held-out run 8, e17/e23: "…, nicht 45. Bitte so ändern." and "… If yes, create it." are no
    tap of the yes button; a plain typed yes still is."""
    address = confirmation(["Ja, ändern", "Nein"])
    assert read_button("Die Hausnummer ist 27, nicht 72. Bitte so ändern.", address) is None
    assert read_button("Ja, ändern", address)["payload"] == "/affirm"
    case = confirmation(["Yes, create it", "No"], "utter_confirm_return", "")
    assert read_button("Will it be size 42? It doesn't say. If yes, create it.", case) is None
    assert read_button("yes, create it", case)["payload"] == "/affirm"


def test_a_dialect_no_names_no_button():
    person = turn(["Zum Kundenservice", "Nein, danke"])
    assert read_button("Naa, ka Kundendienst.", person) is None
