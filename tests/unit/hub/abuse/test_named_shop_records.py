"""Someone else's shop records through a GDPR request: the bot echoes what customers type, so a
customer who writes another customer's return or complaint number into a chat must not get that
record into their export, have it erased with their data, or have retention overwrite it with
"[gelöscht]" when their old conversation expires. Export, erasure and retention act only on the
records the bot created in the conversation, as the creating action recorded them
(`shop_conversation_records`)."""

from __future__ import annotations

import pytest

from bot.hub.keys.store import REPO
from tests.unit.hub.conftest import start
from tests.unit.hub.privacy_helpers import add_events, created_records, privacy_settings, shop_texts
from tests.unit.hub.test_gdpr import SECRET, admin_call, lived_conversation, say
from tests.unit.hub.test_housekeeping import conversation, keeper


@pytest.fixture()
def settings(settings, tmp_path):
    return privacy_settings(settings, tmp_path)


async def test_records_the_customer_only_named_are_neither_exported_nor_erased(
    client, settings, team
):
    """Another customer's return and complaint numbers, typed into a chat and echoed by the bot (in
    its messages, its utterances in the tracker and its notes), are not this conversation's records:
    only what the bot created in it counts (issue 23.6)."""
    victim = await lived_conversation(client, settings)  # RT-123456 and TK-654321 were filed here
    intruder = await start(client)
    iid = intruder["conversation_id"]
    named = "RT-123456 und TK-654321"
    await say(client, intruder, text=f"Meine Reklamation: {named} sind kaputt")
    await client.app[REPO].add_messages(
        iid, [("bot", f"Verstanden: „Meine Reklamation: {named} sind kaputt“.", {})]
    )
    await add_events(
        settings,
        iid,
        [
            ("user", {"text": f"Meine Reklamation: {named} sind kaputt"}),
            ("bot", {"text": f"Ich habe notiert: „{named} sind kaputt“."}),
            ("slot", {"name": "bot_actions", "value": [f"Teilstornierung gewünscht: „{named}“"]}),
        ],
    )
    export = await admin_call(client, team["chefin"], "export", conversation_id=iid)
    assert (await export.json())["conversations"][0]["shop"] == {
        "returns": [],
        "tickets": [],
        "records": [],
    }
    erased = await (await admin_call(client, team["chefin"], "erase", conversation_id=iid)).json()
    assert erased["erased"]["shop"] == {"returns": 0, "tickets": 0}
    texts = shop_texts(settings)
    assert texts["RT-123456"] == SECRET and texts["TK-654321"] == SECRET
    own = await admin_call(
        client, team["chefin"], "export", conversation_id=victim["conversation_id"]
    )
    shop = (await own.json())["conversations"][0]["shop"]
    assert [r["reference"] for r in shop["returns"] + shop["tickets"]] == ["RT-123456", "TK-654321"]


async def test_retention_leaves_records_an_old_conversation_only_named(client, settings):
    """An old conversation that typed a recent customer's return number (echoed by the bot) does not
    take that return's text with it when its retention runs out (issue 23.6)."""
    recent = await conversation(client, settings, 10, reference="RT-300300")
    await conversation(client, settings, 100, echoes="RT-300300")
    report = await keeper(client).run_once()
    assert report["conversations"] == 1
    assert shop_texts(settings)["RT-300300"] == "Jacke zu klein"
    assert created_records(settings) == {recent: ["RT-300300"]}
