"""`shown`: the feeling of the current flow that makes the next questions gentle (persona run 2)."""

from bot.dialogue.empathy import apologized, shown
from tests.trackers import user_event


def test_grief_anger_and_worry_of_the_flow_are_shown_even_after_their_line():
    grief = user_event(
        "Mein Mann ist letzte Woche verstorben, bitte stornieren: 100241", "cancel_order"
    )
    condolence = {"event": "bot", "text": "Mein aufrichtiges Beileid."}
    assert shown([grief], 0.35) == "grief"
    assert shown([grief, condolence], 0.35) == "grief"  # said already: still a gentle flow
    anger = user_event("Das ist eine Frechheit!!! Wo ist 100242?", "order_status")
    assert shown([anger], 0.35) == "anger"
    worry = user_event("Ich mache mir Sorgen, 100237 wurde zweimal abgebucht", "payment_issue")
    assert shown([worry], 0.35) == "worry"


def test_a_calm_flow_a_tap_and_a_new_topic_show_nothing():
    assert shown([user_event("Wo ist meine Bestellung 100234?", "order_status")], 0.35) is None
    assert shown([user_event("/request_human", "request_human")], 0.35) is None
    grief = user_event("Meine Mutter ist gestorben. Wo ist 100242?", "order_status")
    later = user_event("Was kostet der Versand nach Österreich?", "faq")
    assert shown([grief, later], 0.35) is None  # a new topic is a new flow


def test_annoyance_without_anger_is_annoyed_and_gets_the_topic_acknowledgement():
    from bot.dialogue.empathy import acknowledgement, annoyed

    huff = user_event("hey wo bleibt mein paket 😤 100234", "order_status")
    assert annoyed([huff], 0.35)
    assert shown([huff], 0.35) is None  # no feeling line of its own (grief, worry, anger)
    assert acknowledgement("order_status", [huff], 0.35) == "utter_empathy_waiting"
    sorry = {"event": "bot", "text": "Das tut mir leid – so lange sollten Sie nicht warten müssen."}
    assert acknowledgement("order_status", [huff, sorry], 0.35) is None  # once per flow
    calm = user_event("Wo ist meine Bestellung 100234?", "order_status")
    assert not annoyed([calm], 0.35)
    assert acknowledgement("order_status", [calm], 0.35) is None


def test_a_negative_score_without_annoyed_words_is_not_annoyance():
    """Corpus: "ich bin 79 und nicht so geübt mit dem computer" is no complaint to apologise for."""
    from bot.dialogue.empathy import annoyed

    shy = user_event(
        "guten tag, ich bin 79 und nicht so geübt mit dem computer. wann kommt 100234?",
        "order_status",
    )
    assert not annoyed([shy], 0.35)


def test_an_english_apology_counts_once_per_flow():
    said = {
        "event": "bot",
        "text": "I understand your anger; I am sorry. I'll take care of it now.",
    }
    assert apologized([user_event("This is ridiculous!", "complaint"), said])


def test_no_annoyance_line_after_a_death_was_told_even_in_a_later_flow():
    """Persona run 5, d05: a daughter's money question after "mein Vater ist verstorben" got "Das ist
    ärgerlich, das tut mir leid"; the same question from anyone else still gets the acknowledgement."""
    from bot.dialogue.empathy import acknowledgement, bereaved

    grief = user_event(
        "Meine Tante ist vorige Woche gestorben, bitte 100237 stornieren", "cancel_order"
    )
    money = user_event(
        "Das ist echt jetzt nervig, kann das Geld auf ein anderes Konto?", "payment_issue", mood=0.8
    )
    assert acknowledgement("payment_issue", [money], 0.35) == "utter_empathy"
    assert bereaved([grief, money])
    assert acknowledgement("payment_issue", [grief, money], 0.35) is None
    assert not bereaved([money, user_event("/cancel_order", "cancel_order")])


def test_an_english_calm_acknowledgement_counts_once_per_flow():
    """Held-out run 8 (e24): the calm line was German for an English customer; its English variant
    ("Thank you for letting us know") is seen as said, so it is not repeated in the flow."""
    from bot.dialogue.empathy import acknowledged_calmly

    defect = user_event("The headlamp from 100238 does not switch on any more.", "complaint")
    said = {"event": "bot", "text": "Thank you for letting us know – we will put that right."}
    assert acknowledged_calmly([defect, said])
    assert not acknowledged_calmly([defect])


def test_a_parcel_that_might_be_lost_is_no_lost_parcel():
    """Held-out run 8, e03: "bekomme ich mein Geld zurück, falls das Zelt verloren ist?" about a parcel
    on its way got "wenn ein Paket als zugestellt gilt, aber nicht bei Ihnen ist"."""
    from bot.dialogue.empathy import kind_of

    maybe = [
        user_event("Bekomme ich mein Geld zurück, falls das Zelt verloren ist?", "payment_issue")
    ]
    assert kind_of("payment_issue", maybe) != "lost_parcel"
    lost = [user_event("Das Paket ist verloren, bei mir kam nie etwas an.", "order_status")]
    assert kind_of("order_status", lost) == "lost_parcel"
