"""The widget on the demo page: open, ask for an order, click a button, reload, transcript intact."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def bot_texts(page):
    return page.locator('#kd-messages .kd-msg[data-sender="bot"]').all_inner_texts()


SERVER_MESSAGES = """async () => {
    const c = JSON.parse(localStorage.getItem('kd-conversation'));
    const r = await fetch(`/api/v1/conversations/${c.conversation_id}/messages`,
                          {headers: {Authorization: `Bearer ${c.token}`}});
    return (await r.json()).messages;
}"""
SHOWN_IDS = "ns => ns.map(n => n.dataset.id)"


def shown_equals_server(page, timeout=30.0):
    """Waits until the widget shows exactly the server's transcript, in order; returns the ids."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        shown = page.locator("#kd-messages .kd-msg[data-id]").evaluate_all(SHOWN_IDS)
        messages = page.evaluate(SERVER_MESSAGES)
        server = [m["id"] for m in messages]
        if shown == server or time.monotonic() > deadline:
            missing = [(m["sender"], m["text"], m["buttons"]) for m in messages if m["id"] not in shown]
            assert shown == server, f"not shown: {missing}"
            return shown
        time.sleep(0.3)


def test_widget_conversation_survives_reload(stack, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})  # phone-sized
    page = context.new_page()
    page.goto(stack.hub_url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", "Hallo, wo ist meine Bestellung 100234?")
    page.press("#kd-input", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]').length >= 1",
                           timeout=30000)
    assert "E-Mail" in bot_texts(page)[-1]
    page.fill("#kd-input", "anna.schmidt@web.de")
    page.click("#kd-send")
    page.wait_for_function("() => [...document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]')]"
                           ".some(n => n.innerText.includes('Sendungsnummer'))", timeout=30000)
    assert any("DHL" in t for t in bot_texts(page))

    # a button click: greet offers quick replies; pick "Rücksendung"
    page.fill("#kd-input", "Guten Tag")
    page.click("#kd-send")
    button = page.locator(".kd-quick-reply:not([disabled])", has_text="Rücksendung").last
    button.wait_for(timeout=30000)
    button.click()
    page.wait_for_function("() => [...document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"customer\"]')]"
                           ".some(n => n.innerText.includes('Rücksendung'))", timeout=30000)
    page.wait_for_function("() => document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]').length >= 4",
                           timeout=30000)
    before = shown_equals_server(page)
    assert len(before) == len(set(before)) >= 7

    page.reload()
    page.wait_for_function(f"document.querySelectorAll('#kd-messages .kd-msg[data-id]').length >= {len(before)}",
                           timeout=30000)
    assert shown_equals_server(page) == before
    assert page.locator("#kd-input").get_attribute("aria-label") == "Nachricht eingeben"
    context.close()


def test_customer_html_is_shown_as_text(stack, browser):
    page = browser.new_page()
    page.goto(stack.hub_url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", "<img src=x onerror=\"window.pwned=1\"><b>fett</b>")
    page.press("#kd-input", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]').length >= 1",
                           timeout=30000)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#kd-messages b").count() == 0
    assert "<b>fett</b>" in page.locator('#kd-messages .kd-msg[data-sender="customer"]').first.inner_text()
    page.close()
