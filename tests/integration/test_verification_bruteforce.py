"""Order verification through the real hub, Rasa and action server cannot be brute-forced.

The failure counter lives in the shop database, so a new conversation starts no new series; an
unknown order number reads exactly like a wrong e-mail. Each test starts and ends with no
recorded failures (all test customers share one client address).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import aiohttp
import pytest
import sqlalchemy as sa

from bot.ops.client import Customer
from bot.shared.company import company

pytestmark = pytest.mark.stack

NO_MATCH = company().notice("verify_no_match", "sie")
PAUSED = "Aus Sicherheitsgründen habe ich die Prüfung"
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
        assert PAUSED in text and human_offered(answers)
        owner = await Customer(s, stack.hub_url).start()
        answers = await owner.say(
            "Wo ist meine Bestellung 100241? Meine E-Mail ist paul.schneider@web.de"
        )
        text = "\n".join(m["text"] or "" for m in answers)
        assert (
            PAUSED in text
            and human_offered(answers)
            and "Vorkasse" not in text
            and "gepackt" not in text
        )
    assert scopes(shop).count("order") == 5


async def test_a_client_is_locked_across_conversations(stack, shop):
    """Needs the hub to pass `client` (hashed client address) in the metadata it sends to Rasa."""
    async with aiohttp.ClientSession() as s:
        for order_id, tries in (("100300", 3), ("100301", 3), ("100302", 3), ("100303", 1)):
            c = await Customer(s, stack.hub_url).start()
            await c.texts(f"Wo ist meine Bestellung {order_id}?")
            for n in range(tries):
                last = await c.say(f"falsch{n}@example.com")
        assert "client" in scopes(shop), "the hub sends no metadata.client to Rasa"
        assert PAUSED in "\n".join(m["text"] or "" for m in last) and human_offered(last)
        c = await Customer(s, stack.hub_url).start()
        answer = await c.texts("Wo ist meine Bestellung 100238?")
        assert PAUSED in answer and "E-Mail-Adresse haben Sie bestellt" not in answer
