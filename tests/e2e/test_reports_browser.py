"""The console's "Berichte" and "Nicht verstanden" views in chromium, against a hub (with a stand-in Rasa)
holding the hand-counted week of tests/unit/hub/report_seed.py: charts drawn, tables readable, roles
respected, a group of messages reviewed and exported."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict

import pytest
from aiohttp import web

from bot.hub.app import init_app
from bot.hub.keys.store import REPO
from bot.hub.settings import Settings
from bot.hub.store.models import ConversationTag
from tests.fakes import FakeRasa
from tests.unit.hub.report_seed import PASSWORD, seed

pytestmark = [pytest.mark.browser]
CHARTS = 18  # volume 3, containment 2, escalations 2, queue 1, agents 1, satisfaction 2,
# understanding 2, knowledge (answers from the help pages) 2, SLA 2 (per team, per agent), tags 1


async def _site(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, shutdown_timeout=2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Any:
    """A hub on a free port in a thread of its own (the browser fixture keeps Playwright's loop busy)."""
    tmp = tmp_path_factory.mktemp("reports-hub")
    loop = asyncio.new_event_loop()
    started = threading.Event()
    state: Dict[str, Any] = {}

    async def start() -> None:
        fake = FakeRasa(token="fake")
        rasa_runner, rasa_port = await _site(fake.app)
        settings = Settings(
            database_url=f"sqlite:///{tmp / 'hub.db'}",
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            rasa_token="fake",
            retry_interval=3600,
            housekeeping_interval=86400,
            var_dir=tmp,
            secret_key="browser-test",
            learned_nlu_file=tmp / "nlu" / "learned.yml",
            knowledge_cases_file=tmp / "knowledge" / "cases.yml",
        )
        app = init_app(settings)
        runner, port = await _site(app)
        await seed(app[REPO])
        for conversation in ("C6", "C13"):  # the two handoffs to the accounts team in the unit test
            await app[REPO].add_tag(ConversationTag, conversation, "Rechnung", None)
        state.update(
            url=f"http://127.0.0.1:{port}",
            runners=[runner, rasa_runner],
            learned=settings.learned_nlu_file,
        )

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(60), "hub did not start"

    async def stop() -> None:
        for runner in state["runners"]:
            await runner.cleanup()

    yield state
    asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def console(browser, hub, email: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(hub["url"] + "/console")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#tab-learning:not([hidden])", timeout=15000)
    return page, errors


def test_a_supervisor_reads_the_week(browser, hub):
    page, errors = console(browser, hub, "sina@shop.de")
    page.click("#tab-reports")
    assert page.is_visible("#view-reports") and not page.is_visible("#view-chats")
    page.select_option("#report-preset", "custom")
    page.fill("#report-from", "2026-11-16")
    page.fill("#report-to", "2026-11-22")
    page.click("#report-custom button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('#report-status').innerText.includes('2026-11-16 bis 2026-11-22')",
        timeout=20000,
    )
    assert page.locator("#report-body svg.chart").count() == CHARTS
    cards = page.inner_text("#report-cards")
    assert "Vom Bot gelöst\n20,0 %\n2 von 10" in cards and "2 min 0 s / 5 min 0 s" in cards
    # every chart is an image with a name, and its table is one click away
    assert page.evaluate(
        "() => [...document.querySelectorAll('#report-body svg.chart')]"
        ".every(s => s.getAttribute('role') === 'img' && s.querySelector('title').textContent)"
    )
    table = page.locator("[data-section=containment] details.report-table").first
    table.locator("summary").click()
    rows = table.locator("tbody tr")
    assert rows.count() == 7
    assert rows.first.inner_text().split("\t") == ["16.11.", "2", "1", "0", "50,0 %"]
    agents = page.locator("[data-section=agents] details.report-table")
    agents.locator("summary").click()
    # taken, handed back, closed, transferred to a team, open, replies (issue 27.1)
    assert "Eva\t1\t1\t0\t0\t0\t1\t1 min 0 s\t10 min 0 s" in agents.inner_text()
    sla = page.locator("[data-section=sla] details.report-table").first
    sla.locator("summary").click()
    assert sla.locator("tbody tr").first.inner_text().startswith("Kundenservice\t")
    assert not page.is_visible("#report-team")  # company.yml defines no teams here
    from tests.e2e.test_widget_a11y import violations

    assert violations(page) == []  # axe: charts, cards, an open table
    page.select_option("#report-channel", "whatsapp")
    page.wait_for_function(
        "() => document.querySelector('#report-cards').innerText.includes('0,0 %')", timeout=20000
    )
    page.select_option("#report-channel", "")
    # the tag filter next to the team filter narrows the conversation sections (issue 27.9)
    with page.expect_response(
        lambda r: "/reports/escalations?" in r.url and "tag=" in r.url, timeout=20000
    ) as answer:
        page.select_option("#report-tag", label="Rechnung")
    assert answer.value.ok and answer.value.json()["total"] == 2
    page.wait_for_function(
        "() => document.querySelector('#report-status').innerText.includes('2026-11-16')",
        timeout=20000,
    )
    assert violations(page) == []  # axe with the tag filter in place
    assert errors == []


def test_an_agent_sees_no_reports_but_reviews_what_the_bot_did_not_understand(browser, hub):
    page, errors = console(browser, hub, "eva@shop.de")
    assert not page.is_visible("#tab-reports")
    page.click("#tab-learning")
    page.select_option("#learning-days", "30")
    page.wait_for_selector(".learn-group", timeout=15000)
    before = page.locator(".learn-message").count()
    assert before == 4  # C2, C4, C5 twice (the week lies within the last 30 days)
    assert not page.is_visible("#learning-export")
    group = page.locator(".learn-group").first
    size = int(group.get_attribute("data-size") or "0")
    group.locator("select").select_option("order_status")
    group.locator("button.primary").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.learn-message').length === {before - size}",
        timeout=15000,
    )
    assert page.locator(".learn-review").count() == size
    assert errors == []


def test_an_admin_writes_the_training_file(browser, hub):
    page, errors = console(browser, hub, "adam@shop.de")
    assert page.is_visible("#tab-reports")
    page.click("#tab-learning")
    page.wait_for_selector("#learning-export:not([hidden])", timeout=15000)
    page.click("#learning-export")
    page.wait_for_function(
        "() => document.querySelector('#learning-export-status').innerText.includes('geschrieben')",
        timeout=15000,
    )
    assert hub["learned"].exists() and 'version: "3.1"' in hub["learned"].read_text(
        encoding="utf-8"
    )
    assert errors == []
