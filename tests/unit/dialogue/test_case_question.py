"""Questions about a case's next step (bot/dialogue/case_question.py)."""

from bot.dialogue.case_question import SEND_BACK, WHEN, asks_about_case


def test_when_the_replacement_or_the_money_comes():
    for text in [
        "Wann bekomme ich dann den Ersatz?",
        "wann krieg ich die neue?",
        "und wann ist das Geld da",
    ]:
        assert asks_about_case(text) == WHEN, text


def test_whether_to_send_the_item_back():
    for text in [
        "Muss ich den alten Rucksack zurückschicken?",
        "muss ich die kaputte lampe einschicken",
        # held-out persona run 4, d13: an item beside the return, in other words
        "und die Socken, gehören die auch mit ins Paket?",
        "Soll ich die Trinkflasche gleich mitschicken?",
    ]:
        assert asks_about_case(text) == SEND_BACK, text


def test_other_questions_and_statements_are_not_about_the_case():
    for text in ["wann kommt mein Paket?", "Was kostet der Versand?", "Ich schicke ihn zurück."]:
        assert asks_about_case(text) is None, text


def test_a_case_question_read_as_a_new_return_is_read_as_a_question():
    from bot.dialogue.case_question import read_case_question

    parse = {
        "text": "Muss ich den alten Rucksack zurückschicken?",
        "intent": {"name": "return_item", "confidence": 0.8},
        "intent_ranking": [{"name": "return_item", "confidence": 0.8}],
    }
    out = read_case_question(parse, "TK-123456")
    assert out["intent"]["name"] == "faq" and out["context"]["read_as"] == "return_item"
    assert read_case_question(parse, None) is parse  # no case on the table: a new return
    other = {**parse, "text": "Ich möchte den Rucksack zurückschicken."}
    assert read_case_question(other, "TK-123456") is other


def test_a_missing_label_is_told_apart_from_a_garment_label():
    from bot.dialogue.case_question import asks_label

    assert asks_label("Das Retourenetikett kam nie an, bitte noch einmal schicken")
    assert asks_label("wo finde ich das rücksendelabel? in der mail war keins")
    assert asks_label("I hob des Etikett ned kriagt, kennan's des nomoi schicka?")
    assert not asks_label("Das Etikett im Kragen kratzt furchtbar")
    assert not asks_label("Wie lange ist der Rücksendeschein gültig?")


def test_whether_a_case_was_created_is_a_question_not_a_wish():
    from bot.dialogue.case_question import asks_created

    assert asks_created("und is die reklamation jetzt angelegt oder nicht?")
    assert asks_created("Wurde meine Beschwerde schon an das Team weitergeleitet?")
    assert not asks_created("Bitte legen Sie eine Reklamation an")
    assert not asks_created("Ich möchte, dass die Reklamation angelegt wird.")


def test_a_missing_label_is_no_question_about_the_next_step():
    """ "Muss ich es mit dem Etikett zurückschicken?" is the next step; a label that never came is
    answered from the return (actions/orders.py), not with "schicken Sie es mit dem Etikett zurück"."""
    assert asks_about_case("Muss ich das mit dem Etikett zurückschicken?") == SEND_BACK
    assert asks_about_case("Das Etikett ist nicht gekommen, können Sie es nochmal senden?") is None


def test_a_question_about_the_verified_orders_cases_is_read_as_about_that_order():
    """Persona run 2: "ist die Jacke schon wieder bei Ihnen eingetroffen?" and "ist die Reklamation
    an Ihre Kollegen weitergegeben?" were searched on the help pages (product_question, fallback)."""
    from bot.dialogue.case_question import read_order_case_question

    def parse(text, intent):
        return {"text": text, "intent": {"name": intent, "confidence": 0.5}, "intent_ranking": []}

    for text, intent in [
        ("Und ist die Jacke inzwischen wieder bei Ihnen eingetroffen?", "product_question"),
        ("Ist die Reklamation schon an die Kollegen weitergegeben?", "nlu_fallback"),
        ("Das Etikett kam nie an, bitte nochmal schicken", "faq"),
    ]:
        out = read_order_case_question(parse(text, intent), "100243")
        assert out["intent"]["name"] == "order_status", text
        assert out["context"]["read_as"] == intent
        assert read_order_case_question(parse(text, intent), None)["intent"]["name"] == intent
    for text, intent in [
        ("Ist die Jacke wasserdicht?", "product_question"),  # no case in it
        ("Ist die Reklamation angelegt?", "request_human"),  # a reading that is kept
        ("Wie lange ist das Etikett gültig?", "faq"),
    ]:
        assert read_order_case_question(parse(text, intent), "100243")["intent"]["name"] == intent


