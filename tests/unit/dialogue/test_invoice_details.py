"""bot/dialogue/invoice_details.py: a name or company wanted on the invoice (held-out run 7, d27)."""

from bot.dialogue.invoice_details import names_invoice_detail, read_invoice_detail


def parse(text, intent="change_address"):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.8},
        "intent_ranking": [{"name": intent, "confidence": 0.8}],
    }


def test_a_company_or_address_on_the_invoice_is_the_invoice_request():
    for text in [
        "The invoice must show our company, Berger Tech Ltd, please.",
        "Not the shipping address - the invoice needs my employer's name.",
        "Könnt ihr den Firmennamen auf die Rechnung setzen?",
        "Bitte die Rechnungsadresse auf meine Firma ändern",
    ]:
        assert names_invoice_detail(text), text
        out = read_invoice_detail(parse(text), None)
        assert out["intent"]["name"] == "invoice_request", text
        assert out["context"]["read_as"] == "change_address"


def test_a_delivery_change_or_another_reading_keeps_its_reading():
    for text in [
        "Bitte die Lieferadresse ändern, die Rechnung auch",
        "Neue Adresse: Lindenweg 4, 04109 Leipzig",
        "Please change the delivery address to Baker Street 5",
    ]:
        assert not names_invoice_detail(text), text
    text = "The invoice needs my company name"
    assert read_invoice_detail(parse(text, "faq"), None)["intent"]["name"] == "invoice_request"
    assert (
        read_invoice_detail(parse(text, "order_status"), None)["intent"]["name"] == "order_status"
    )
    assert read_invoice_detail(parse(text), "return_form")["intent"]["name"] == "change_address"


def test_a_payment_method_reading_of_the_invoice_address_becomes_the_invoice_request():
    """Run 7, d27: "change the invoice address" was read as the payment-method answer."""
    method = parse("Can you change the invoice address to my company?", "faq")
    method["context"] = {"method_change": True}
    out = read_invoice_detail(method, None)
    assert out["intent"]["name"] == "invoice_request" and out["context"]["method_change"]


def test_an_invoice_request_read_as_bare_data_is_the_invoice_request():
    """Run 8, e18 (own words): the order number, tax number and e-mail beside "Rechnung auf unsere
    Firma" made it a bare data message ("Worum geht es?")."""
    text = (
        "Bitte stellen Sie die Rechnung zu 100336 auf unsere Firma Haustechnik GmbH aus, "
        "USt-IdNr. DE123456789. paul.schneider@web.de"
    )
    assert read_invoice_detail(parse(text, "inform"), None)["intent"]["name"] == "invoice_request"
    bare = "paul.schneider@web.de, Bestellung 100336"
    assert read_invoice_detail(parse(bare, "inform"), None)["intent"]["name"] == "inform"
