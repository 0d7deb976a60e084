"""The agents' hourly tools in chromium (issue 27.10, 27.11, 27.13) against an in-process hub with
the fake Rasa: the "/" macro picker (a listbox; arrow keys never insert), a macro applied with its
action, "Für mich" filled live by a mention, the warning for a second agent who starts replying, and
SLA badges in the queue - each view checked with axe while populated."""

from __future__ import annotations

import time

import pytest

from tests.e2e.test_console_agent_browser import console, customer_waiting
from tests.e2e.test_console_security import Hub, api_post, login, until
from tests.e2e.test_widget_a11y import assert_clean

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(f"sqlite:///{tmp_path_factory.mktemp('tools27') / 'hub.db'}").start()
    yield running
    running.stop()


def token(hub: Hub, email: str, password: str) -> str:
    return str(
        api_post(hub, "/api/v1/agent/login", body={"email": email, "password": password})["token"]
    )


def claimed(agent, hub: Hub, widget) -> str:
    cid = customer_waiting(widget, hub)
    agent.locator(f'#queue li[data-id="{cid}"] .claim-btn').click()
    until(lambda: agent.locator("#handback-btn").is_visible(), page=agent)
    return cid


def test_slash_opens_the_macro_listbox_and_arrows_do_not_insert(hub, browser):
    chefin = token(hub, "chefin@shop.de", "geheim789")  # online: handoffs queue
    widget = browser.new_context().new_page()
    agent = console(browser, hub)
    cid = claimed(agent, hub, widget)
    # SLA badges: the open conversation has its clock in "Meine Gespräche" and in its head
    until(
        lambda: agent.locator(f'#conv-list li[data-id="{cid}"] .sla-badge').count() == 1, page=agent
    )
    assert "Erstantwort" in agent.locator("#conv-sla").inner_text()

    box = agent.locator("#reply-text")
    box.focus()
    agent.keyboard.type("/")
    until(lambda: agent.locator("#macro-popup").is_visible(), page=agent)
    assert agent.locator('#macro-list[role="listbox"] [role="option"]').count() >= 3
    agent.keyboard.press("ArrowDown")
    agent.keyboard.press("ArrowDown")
    time.sleep(0.2)
    assert box.input_value() == "/"  # the arrows move the highlight only
    active = box.get_attribute("aria-activedescendant")
    assert active and agent.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert_clean(agent, "console: macro listbox open")

    agent.keyboard.type("erstatt")
    until(lambda: agent.locator('#macro-list [role="option"]').count() == 1, page=agent)
    agent.keyboard.press("ArrowDown")
    agent.keyboard.press("Enter")  # takes the macro: its Sie text replaces "/erstatt"
    until(lambda: "Erstattung veranlasst" in box.input_value(), page=agent)
    assert not box.input_value().startswith("/")
    assert agent.locator("#macro-chip").is_visible()
    assert_clean(agent, "console: macro inserted, chip shown")
    agent.keyboard.press("Enter")  # sends it (applied as the macro)
    agent.locator("#transcript .msg-agent", has_text="Erstattung veranlasst").wait_for(
        timeout=15000
    )
    widget.locator('.kd-msg[data-sender="agent"]', has_text="Erstattung").wait_for(timeout=15000)
    assert agent.locator("#macro-chip").is_hidden()

    # a personal macro with an action: the conversation is closed in the same step
    api_post(
        hub,
        "/api/v1/agent/macros",
        token(hub, "eva@shop.de", "geheim123"),
        {
            "title": "Tschüss und zu",
            "text": "Danke, {agent} verabschiedet sich.",
            "action": "close",
        },
    )
    agent.reload()
    agent.locator(f'#conv-list li[data-id="{cid}"]').click()
    until(lambda: agent.locator("#handback-btn").is_visible(), page=agent)
    box.focus()
    agent.keyboard.type("/tschüss")
    until(lambda: agent.locator('#macro-list [role="option"]').count() == 1, page=agent)
    agent.keyboard.press("Enter")
    until(lambda: "Eva verabschiedet sich" in box.input_value(), page=agent)
    assert "danach abschließen" in agent.locator("#macro-chip").inner_text()
    agent.keyboard.press("Enter")
    until(lambda: agent.locator("#notice-banner").is_visible(), page=agent)
    assert "abgeschlossen" in agent.locator("#notice-text").inner_text()
    widget.locator('.kd-msg[data-sender="agent"]', has_text="verabschiedet").wait_for(timeout=15000)
    assert chefin
    widget.context.close()
    agent.context.close()


