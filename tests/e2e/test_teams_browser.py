"""Teams and e-mail answers in the console, in chromium (issue 16): with two teams (and Retouren) in company.yml an
admin puts an agent into Buchhaltung, a payment dispute shows in that agent's queue with its team, the agent hands
it to Retouren from the console, and answers a request by e-mail - sent through a local aiosmtpd server and listed
as sent. axe checks the new views. A hub with the fake Rasa runs in a thread of this process."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.hub.accounts.agents import create_agent
from bot.hub.app import init_app
from bot.hub.keys.config import COMPANY
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.ops.launcher import free_port
from tests.e2e.test_console_security import Hub, api_post, login, until
from tests.e2e.test_widget_a11y import assert_clean
from tests.fakes import FakeRasa
from tests.unit.hub.test_mail import Catcher, confirmation_link
from tests.unit.hub.test_teams import OPEN, TEAMS, company_with, payload

pytestmark = [pytest.mark.browser]


class TeamsHub(Hub):
    def __init__(self, folder: Any, smtp_port: int) -> None:
        super().__init__(f"sqlite:///{folder / 'hub.db'}")
        self.folder = folder
        self.settings.mail_enabled = True
        self.settings.smtp_port = smtp_port
        self.settings.mail_from = "service@waldmann-outdoor.de"
        self.settings.mail_poll_interval = 0.3
        self.agent_ids: dict[str, int] = {}

    async def _start(self) -> None:
        rasa = FakeRasa(token="fake")
        rasa.answer = lambda sender, text: [  # type: ignore[method-assign]
            {"recipient_id": sender, "text": "Ich gebe Ihr Anliegen weiter."},
            {"recipient_id": sender, "custom": {"handoff": payload(text)}},
        ]
        await self._serve(rasa.app, self.rasa_port)
        self.app = init_app(self.settings)
        self.app[COMPANY] = company_with(self.folder, TEAMS)
        await self._serve(self.app, self.port)
        self.app[QUEUE].clock = lambda: OPEN
        for email, name, role in (
            ("chefin@shop.de", "Chefin", "admin"),
            ("bernd@shop.de", "Bernd", "agent"),
        ):
            self.agent_ids[name] = (
                await create_agent(self.app[REPO], email, name, "geheim123", role)
            ).id


@pytest.fixture(scope="module")
def smtp():
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield catcher, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def hub(tmp_path_factory, smtp):
    running = TeamsHub(tmp_path_factory.mktemp("teams"), smtp[1]).start()
    yield running
    running.stop()


def customer(hub: Hub, text: str) -> dict:
    conv = api_post(hub, "/api/v1/conversations", body={"channel": "webchat"})
    api_post(
        hub,
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        conv["token"],
        {"text": text},
    )
    return conv


def api_get(hub: Hub, path: str, token: str) -> Any:
    import aiohttp

    async def get() -> Any:
        async with (
            aiohttp.ClientSession() as s,
            s.get(hub.url + path, headers={"Authorization": f"Bearer {token}"}) as r,
        ):
            assert r.status == 200, await r.text()
            return await r.json()

    return hub.run(get())


def queue_teams(page) -> list[str]:
    return page.locator("#queue .queue-item .team-name").all_inner_texts()


def test_teams_transfer_and_email_answer_in_the_console(hub, browser, smtp):
    admin = browser.new_context().new_page()
    login(admin, hub, "chefin@shop.de", "geheim123")
    admin.locator("#tab-teams:not([hidden])").wait_for(timeout=15000)
    admin.click("#tab-teams")
    admin.locator("#teams-body tr").nth(2).wait_for()
    assert "Buchhaltung" in admin.locator("#teams-body").inner_text()
    row = admin.locator(f"#team-members-list form[data-agent='{hub.agent_ids['Bernd']}']")
    row.wait_for()
    assert row.locator(
        "input[value=kundenservice]"
    ).is_checked()  # no membership stored: the default team
    time.sleep(0.3)
    assert_clean(admin, "console: teams (admin)")
    row.locator("input[value=kundenservice]").uncheck()
    row.locator("input[value=buchhaltung]").check()
    row.locator("button[type=submit]").click()
    until(lambda: "gespeichert" in admin.locator("#team-members-status").inner_text())
    assert "Buchhaltung" in admin.locator("#team-members-status").inner_text()

    bernd = browser.new_context().new_page()
    login(bernd, hub, "bernd@shop.de", "geheim123")
    bernd.locator("#app").wait_for()
    time.sleep(0.5)  # online
    dispute = customer(hub, "Das ist eine Rückbuchung, unverschämt")
    until(lambda: queue_teams(bernd) == ["Buchhaltung"], 15)
    assert bernd.locator("#queue-team-row").is_hidden()  # one team: no filter

    admin.click("#tab-chats")
    until(lambda: queue_teams(admin) == ["Buchhaltung"], 15)
    admin.select_option("#queue-team", "retouren")
    until(lambda: admin.locator("#queue .queue-item").count() == 0)
    assert "Niemand wartet auf Retouren" in admin.locator("#queue").inner_text()
    admin.select_option("#queue-team", "buchhaltung")
    until(lambda: queue_teams(admin) == ["Buchhaltung"])
    assert_clean(admin, "console: queue with team filter")
    admin.select_option("#queue-team", "")

    bernd.locator("#queue .claim-btn").first.click()
    until(lambda: bernd.locator("#transcript .msg").count() >= 2, 15)
    bernd.locator("#team-transfer-group:not([hidden])").wait_for()
    time.sleep(0.3)
    assert_clean(bernd, "console: open conversation with team transfer")
    bernd.select_option("#team-transfer-select", "retouren")
    bernd.click("#team-transfer-btn")
    until(
        lambda: bernd.locator("#conv-body").is_hidden(), 15
    )  # Retouren's now: gone from Bernd's view
    # confirmed visibly, not only for screen readers (issue 27.4)
    until(lambda: "an das Team Retouren übergeben" in bernd.locator("#notice-text").inner_text())
    assert bernd.locator("#notice-banner").is_visible()
    until(lambda: queue_teams(admin) == ["Retouren"], 15)
    assert queue_teams(bernd) == []
    transcript = api_get(
        hub, f"/api/v1/conversations/{dispute['conversation_id']}/messages", dispute["token"]
    )
    assert "Retouren" in str(transcript)  # the customer is told

    second = customer(hub, "Noch eine Rückbuchung")
    until(lambda: queue_teams(bernd) == ["Buchhaltung"], 15)
    ticket = api_post(
        hub,
        f"/api/v1/conversations/{second['conversation_id']}/callback",
        second["token"],
        {"contact": "kundin@example.de", "note": "Bitte per E-Mail"},
    )
    # The address was typed, not verified against an order: its owner confirms it first (opt-in).
    catcher = smtp[0]
    optin = until(
        lambda: next((m for m in catcher.mails if "/mail/bestaetigen" in m.get_content()), None), 15
    )
    owner = browser.new_page()
    owner.goto(hub.url + confirmation_link(optin))
    owner.locator("form button, form [type=submit]").first.click()
    owner.wait_for_load_state()
    assert "Vorgangsnummer" in owner.locator("body").inner_text()
    owner.close()
    bernd.click("#tab-tickets")
    box = bernd.locator(f"#mail-text-{ticket['id']}")
    box.wait_for(timeout=15000)
    assert box.is_enabled()
    box.fill("Guten Tag, die Rückbuchung ist geprüft: Sie erhalten das Geld in drei Tagen zurück.")
    time.sleep(0.3)
    assert_clean(bernd, "console: tickets with e-mail answer")
    bernd.locator(f"article[data-id='{ticket['id']}'] .mail-send").click()
    sent = bernd.locator(f"#mail-list-{ticket['id']} li[data-state=sent]")
    until(lambda: sent.count() >= 1, 20)
    assert "Gesendet" in bernd.locator(f"#mail-list-{ticket['id']}").inner_text()
    until(
        lambda: any("in drei Tagen" in m.get_body(("plain",)).get_content() for m in catcher.mails),
        10,
    )
    assert all(m["To"] == "kundin@example.de" for m in catcher.mails)
    admin.close()
    bernd.close()
