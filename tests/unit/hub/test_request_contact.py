"""A contact the customer gives later for the open request (issue 22.8): the bot's `contact` payload is
noted on the request by the hub and confirmed - only on this conversation's own request."""

from bot.hub.keys.handoff import QUEUE
from bot.hub.store.models import Ticket
from bot.shared import wire
from tests.unit.hub.conftest import rows, start
from tests.unit.hub.test_register_and_contact import CLOSED, say


def bot_answers(fake_rasa, prefix, answers):
    """The fake Rasa answers a message starting with `prefix` with `answers(text)` (the custom
    payloads and texts an action sends), anything else as before."""
    plain = fake_rasa.answer

    def answer(sender, text):
        if text.startswith(prefix):
            return [{"recipient_id": sender, **one} for one in answers(text)]
        return plain(sender, text)

    fake_rasa.answer = answer


def bot_gives_contact(fake_rasa, ticket_of):
    """The fake Rasa answers "Meine Mail ist …" as action_inform does with a request open."""
    prefix = "Meine Mail ist "
    bot_answers(
        fake_rasa,
        prefix,
        lambda text: [{"custom": wire.contact(ticket_of(), text.removeprefix(prefix))}],
    )


async def test_a_later_e_mail_for_the_open_request_is_noted_and_confirmed(client, fake_rasa):
    conv = await start(client)
    client.app[QUEUE].clock = lambda: CLOSED
    await say(client, conv, "Ich will einen Menschen")
    await say(client, conv, "Wer ist da überhaupt zuständig?")  # the offer is no longer the last
    [ticket] = await rows(client, Ticket)
    bot_gives_contact(fake_rasa, lambda: ticket.id)
    answer = await say(client, conv, "Meine Mail ist lukas@example.org")
    reply = answer["messages"][-1]
    assert reply["sender"] == "system"
    assert reply["text"].startswith("Danke! Ich habe lukas@example.org zu Ihrem Anliegen notiert")
    assert f"Vorgangsnummer {ticket.id}" in reply["text"]
    [noted] = await rows(client, Ticket)
    assert noted.contact == "lukas@example.org"


async def test_another_conversations_request_is_never_changed(client, fake_rasa):
    other = await start(client)
    client.app[QUEUE].clock = lambda: CLOSED
    await say(client, other, "Ich will einen Menschen")
    [theirs] = await rows(client, Ticket)
    before = theirs.contact
    conv = await start(client)
    bot_gives_contact(fake_rasa, lambda: theirs.id)
    await say(client, conv, "Meine Mail ist eve@example.org")
    tickets = {t.id: t for t in await rows(client, Ticket)}
    assert tickets[theirs.id].contact == before
    mine = [t for t in tickets.values() if t.id != theirs.id]
    assert [t.contact for t in mine] == ["eve@example.org"]  # a callback request of its own
    assert mine[0].conversation_id == conv["conversation_id"]
