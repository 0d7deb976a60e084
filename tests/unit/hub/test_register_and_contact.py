"""Issue 12 in the hub: Wanda's greeting when the chat opens, the customer's du/Sie followed on every
message (API, frames, notices), and contact details typed after a ticket or callback offer."""

import dataclasses
from datetime import datetime, timezone

import pytest

from bot.hub.handoff.contact import accepts_offer, contact_in, question_beside, split_contact
from bot.hub.keys.handoff import QUEUE
from bot.hub.store.models import Conversation, Handoff, Message, Ticket
from tests.unit.hub.conftest import auth, row, rows, start

CLOSED = datetime(2026, 11, 22, 22, 0, tzinfo=timezone.utc)  # Sunday night in Berlin


async def say(client, conv, text):
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": text},
        headers=auth(conv),
    )
    assert resp.status == 200
    return await resp.json()


async def state(client, conv):
    return await (
        await client.get(f"/api/v1/conversations/{conv['conversation_id']}", headers=auth(conv))
    ).json()


async def welcomed(client):
    resp = await client.post("/api/v1/conversations", json={"channel": "webchat", "welcome": True})
    assert resp.status == 201
    return await resp.json()


async def test_a_new_web_chat_starts_with_the_greeting_and_disclosure_without_a_rasa_turn(
    client, fake_rasa
):
    conv = await welcomed(client)
    assert conv["register"] == "sie"
    [welcome] = conv["messages"]
    assert welcome["sender"] == "bot" and welcome["custom"] == {"welcome": True}
    assert "Ich bin Wanda, die digitale Assistentin von Waldmann Outdoor" in welcome["text"]
    assert "kein Mensch" in welcome["text"] and "Ihnen" in welcome["text"]
    assert fake_rasa.received == [] and fake_rasa.executed == []
    transcript = await (
        await client.get(
            f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=auth(conv)
        )
    ).json()
    assert [m["id"] for m in transcript["messages"]] == [welcome["id"]] and transcript[
        "register"
    ] == "sie"
    # API clients that do not ask for it start empty, as before
    plain = await start(client)
    assert plain["messages"] == [] and plain["register"] == "sie"
    bad = await client.post("/api/v1/conversations", json={"channel": "webchat", "welcome": "yes"})
    assert bad.status == 422


async def test_the_first_message_after_the_welcome_tells_rasa_so(client, fake_rasa):
    """Rasa greets a "Hallo" after the widget's welcome without introducing Wanda again."""
    conv = await welcomed(client)
    await say(client, conv, "Hallo")
    await say(client, conv, "wo ist mein paket")
    first, second = fake_rasa.received[-2:]
    assert first["metadata"].get("welcomed") is True
    assert "welcomed" not in second["metadata"]  # it answers the bot's reply, not the welcome
    plain = await start(client)
    await say(client, plain, "Hallo")
    assert "welcomed" not in fake_rasa.received[-1]["metadata"]


async def test_the_register_is_stored_on_every_message_and_sent_to_the_widget(client, fake_rasa):
    conv = await start(client)
    assert (await say(client, conv, "wo ist mein paket"))["register"] == "sie"
    answer = await say(client, conv, "kannst du mal nachschauen?")
    assert answer["register"] == "du"
    assert (await row(client, Conversation, conv["conversation_id"])).register == "du"
    assert (await state(client, conv))["register"] == "du"
    assert (await say(client, conv, "100234"))[
        "register"
    ] == "du"  # a message that shows nothing keeps it
    assert (await say(client, conv, "Können Sie mir bitte helfen?"))["register"] == "sie"


async def test_ihr_and_euch_address_the_shop_and_keep_sie(client, fake_rasa):
    conv = await start(client)
    assert (await say(client, conv, "habt ihr das Zelt auch in grün?"))["register"] == "sie"
    assert (await say(client, conv, "Gibt es bei euch Gutscheine?"))["register"] == "sie"
    assert (await row(client, Conversation, conv["conversation_id"])).register is None


async def test_a_tapped_button_does_not_change_the_register(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, "kannst du mir helfen")
    await say(client, conv, "Echo")  # the bot offered the /affirm button
    resp = await client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"payload": "/affirm", "title": "Können Sie"},
        headers=auth(conv),
    )
    assert (await resp.json())["register"] == "du"


async def test_notices_before_any_handoff_follow_the_register(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, "kannst du mir helfen?")
    fake_rasa.down = True
    notice = (await say(client, conv, "hallo?"))["messages"][-1]
    assert notice["sender"] == "system" and "Deine Nachricht ist gespeichert" in notice["text"]


