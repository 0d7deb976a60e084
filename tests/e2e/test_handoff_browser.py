"""Two pages: a customer in the widget asks for a human, an agent takes over in the console and hands back."""

from __future__ import annotations

import pytest

from tests.e2e.pages import agent_in_console

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def test_customer_and_agent_in_two_windows(stack, browser):
    agent = agent_in_console(browser, stack)

    customer = browser.new_context().new_page()
    customer.goto(stack.hub_url + "/")
    customer.click("#kd-launcher")
    customer.fill("#kd-input", "Wo ist meine Bestellung 100234?")
    customer.press("#kd-input", "Enter")
    customer.wait_for_function(
        "() => document.querySelectorAll('.kd-msg[data-sender=\"bot\"]:not([data-welcome])'"
        ").length >= 1",
        timeout=30000,
    )
    customer.fill("#kd-input", "Ich möchte mit einem Menschen sprechen <script>window.x=1</script>")
    customer.press("#kd-input", "Enter")
    customer.wait_for_selector("#kd-status:not([hidden])", timeout=30000)
    assert "Position" in customer.locator("#kd-status").inner_text()

    # This customer's item: earlier tests on the shared stack may have left others in the queue.
    conv_id = customer.evaluate(
        "() => JSON.parse(localStorage.getItem('kd-conversation')).conversation_id"
    )
    item = agent.locator(f".queue-item[data-id='{conv_id}']")
    item.wait_for(timeout=15000)
    assert agent.title().startswith("(")  # new handoff announced in the title
    item.locator(".claim-btn").click()
    agent.wait_for_selector("#transcript .msg", timeout=15000)
    transcript = agent.locator("#transcript").inner_text()
    assert "<script>window.x=1</script>" in transcript  # escaped, shown as text
    assert agent.evaluate("window.x") is None
    assert "100234" in agent.locator("#summary").inner_text()

    customer.wait_for_function(
        "() => [...document.querySelectorAll('.kd-msg[data-sender=\"system\"]')]"
        ".some(n => n.innerText.includes('Eva'))",
        timeout=15000,
    )
    agent.fill("#reply-text", "Hallo, hier ist Eva. Ihr Paket kommt morgen.")
    agent.click("#reply-send")
    customer.wait_for_function(
        "() => [...document.querySelectorAll('.kd-msg[data-sender=\"agent\"]')]"
        ".some(n => n.innerText.includes('Paket kommt morgen'))",
        timeout=15000,
    )
    customer.fill("#kd-input", "Super, danke Eva!")
    customer.press("#kd-input", "Enter")
    agent.wait_for_function(
        "() => document.querySelector('#transcript').innerText.includes('danke Eva')", timeout=15000
    )

    agent.click("#handback-btn")
    customer.wait_for_function(
        "() => [...document.querySelectorAll('.kd-msg[data-sender=\"bot\"]:not([data-welcome])')]"
        ".some(n => n.innerText.includes('1 (schlecht) bis 5'))",
        timeout=30000,
    )
    rating = customer.locator(".kd-quick-reply:not([disabled])", has_text="5").last
    rating.click()
    customer.wait_for_function(
        "() => [...document.querySelectorAll('.kd-msg[data-sender=\"bot\"]:not([data-welcome])')]"
        ".some(n => n.innerText.includes('5 von 5'))",
        timeout=30000,
    )