def test_a_mention_fills_fuer_mich_and_a_second_agent_is_warned(hub, browser):
    chefin_token = token(hub, "chefin@shop.de", "geheim789")
    widget = browser.new_context().new_page()
    eva = console(browser, hub)
    cid = claimed(eva, hub, widget)

    boss = browser.new_context().new_page()  # the admin sees every conversation
    login(boss, hub, "chefin@shop.de", "geheim789")
    boss.locator("#app").wait_for()
    until(lambda: boss.locator("#ws-status.online").count() == 1, page=boss)
    boss.locator(f'#conv-list li[data-id="{cid}"]').click()
    until(lambda: boss.locator("#conv-title").inner_text() != "", page=boss)
    # Eva sees that the admin has it open too
    until(lambda: "Chefin" in eva.locator("#conv-viewers").inner_text(), page=eva)

    api_post(
        hub,
        f"/api/v1/agent/conversations/{cid}/notes",
        chefin_token,
        {"text": "@Eva bitte die Erstattung prüfen"},
    )
    until(lambda: eva.locator("#mentions-list li.mention.unread").count() == 1, page=eva)
    assert eva.locator("#mentions-count").inner_text() == "1"
    assert "Erstattung prüfen" in eva.locator("#mentions-list").inner_text()
    assert_clean(eva, "console: Für mich with an unread mention, viewers shown")

    # Eva starts replying: the admin, writing too, is warned that Eva is writing
    eva.locator("#reply-text").press_sequentially("Ich prüfe", delay=30)
    until(lambda: "schreibt gerade" in boss.locator("#conv-viewers").inner_text(), page=boss)
    boss.locator("#reply-text").press_sequentially("Ich", delay=30)
    until(lambda: boss.locator("#reply-warning").is_visible(), page=boss)
    assert "Eva schreibt gerade ebenfalls" in boss.locator("#reply-warning-text").inner_text()
    assert_clean(boss, "console: warning for the second agent")

    eva.locator("#mentions-list .mention-open").click()
    until(lambda: eva.locator("#mentions-count").inner_text() == "0", page=eva)
    for page in (widget, eva, boss):
        page.context.close()


def test_axe_with_sla_badges_in_the_queue(hub, browser):
    token(hub, "chefin@shop.de", "geheim789")
    widgets = [browser.new_context().new_page() for _ in range(2)]
    ids = [customer_waiting(w, hub, f"Mensch bitte {i}") for i, w in enumerate(widgets)]
    agent = console(browser, hub)
    for cid in ids:
        until(
            lambda cid=cid: agent.locator(f'#queue li[data-id="{cid}"] .sla-badge').count() == 1,
            page=agent,
        )
    badge = agent.locator(f'#queue li[data-id="{ids[0]}"] .sla-badge')
    assert "Erstantwort" in badge.locator(".sr-only").inner_text()
    assert_clean(agent, "console: queue with SLA badges")
    for w in widgets:
        w.context.close()
    agent.context.close()


def test_macros_are_written_on_the_account_view(hub, browser):
    agent = console(browser, hub)
    agent.click("#tab-account")
    until(lambda: agent.locator("#macro-admin-list li").count() >= 1, page=agent)
    assert agent.locator("#macro-scope-row").is_hidden()  # an agent's macros are personal
    agent.fill("#macro-title", "Rückruf zusagen")
    agent.fill("#macro-text", "Wir rufen Sie heute an, {kunde}.")
    agent.fill("#macro-tags", "rückruf, heute")
    agent.select_option("#macro-action", "handback")
    agent.click("#macro-save")
    until(lambda: "gibt es nicht" in agent.locator("#macro-form-status").inner_text(), page=agent)
    assert "{customer_name}" in agent.locator("#macro-form-status").inner_text()
    agent.fill("#macro-text", "Wir rufen Sie heute an, {customer_name}.")
    agent.click("#macro-save")
    until(lambda: "gespeichert" in agent.locator("#macro-form-status").inner_text(), page=agent)
    item = agent.locator("#macro-admin-list li", has_text="Rückruf zusagen")
    assert "danach an den Bot zurückgeben" in item.inner_text()
    assert "Schlagwörter: rückruf, heute" in item.inner_text()
    assert_clean(agent, "console: account view with macros")
    item.get_by_role("button", name="Rückruf zusagen löschen").click()
    until(lambda: "gelöscht" in agent.locator("#macro-form-status").inner_text(), page=agent)
    agent.context.close()


def test_an_admin_sets_the_sla_under_the_reports(hub, browser):
    boss = browser.new_context().new_page()
    login(boss, hub, "chefin@shop.de", "geheim789")
    boss.locator("#app").wait_for()
    boss.click("#tab-reports")
    row = boss.locator('#sla-admin-body tr[data-team="kundenservice"]')
    row.wait_for()
    assert row.locator("input[name=first_response_minutes]").input_value() == "15"
    row.locator("input[name=first_response_minutes]").fill("0")
    row.get_by_role("button").click()
    until(lambda: "1 bis" in boss.locator("#sla-admin-status").inner_text(), page=boss)
    row.locator("input[name=first_response_minutes]").fill("20")
    row.get_by_role("button").click()
    until(lambda: "gespeichert" in boss.locator("#sla-admin-status").inner_text(), page=boss)
    until(
        lambda: (
            "Admin" in boss.locator('#sla-admin-body tr[data-team="kundenservice"]').inner_text()
        ),
        page=boss,
    )
    assert_clean(boss, "console: reports with SLA section and targets")
    boss.context.close()