async def test_queue_notice_and_frames_are_in_du_for_a_du_customer(client, fake_rasa, agent):
    conv = await start(client)
    base = f"/api/v1/conversations/{conv['conversation_id']}"
    ticket = (await (await client.post(f"{base}/ws-ticket", headers=auth(conv))).json())["ticket"]
    ws = await client.ws_connect(f"{base}/ws?ticket={ticket}")
    # the fake Rasa's handoff summary says "sie": the hub's own reading of the messages wins
    notice = (await say(client, conv, "kannst du mich mit einem Menschen verbinden?"))["messages"][
        -1
    ]
    assert "Du bist an Position 1" in notice["text"] and "Sie" not in notice["text"]
    frames = []
    while not any(f.get("type") == "state" for f in frames):
        frames.append(await ws.receive_json(timeout=5))
    assert all(f["register"] == "du" for f in frames if f["type"] in ("message",))
    assert [f for f in frames if f["type"] == "state"][-1]["register"] == "du"
    await ws.close()
    resp = await client.post(
        f"/api/v1/agent/conversations/{conv['conversation_id']}/claim", headers=agent
    )
    assert resp.status == 200
    joined = (await (await client.get(f"{base}/messages", headers=auth(conv))).json())["messages"][
        -1
    ]
    assert joined["text"] == "Eva aus unserem Team ist jetzt für dich da."


async def out_of_hours_ticket(client, conv):
    client.app[QUEUE].clock = lambda: CLOSED
    notice = (await say(client, conv, "Ich will einen Menschen"))["messages"][-1]
    assert "Hinterlassen Sie gern Ihre E-Mail-Adresse oder Telefonnummer" in notice["text"]
    return notice


async def test_a_phone_number_after_the_ticket_reaches_the_ticket_not_rasa(client, fake_rasa):
    conv = await start(client)
    await out_of_hours_ticket(client, conv)
    turns = len(fake_rasa.received)
    answer = await say(client, conv, "Gern unter 0171 2345678, ab 17 Uhr")
    assert [m["sender"] for m in answer["messages"]] == ["customer", "system"]
    reply = answer["messages"][1]["text"]
    assert "0171 2345678" in reply and "Vorgangsnummer" in reply and "Ihrem Anliegen" in reply
    assert len(fake_rasa.received) == turns  # not a Rasa turn ("Danke für die Angabe!")
    [ticket] = await rows(client, Ticket)
    assert ticket.contact == "0171 2345678"
    msg = (await rows(client, Message, Message.text == "Gern unter 0171 2345678, ab 17 Uhr"))[0]
    assert msg.delivery == "done"
    # the offer is answered: the next message is the bot's again
    assert (await say(client, conv, "danke"))["messages"][-1]["text"] == "Echo: danke"


async def test_an_email_after_the_ticket_in_du(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, "hast du kurz zeit?")
    client.app[QUEUE].clock = lambda: CLOSED
    notice = (await say(client, conv, "Ich will einen Menschen"))["messages"][-1]
    assert "Hinterlass gern deine E-Mail-Adresse" in notice["text"]
    reply = (await say(client, conv, "anna.meier@example.org"))["messages"][-1]["text"]
    assert reply.startswith("Danke! Ich habe anna.meier@example.org zu deinem Anliegen notiert")
    assert (await rows(client, Ticket))[0].contact == "anna.meier@example.org"


async def test_without_an_offer_contact_details_go_to_rasa(client, fake_rasa):
    conv = await start(client)
    answer = await say(client, conv, "0171 2345678")
    assert answer["messages"][-1]["text"] == "Echo: 0171 2345678"
    assert await rows(client, Ticket) == []


async def test_messenger_style_yes_accepts_the_callback_offer_while_waiting(
    client, fake_rasa, agent
):
    queue = client.app[QUEUE]
    queue.settings = dataclasses.replace(
        queue.settings, long_wait_seconds=0
    )  # the notice offers a callback
    conv = await start(client)
    notice = (await say(client, conv, "Ich will einen Menschen"))["messages"][-1]
    assert "Rückruf" in notice["text"] and notice["custom"]["callback"] is True
    ask = (await say(client, conv, "ja, Rückruf bitte"))["messages"][-1]
    assert (
        ask["sender"] == "system"
        and "Unter welcher Telefonnummer oder E-Mail-Adresse" in ask["text"]
    )
    assert (await state(client, conv))["state"] == "queued"
    confirmed = (await say(client, conv, "+49 171 2345678"))["messages"][-1]
    assert confirmed["text"].startswith("Danke! Wir melden uns unter +49 171 2345678.")
    assert (await state(client, conv))["state"] == "bot"
    [handoff], [ticket] = await rows(client, Handoff), await rows(client, Ticket)
    assert handoff.state == "left" and ticket.contact == "+49 171 2345678"


async def test_while_waiting_other_messages_still_reach_the_team(client, fake_rasa, agent):
    queue = client.app[QUEUE]
    queue.settings = dataclasses.replace(queue.settings, long_wait_seconds=0)
    conv = await start(client)
    await say(client, conv, "Ich will einen Menschen")
    answer = await say(
        client, conv, "Es geht um meine Rücksendung vom Montag, die Nummer ist 100234"
    )
    assert [m["sender"] for m in answer["messages"]] == ["customer"]
    assert (await state(client, conv))["state"] == "queued" and await rows(client, Ticket) == []


