"""The "@" picker of the note box in chromium (issue 27.11) against an in-process hub with the fake
Rasa: "@" and letters open a listbox of the colleagues (never the writer), the arrow keys move the
highlight without touching the text, Escape closes, Enter and Tab put the full name in; axe checks the
open listbox. The saved note names the picked agent (the hub reads the name: "Für mich")."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.test_console_agent_browser import console, customer_waiting
from tests.e2e.test_console_security import Hub, api_post, until
from tests.e2e.test_widget_a11y import assert_clean

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(f"sqlite:///{tmp_path_factory.mktemp('mentions27') / 'hub.db'}").start()
    yield running
    running.stop()


async def get_json(hub: Hub, path: str, token: str) -> Any:
    import aiohttp

    async with (
        aiohttp.ClientSession() as s,
        s.get(hub.url + path, headers={"Authorization": f"Bearer {token}"}) as r,
    ):
        assert r.status == 200, await r.text()
        return await r.json()


def options(page) -> list:
    return page.locator('#mention-list[role="listbox"] [role="option"]').all_inner_texts()


def test_at_opens_a_listbox_of_colleagues_and_enter_or_tab_picks(hub, browser):
    widget = browser.new_context().new_page()
    eva = console(browser, hub)  # Eva; Otto (agent) and Chefin (admin) are her colleagues
    cid = customer_waiting(widget, hub)
    eva.locator(f'#queue li[data-id="{cid}"] .claim-btn').click()
    until(lambda: eva.locator("#handback-btn").is_visible(), page=eva)

    box = eva.locator("#note-text")
    box.focus()
    eva.keyboard.type("Bitte @")
    until(lambda: eva.locator("#mention-popup").is_visible(), page=eva)
    assert options(eva) == ["Chefin (offline)", "Otto (offline)"]  # not Eva herself; presence shown
    eva.keyboard.press("ArrowDown")
    time.sleep(0.2)
    assert box.input_value() == "Bitte @"  # the arrows move the highlight only
    active = box.get_attribute("aria-activedescendant")
    assert active and eva.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert eva.locator(f"#{active}").inner_text().startswith("Otto")
    assert box.get_attribute("aria-controls") == "mention-list"
    assert_clean(eva, "console: mention listbox open")

    eva.keyboard.press("Escape")  # closes, the text stays
    until(lambda: eva.locator("#mention-popup").is_hidden(), page=eva)
    assert box.input_value() == "Bitte @" and box.get_attribute("aria-activedescendant") is None
    assert eva.evaluate("document.activeElement.id") == "note-text"

    eva.keyboard.type("ot")  # typing on opens it again, narrowed
    until(lambda: options(eva) == ["Otto (offline)"], page=eva)
    eva.keyboard.press("Enter")
    until(lambda: box.input_value() == "Bitte @Otto ", page=eva)
    assert eva.locator("#mention-popup").is_hidden()
    eva.keyboard.type("kannst du das prüfen? Und @ch")
    until(lambda: len(options(eva)) == 1, page=eva)
    eva.keyboard.press("Tab")  # Tab takes it too, the focus stays in the box
    until(lambda: box.input_value().endswith("Und @Chefin "), page=eva)
    assert eva.evaluate("document.activeElement.id") == "note-text"

    eva.locator("#note-save").click()
    eva.locator("#notes-list", has_text="@Otto kannst du das prüfen").wait_for(timeout=15000)
    token = str(
        api_post(
            hub, "/api/v1/agent/login", body={"email": "chefin@shop.de", "password": "geheim789"}
        )["token"]
    )
    mentions = hub.run(get_json(hub, "/api/v1/agent/mentions", token))["mentions"]
    assert [m["conversation_id"] for m in mentions] == [cid]  # the hub read the picked name
    widget.context.close()
    eva.context.close()