def test_questions_about_a_case_on_file() -> None:
    """Held-out persona run 4, d29: news of a complaint, whether it is found or arrived, a question
    about one filed before - in sentences of their own."""
    from bot.dialogue.case_question import asks_on_file

    assert asks_on_file("Ich hatte vorige Woche eine Beschwerde abgeschickt. Ist da was passiert?")
    assert asks_on_file("Gibt es inzwischen etwas Neues zu meiner Rücksendung?")
    assert asks_on_file("Können Sie nachsehen, ob meine Reklamation bei Ihnen vorliegt?")
    assert asks_on_file("Habt ihr meine Reklamation überhaupt bekommen?")
    assert asks_on_file("hab die lampe schon reklamiert, wie schauts aus?")
    assert asks_on_file("Is my old complaint on file?")
    # a new case, even with a question, a delivery word or an earlier purchase in it
    assert not asks_on_file("Die Lampe ist kaputt angekommen, kann ich eine Reklamation machen?")
    assert not asks_on_file("Ich habe ein Video gemacht – kann ich das zur Reklamation schicken?")
    assert not asks_on_file("Ich will eine Reklamation anlegen, der Rucksack hat ein Loch.")
    assert not asks_on_file("bei 100238 ist die lampe kaputt angekommen, hilfst du mir?")


def test_a_case_number_is_read_in_the_shops_spelling() -> None:
    from bot.dialogue.case_question import case_number

    assert case_number("meine retoure rt 123456, bitte") == "RT-123456"
    assert case_number("Vorgang TK-98765?") == "TK-98765"
    assert case_number("Bestellung 100238") is None


def test_an_english_question_whether_the_return_arrived_is_about_the_return():
    """Issue 22: "has it reached you yet?" asks about what the customer sent back, like "ist sie
    schon bei Ihnen angekommen?"; a parcel on its way to the customer is not."""
    from bot.dialogue.case_question import asks_returned

    assert asks_returned("I posted the jacket back on Monday. Has it reached you yet?")
    assert asks_returned("did the boots arrive at your warehouse?")
    assert not asks_returned("when will the parcel reach me?")


def test_english_label_and_numbered_return_questions_are_about_the_return() -> None:
    """Persona run 5, d11: "Has the label been sent?" got the parcel's delivery, "what is the status
    of return RT-…?" the return policy."""
    from bot.dialogue.case_question import asks_label, read_order_case_question

    assert asks_label("Has the return label been sent yet?")
    assert asks_label("I still have no label for my return")
    assert not asks_label("The label on the fleece scratches my neck")
    asked = {"text": "What's the state of RT-123456?", "intent": {"name": "faq", "confidence": 0.5}}
    assert read_order_case_question(asked, "100243")["intent"]["name"] == "order_status"
    told = {"text": "My return is RT-123456.", "intent": {"name": "faq", "confidence": 0.5}}
    assert read_order_case_question(told, "100243")["intent"]["name"] == "faq"


def test_the_label_named_without_trouble():
    from bot.dialogue.case_question import asks_label, names_label

    text = "Ist die Rücksendung angelegt? Ich brauche den Aufkleber für das Paket."
    assert names_label(text) and not asks_label(text)
    assert names_label("wo ist das Rücksendeetikett")
    assert not names_label("Wann kommt das Geld?")


def test_whether_a_request_was_passed_on_is_about_the_verified_order():
    """Held-out run 8, e25: "Did that go through to your accounting department?" was read as the
    payment methods; with a verified order it is about that order's open request."""
    from bot.dialogue.case_question import read_order_case_question

    text = "Did that go through to your accounting department? And does it get a new number?"
    parse = {"text": text, "intent": {"name": "faq", "confidence": 0.6}, "intent_ranking": []}
    assert read_order_case_question(parse, "100235")["intent"]["name"] == "order_status"
    assert read_order_case_question(parse, None)["intent"]["name"] == "faq"
