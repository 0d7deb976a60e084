"""The widget on the demo page: open, ask for an order, click a button, reload, transcript intact."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def bot_texts(page):
    return page.locator(
        '#kd-messages .kd-msg[data-sender="bot"]:not([data-welcome])'
    ).all_inner_texts()


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
            missing = [
                (m["sender"], m["text"], m["buttons"]) for m in messages if m["id"] not in shown
            ]
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
    page.wait_for_function(
        "() => document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]:not([data-welcome])'"
        ").length >= 1",
        timeout=30000,
    )
    assert "E-Mail" in bot_texts(page)[-1]
    page.fill("#kd-input", "anna.schmidt@web.de")
    page.click("#kd-send")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]:not([data-welcome])')]"
        ".some(n => n.innerText.includes('Sendungsnummer'))",
        timeout=30000,
    )
    assert any("DHL" in t for t in bot_texts(page))

    # a button click: greet offers quick replies; pick "Rücksendung"
    page.fill("#kd-input", "Guten Tag")
    page.click("#kd-send")
    button = page.locator(".kd-quick-reply:not([disabled])", has_text="Rücksendung").last
    button.wait_for(timeout=30000)
    button.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"customer\"]')]"
        ".some(n => n.innerText.includes('Rücksendung'))",
        timeout=30000,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]:not([data-welcome])'"
        ").length >= 4",
        timeout=30000,
    )
    before = shown_equals_server(page)
    assert len(before) == len(set(before)) >= 7

    page.reload()
    page.wait_for_function(
        f"() => document.querySelectorAll('#kd-messages .kd-msg[data-id]').length >= {len(before)}",
        timeout=30000,
    )
    assert shown_equals_server(page) == before
    assert page.locator("#kd-input").get_attribute("aria-label") == "Nachricht eingeben"
    context.close()


def test_customer_html_is_shown_as_text(stack, browser):
    page = browser.new_page()
    page.goto(stack.hub_url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", '<img src=x onerror="window.pwned=1"><b>fett</b>')
    page.press("#kd-input", "Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]:not([data-welcome])'"
        ").length >= 1",
        timeout=30000,
    )
    assert page.evaluate("window.pwned") is None
    assert page.locator("#kd-messages b").count() == 0
    assert (
        "<b>fett</b>"
        in page.locator('#kd-messages .kd-msg[data-sender="customer"]').first.inner_text()
    )
    page.close()


def test_opening_the_widget_shows_the_greeting_with_disclosure(stack, browser):
    """No typing first: Wanda says who she is, in Sie, read out by the live region; no bot turn is made."""
    page = browser.new_page()
    page.goto(stack.hub_url + "/")
    page.click("#kd-launcher")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#kd-messages .kd-msg[data-welcome]')]"
        ".some(n => n.innerText.includes('Ich bin Wanda, die digitale Assistentin'))",
        timeout=30000,
    )
    welcome = page.locator("#kd-messages .kd-msg[data-welcome]").inner_text()
    assert "kein Mensch" in welcome and "Ihnen" in welcome
    page.wait_for_function(
        "() => [...document.querySelectorAll('#kd-announcer p')]"
        ".some(n => n.innerText.includes('Ich bin Wanda'))",
        timeout=10000,
    )
    messages = page.evaluate(SERVER_MESSAGES)
    assert [m["sender"] for m in messages] == [
        "bot"
    ]  # only the greeting: the customer said nothing yet
    assert page.locator("#kd-input").get_attribute("placeholder") == "Ihre Nachricht …"
    page.close()


def test_a_du_customer_reads_du_in_the_chat_and_in_the_status_line(stack, browser):
    """ "Du bist an Position 1" in the queue notice and in the status line, never Sie in one of them."""
    from tests.e2e.pages import agent_in_console

    agent = agent_in_console(browser, stack)  # an agent online: the handoff is queued, not a ticket

    page = browser.new_context().new_page()
    page.goto(stack.hub_url + "/")
    page.click("#kd-launcher")
    page.locator("#kd-messages .kd-msg[data-welcome]").wait_for(timeout=30000)
    page.fill("#kd-input", "kannst du mich bitte mit einem Menschen verbinden?")
    page.press("#kd-input", "Enter")
    page.wait_for_selector("#kd-status:not([hidden])", timeout=30000)
    page.wait_for_function(
        "() => document.querySelector('#kd-status').innerText.includes('Du bist an Position')",
        timeout=15000,
    )
    status = page.locator("#kd-status").inner_text()
    assert "Sie " not in status and "Ihr" not in status
    page.wait_for_function(
        "() => [...document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"system\"]')]"
        ".some(n => n.innerText.includes('Du bist an Position'))",
        timeout=15000,
    )
    notice = page.locator('#kd-messages .kd-msg[data-sender="system"]').last.inner_text()
    assert "für dich da" in notice or "sehr gefragt" in notice
    assert page.locator("#kd-input").get_attribute("placeholder") == "Deine Nachricht …"
    assert page.locator("#kd-widget").get_attribute("data-register") == "du"
    agent.context.close()
    page.context.close()
