"""Export, erasure and retention against the real stack (Rasa, action server, hub): a conversation that
creates a return in the shop, then every store is read back directly – hub database, Rasa's tracker
store, the shop database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List

import aiohttp
import pytest

from bot.ops.client import AgentClient, Customer
from bot.ops.launcher import seed_shop
from tests.accounts import add_agent

pytestmark = pytest.mark.stack
REASON = "Der Reißverschluss klemmt seit dem ersten Tag"


def db_path(url: str) -> Path:
    assert url.startswith("sqlite:///"), "the session stack runs on SQLite"
    return Path(url.split("///", 1)[1])


def query(path: Path, sql: str, *args: object) -> List[tuple]:
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(sql, args).fetchall()


def hub_rows(stack, conv_id: str) -> Dict[str, int]:
    hub = db_path(stack.env["KD_DATABASE_URL"])
    counts = {
        "conversations": query(hub, "SELECT count(*) FROM conversations WHERE id = ?", conv_id)[0][
            0
        ]
    }
    for table in ("messages", "handoffs", "tickets", "notes"):
        counts[table] = query(
            hub, f"SELECT count(*) FROM {table} WHERE conversation_id = ?", conv_id
        )[0][0]
    return counts


def tracker_events(stack, conv_id: str) -> int:
    return query(
        Path(stack.env["KD_RASA_TRACKER_DB"]),
        "SELECT count(*) FROM events WHERE sender_id = ?",
        conv_id,
    )[0][0]


def shop_text(stack) -> str:
    """Every text the shop stores about returns and complaints."""
    shop = db_path(stack.env["KD_SHOP_DATABASE_URL"])
    rows = query(shop, "SELECT reference, reason FROM shop_returns")
    rows += query(shop, "SELECT reference, description FROM shop_tickets")
    return json.dumps(rows, ensure_ascii=False)


async def return_conversation(session, stack) -> Customer:
    # the seeded shop: a return another test left open on 100235 would be offered, not a new one
    seed_shop(stack.env["KD_SHOP_DATABASE_URL"])
    c = await Customer(session, stack.hub_url).start()
    await c.texts("Ich möchte meine Jacke zurückschicken, Bestellung 100235")
    await c.texts("jonas.becker@gmx.de")
    await c.say(REASON)
    summary = await c.texts("Geld zurück", payload='/inform{"return_mode":"refund"}')
    assert "Soll ich die Rücksendung so anlegen?" in summary  # created only on "ja"
    done = await c.texts("Ja, anlegen", payload="/affirm")
    assert "Rücksendung ist angelegt" in done
    await c.say("Danke, und bitte einen Menschen, ich habe noch eine Frage")
    return c


@pytest.fixture(scope="module")
def admin(stack):
    email = f"admin-{uuid.uuid4().hex[:6]}@shop.de"
    add_agent(stack.env["KD_DATABASE_URL"], email, "Admin", role="admin")
    return email


async def test_export_then_erase_leaves_nothing_in_any_store(stack, admin):
    async with aiohttp.ClientSession() as s:
        c = await return_conversation(s, stack)
        staff = await AgentClient(s, stack.hub_url).login(admin, "geheim123")
        assert hub_rows(stack, c.id)["messages"] >= 8 and tracker_events(stack, c.id) > 10
        assert REASON in shop_text(stack)

        export = await staff.post("/admin/gdpr/export", {"conversation_id": c.id})
        (part,) = export["conversations"]
        assert any(m["text"] == REASON for m in part["hub"]["messages"])
        assert any(
            e["type"] == "user" and e["data"]["text"] == REASON for e in part["tracker"]["events"]
        )
        (ret,) = part["shop"]["returns"]
        assert ret["order_id"] == "100235" and ret["reason"] == REASON

        result = await staff.post("/admin/gdpr/erase", {"conversation_id": c.id})
        assert result["conversations"] == [c.id] and result["erased"]["shop"]["returns"] == 1
        assert (await c.state()).get("error", {}).get("code") == "conversation_not_found"

    assert hub_rows(stack, c.id) == {
        "conversations": 0,
        "messages": 0,
        "handoffs": 0,
        "tickets": 0,
        "notes": 0,
    }
    assert tracker_events(stack, c.id) == 0
    assert REASON not in shop_text(stack) and ret["reference"] in shop_text(
        stack
    )  # record kept, words gone


async def test_housekeeping_command_applies_the_retention_to_every_store(stack):
    async with aiohttp.ClientSession() as s:
        c = await return_conversation(s, stack)
    hundred_days = 100 * 86400
    with sqlite3.connect(db_path(stack.env["KD_DATABASE_URL"]), timeout=30) as hub:
        hub.execute(
            "UPDATE conversations SET state = 'closed', created_at = datetime('now', '-100 days'), "
            "last_message_at = datetime('now', '-100 days') WHERE id = ?",
            (c.id,),
        )
        hub.execute("UPDATE handoffs SET state = 'done' WHERE conversation_id = ?", (c.id,))
        hub.execute("UPDATE tickets SET status = 'done' WHERE conversation_id = ?", (c.id,))
    with sqlite3.connect(stack.env["KD_RASA_TRACKER_DB"], timeout=30) as tracker:
        tracker.execute(
            "UPDATE events SET timestamp = ? WHERE sender_id = ?",
            (time.time() - hundred_days, c.id),
        )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "housekeeping"],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["conversations"] >= 1
    assert hub_rows(stack, c.id)["conversations"] == 0 and tracker_events(stack, c.id) == 0
    assert REASON not in shop_text(stack)
