"""Order verification through the real hub, Rasa and action server cannot be brute-forced.

The failure counter lives in the shop database, so a new conversation starts no new series; an
unknown order number reads exactly like a wrong e-mail. A lock is told as what it is (this order
number, this network) with its end and a human to turn to, and a customer behind a locked network
is told so before any e-mail is asked for, and is not recorded as a failed check (issue 23.13).
Each test starts and ends with no recorded failures (all test customers share one client address).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any, Dict, Iterator, List

import aiohttp
import pytest
import sqlalchemy as sa

from bot.ops.client import Customer
from bot.shared.company import company
from bot.shared.config import SETTINGS

pytestmark = pytest.mark.stack

NO_MATCH = company().notice("verify_no_match", "sie")
ORDER_LOCKED = "Zu dieser Bestellnummer gab es zuletzt zu viele erfolglose Prüfversuche"
NETWORK_LOCKED = "Es gab zu viele Versuche von diesem Netzwerk"
TABLE = "shop_verify_failures"


@pytest.fixture()
def shop(stack) -> Iterator[sa.Engine]:
    eng = sa.create_engine(stack.env["KD_SHOP_DATABASE_URL"])

    def forget() -> None:
        if sa.inspect(eng).has_table(TABLE):
            with eng.begin() as db:
                db.execute(sa.text(f"DELETE FROM {TABLE}"))

    forget()
    yield eng
    forget()
    eng.dispose()


def scopes(eng: sa.Engine) -> List[str]:
    with eng.connect() as db:
        return [row[0] for row in db.execute(sa.text(f"SELECT scope FROM {TABLE}"))]


def human_offered(answers: List[Dict[str, Any]]) -> bool:
    return any(
        b.get("payload") == "/request_human" for m in answers for b in m.get("buttons") or []
    )


async def test_unknown_order_and_wrong_email_read_the_same(stack, shop):
    replies = []
    async with aiohttp.ClientSession() as s:
        for number in ("199999", "100240"):  # unknown / a real order
            c = await Customer(s, stack.hub_url).start()
            ask = await c.texts(f"Wo ist meine Bestellung {number}?")
            assert "E-Mail" in ask
            replies.append(await c.texts("rate@example.com"))
    assert replies[0] == replies[1] and NO_MATCH in replies[0]


async def test_a_new_conversation_does_not_reset_the_order_count(stack, shop):
    async with aiohttp.ClientSession() as s:
        first = await Customer(s, stack.hub_url).start()
        await first.texts("Wo ist meine Bestellung 100241?")
        for n in range(3):  # the form gives up after three in one conversation
            await first.texts(f"falsch{n}@example.com")
        second = await Customer(s, stack.hub_url).start()
        await second.texts("Wo ist meine Bestellung 100241?")
        assert NO_MATCH in await second.texts("falsch3@example.com")
        answers = await second.say("falsch4@example.com")  # the fifth failure for this order
        text = "\n".join(m["text"] or "" for m in answers)
        assert ORDER_LOCKED in text and " Uhr" in text and human_offered(answers)
        owner = await Customer(s, stack.hub_url).start()
        answers = await owner.say(
            "Wo ist meine Bestellung 100241? Meine E-Mail ist paul.schneider@web.de"
        )
        text = "\n".join(m["text"] or "" for m in answers)
        assert (
            ORDER_LOCKED in text
            and human_offered(answers)
            and "Vorkasse" not in text
            and "gepackt" not in text
        )
    assert scopes(shop).count("order") == 5


async def test_a_locked_network_is_told_the_truth_before_any_attempt(stack, shop):
    """Needs the hub to pass `client` (hashed client address) in the metadata it sends to Rasa.

    One real failure shows the network's key; the rest of the network's limit is written directly
    (spraying a hundred guesses through the stack would only make the test slow). A customer who
    never tried is then told, in the first answer, that it is the network, when it ends, and offered
    a human; the handoff records a lock, not a failed e-mail check."""
    limit = SETTINGS["KD_VERIFY_CLIENT_LIMIT"].read(stack.env)
    async with aiohttp.ClientSession() as s:
        c = await Customer(s, stack.hub_url).start()
        await c.texts("Wo ist meine Bestellung 100300?")
        assert NO_MATCH in await c.texts("falsch@example.com")
        assert "client" in scopes(shop), "the hub sends no metadata.client to Rasa"
        failures = sa.Table(TABLE, sa.MetaData(), autoload_with=shop)
        with shop.begin() as db:
            key = db.execute(sa.select(failures.c.key).where(failures.c.scope == "client")).scalar()
            now = datetime.utcnow()
            db.execute(
                sa.insert(failures), [{"scope": "client", "key": key, "at": now}] * (limit - 1)
            )
        newcomer = await Customer(s, stack.hub_url).start()
        answers = await newcomer.say("Wo ist meine Bestellung 100238?")
        text = "\n".join(m["text"] or "" for m in answers)
        assert NETWORK_LOCKED in text and " Uhr" in text and human_offered(answers)
        assert (
            "erfolglosen Versuchen" not in text and "E-Mail-Adresse haben Sie bestellt" not in text
        )
        assert "nicht bestätigen" not in text  # no "could not confirm" for a check that never ran
        await newcomer.say("Zum Kundenservice", payload="/request_human")
    hub = stack.env["KD_DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(hub, timeout=30) as db:
        (summary,) = db.execute(
            "SELECT summary FROM handoffs WHERE conversation_id = ?", (newcomer.id,)
        ).fetchone()
    notes = json.loads(summary)["bot_actions"]
    assert [n for n in notes if n.startswith("Prüfung gesperrt")] and not any(
        "fehlgeschlagen" in n for n in notes
    )
