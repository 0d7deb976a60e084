"""A wish for the open request (the bot's `note` payload, issue 22): added to the request's note for
the agents - only on this conversation's own open request; the customer sees only the bot's words."""

from bot.hub.keys.handoff import QUEUE
from bot.hub.store.models import Ticket
from bot.shared import wire
from tests.unit.hub.conftest import rows, start
from tests.unit.hub.test_register_and_contact import CLOSED, say
from tests.unit.hub.test_request_contact import bot_answers


def bot_notes_wish(fake_rasa, ticket_of):
    """The fake Rasa answers "Bitte ausrichten: …" as action_answer_from_knowledge does with a request
    open: the note payload and its one-sentence acknowledgement."""
    bot_answers(
        fake_rasa,
        "Bitte ausrichten: ",
        lambda text: [{"custom": wire.note(ticket_of(), text)}, {"text": "Notiert."}],
    )


async def test_a_wish_goes_onto_the_open_request_s_note(client, fake_rasa):
    conv = await start(client)
    client.app[QUEUE].clock = lambda: CLOSED
    await say(client, conv, "Ich will einen Menschen")
    [ticket] = await rows(client, Ticket)
    before = ticket.note
    bot_notes_wish(fake_rasa, lambda: ticket.id)
    answer = await say(client, conv, "Bitte ausrichten: lieber Ersatz als Geld zurück")
    assert answer["messages"][-1]["text"] == "Notiert."
    [noted] = await rows(client, Ticket)
    assert noted.note.endswith("Wunsch des Kunden: Bitte ausrichten: lieber Ersatz als Geld zurück")
    assert (before or "") in noted.note


async def test_another_conversation_s_request_never_gets_the_note(client, fake_rasa):
    other = await start(client)
    client.app[QUEUE].clock = lambda: CLOSED
    await say(client, other, "Ich will einen Menschen")
    [theirs] = await rows(client, Ticket)
    before = theirs.note
    conv = await start(client)
    bot_notes_wish(fake_rasa, lambda: theirs.id)
    await say(client, conv, "Bitte ausrichten: nur vormittags anrufen")
    [after] = [t for t in await rows(client, Ticket) if t.id == theirs.id]
    assert after.note == before
