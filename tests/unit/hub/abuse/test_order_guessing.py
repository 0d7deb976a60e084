"""Guessing order numbers and e-mail addresses: the verification itself and its failure counters
(per order number, conversation and network, in the shop database) live in the actions and are
proved there (tests/unit/actions/test_verification_lockout.py; against the real stack
tests/integration/test_verification_bruteforce.py). The hub's part: the network key Rasa gets is a
keyed hash of the client address that a guesser can neither read, choose nor reset with a new chat."""

from __future__ import annotations

from tests.unit.hub.abuse.test_slash_commands import say
from tests.unit.hub.conftest import start


async def test_rasa_gets_a_keyed_hash_of_the_client_address_not_the_address(client, fake_rasa):
    conv = await start(client)
    await say(client, conv, text="Hallo")
    tag = fake_rasa.received[-1]["metadata"]["client"]
    assert "127.0.0.1" not in tag and len(tag) == 24
    other = await start(client)
    await say(client, other, text="Hallo")
    assert (
        fake_rasa.received[-1]["metadata"]["client"] == tag
    )  # the same client: the same tag across conversations


async def test_a_client_cannot_choose_its_own_network_key(client, fake_rasa):
    """Metadata a client sends with the conversation or the message never becomes `client`."""
    honest = await start(client)
    await say(client, honest, text="Hallo")
    tag = fake_rasa.received[-1]["metadata"]["client"]
    resp = await client.post(
        "/api/v1/conversations",
        json={"channel": "webchat", "metadata": {"client": "frisch-1", "shop": "waldmann"}},
    )
    assert resp.status == 201
    forged = await resp.json()
    resp = await say(client, forged, text="Bestellung 100234", metadata={"client": "frisch-2"})
    assert resp.status == 200 and fake_rasa.received[-1]["message"] == "Bestellung 100234"
    metadata = fake_rasa.received[-1]["metadata"]
    assert metadata["client"] == tag and "frisch" not in str(metadata)