@pytest.mark.parametrize(
    "text, contact",
    [
        ("0171 2345678", "0171 2345678"),
        ("meine nummer: +49 (0)171 234-5678 danke", "+49 (0)171 234-5678"),
        ("Schreiben Sie an Anna.Meier@example.org bitte", "Anna.Meier@example.org"),
        ("100234", None),
        ("am 24.11. ab 17 Uhr", None),
        ("ja bitte", None),
    ],
)
def test_contact_in(text, contact):
    assert contact_in(text) == contact


@pytest.mark.parametrize(
    "text, yes",
    [
        ("ja", True),
        ("Ja, Rückruf bitte", True),
        ("gern per E-Mail", True),
        ("Rückruf", True),
        ("nein danke, ich warte", False),
        ("wie lange dauert das denn noch ungefähr bei euch heute?", False),
    ],
)
def test_accepts_offer(text, yes):
    assert accepts_offer(text) is yes


async def test_canned_replies_have_du_variants(client, agent):
    canned = (await (await client.get("/api/v1/agent/canned", headers=agent)).json())["canned"]
    assert canned and all(c["text_du"] for c in canned)
    for c in canned:
        assert "Sie" in c["text"] or "Ihr" in c["text"]
        assert (
            " Sie " not in c["text_du"]
            and "Ihr" not in c["text_du"]
            and "Ihnen" not in c["text_du"]
        )


async def test_a_question_beside_the_contact_is_noted_once_and_answered_by_the_bot(
    client, fake_rasa
):
    """Persona run 4 (d11, d18, d23): "<contact>. Wann ruft jemand an?" got only "notiert"."""
    conv = await start(client)
    await out_of_hours_ticket(client, conv)
    text = "Telefon 0171 2345678. Es geht um eine Rechnung, die ich nicht verstehe. Wann ruft jemand an?"
    answer = await say(client, conv, text)
    senders = [m["sender"] for m in answer["messages"]]
    assert senders == ["customer", "system", "bot"]
    noted, bot = answer["messages"][1]["text"], answer["messages"][2]["text"]
    assert "0171 2345678" in noted and "notiert" in noted
    # the bot answers the rest, without the number (it notes nothing a second time)
    assert bot == "Echo: Es geht um eine Rechnung, die ich nicht verstehe. Wann ruft jemand an?"
    assert fake_rasa.received[-1]["message"] == bot.removeprefix("Echo: ")
    [ticket] = await rows(client, Ticket)
    assert ticket.contact == "0171 2345678" and "Vorher" not in (ticket.note or "")
    # the tracker hears the contact's part first, under an id of its own
    heard = [e for e in fake_rasa.events[conv["conversation_id"]] if e["event"] == "user"]
    assert heard[-1]["text"] == "Telefon 0171 2345678."
    stored = (await rows(client, Message, Message.text == text))[0]
    assert heard[-1]["message_id"] == f"{stored.id}-part"
    assert fake_rasa.received[-1]["message_id"] == stored.id  # the bot's turn is the message's own
    assert stored.delivery == "done"  # the customer's whole message stays in the transcript


async def test_an_e_mail_and_a_question_in_du_with_und(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, "hast du kurz zeit?")
    client.app[QUEUE].clock = lambda: CLOSED
    await say(client, conv, "Ich will einen Menschen")
    answer = await say(client, conv, "lena@example.org und wann kommt mein geld")
    assert answer["messages"][1]["text"].startswith("Danke! Ich habe lena@example.org")
    assert answer["messages"][-1]["text"] == "Echo: wann kommt mein geld"
    assert (await rows(client, Ticket))[0].contact == "lena@example.org"


async def test_a_contact_with_only_a_remark_is_noted_without_a_bot_turn(client, fake_rasa):
    conv = await start(client)
    await out_of_hours_ticket(client, conv)
    turns = len(fake_rasa.received)
    answer = await say(
        client, conv, "Rufen Sie mich an unter 0151 4455667, es geht um eine Gutschrift."
    )
    assert [m["sender"] for m in answer["messages"]] == ["customer", "system"]
    assert len(fake_rasa.received) == turns


@pytest.mark.parametrize(
    "text, given, rest, question",
    [
        (
            "m.kurz@example.org. Wie lange dauert die Erstattung? Ich brauche es bald.",
            "m.kurz@example.org.",
            "Wie lange dauert die Erstattung? Ich brauche es bald.",
            True,
        ),
        (
            "Bitte an mich: m.kurz@example.org. Muss ich noch zahlen",
            "Bitte an mich: m.kurz@example.org.",
            "Muss ich noch zahlen",
            True,
        ),
        (
            "m.kurz@example.org - when will you call?",
            "m.kurz@example.org -",
            "when will you call?",
            True,
        ),
        (
            "Gern unter m.kurz@example.org, ab 17 Uhr",
            "Gern unter m.kurz@example.org,",
            "ab 17 Uhr",
            False,
        ),
        ("m.kurz@example.org danke", "m.kurz@example.org danke", "", False),
    ],
)
def test_split_contact_and_question_beside(text, given, rest, question):
    assert split_contact(text, "m.kurz@example.org") == (given, rest)
    assert question_beside(text, "m.kurz@example.org") == (rest if question else None)
