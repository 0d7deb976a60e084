"""The agent console, round two (issue 27), in chromium against an in-process hub with the fake Rasa:
typing and read state reach the other side, actions confirm visibly, the keyboard stays in the opened
conversation, the skip link leads to the queue, and axe finds nothing with a populated queue and badges."""

from __future__ import annotations

import time

import pytest

from tests.e2e.test_console_security import Hub, api_post, login, until
from tests.e2e.test_widget_a11y import assert_clean, focused

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(f"sqlite:///{tmp_path_factory.mktemp('console27') / 'hub.db'}").start()
    # an agent online, so a handoff queues instead of leaving a ticket
    api_post(
        running, "/api/v1/agent/login", body={"email": "chefin@shop.de", "password": "geheim789"}
    )
    yield running
    running.stop()


def customer_waiting(page, hub: Hub, text: str = "Ich will einen Menschen") -> str:
    """A customer in the widget asks for a human; returns the conversation id."""
    page.goto(hub.url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", text)
    page.press("#kd-input", "Enter")
    page.wait_for_selector("#kd-status:not([hidden])", timeout=15000)
    return str(page.evaluate("JSON.parse(localStorage.getItem('kd-conversation')).conversation_id"))


def console(browser, hub: Hub):
    page = browser.new_context().new_page()
    login(page, hub, "eva@shop.de", "geheim123")
    page.locator("#app").wait_for()
    until(lambda: page.locator("#ws-status.online").count() == 1, page=page)
    return page


def test_typing_and_read_state_both_ways(hub, browser):
    widget = browser.new_context().new_page()
    cid = customer_waiting(widget, hub)
    agent = console(browser, hub)
    agent.locator(f'#queue li[data-id="{cid}"] .claim-btn').click()
    until(lambda: agent.locator("#handback-btn").is_visible(), page=agent)  # claimed and open

    agent.locator("#reply-text").press_sequentially("Hallo, ich ")
    until(lambda: widget.locator("#kd-typing").is_visible(), page=widget)
    assert "Mitarbeiter schreibt" in widget.locator("#kd-typing").inner_text()

    agent.locator("#reply-text").press_sequentially("schaue nach.")
    agent.press("#reply-text", "Enter")
    widget.locator('.kd-msg[data-sender="agent"]', has_text="schaue nach").wait_for(timeout=15000)
    # the open widget has read it: the console marks the agent's message
    until(lambda: agent.locator("#transcript .msg-agent .msg-read").count() == 1, page=agent)
    assert agent.locator("#transcript .msg-agent .msg-read").inner_text() == "gelesen"

    # the customer keeps typing (one frame per 2 s passes on); the console shows it within a few words
    for word in ("Danke", " schön", " für", " Ihre", " Hilfe"):
        widget.locator("#kd-input").press_sequentially(word, delay=100)
        if agent.locator("#customer-typing").is_visible():
            break
        time.sleep(1.0)
    until(lambda: agent.locator("#customer-typing").is_visible(), page=agent)
    widget.press("#kd-input", "Enter")
    agent.locator("#transcript .msg-customer", has_text="Danke").wait_for(timeout=15000)
    # the agent has the conversation open: the customer sees "Gelesen" under their message
    widget.locator(".kd-msg-customer .kd-read").wait_for(timeout=15000)
    assert widget.locator(".kd-read").count() == 1

    # a hand-back is confirmed visibly, not only for screen readers
    agent.click("#handback-btn")
    until(lambda: agent.locator("#notice-banner").is_visible(), page=agent)
    assert "wieder beim Bot" in agent.locator("#notice-text").inner_text()
    widget.context.close()
    agent.context.close()


def test_keyboard_skip_link_focus_and_macro_picker(hub, browser):
    widget = browser.new_context().new_page()
    cid = customer_waiting(widget, hub)
    agent = console(browser, hub)
    item = f'#queue li[data-id="{cid}"]'
    agent.locator(item).wait_for()

    agent.reload()  # the session stays; the keyboard starts at the top of the page
    agent.locator(item).wait_for()
    agent.keyboard.press("Tab")
    assert focused(agent) == "skip-link"

    def tabs_to_item() -> int:
        stops = 0
        while not agent.locator(item).evaluate("n => n === document.activeElement"):
            agent.keyboard.press("Tab")
            stops += 1
            assert stops < 12, focused(agent)
        return stops

    # the tab list is one stop (arrow keys move in it): search box and button, tabs, shortcuts help,
    # status, sound, logout, the tag filter once a listed conversation has a tag, then the queue -
    # the skip link (first stop) jumps all of them
    assert tabs_to_item() <= 9
    agent.locator("#skip-link").focus()
    agent.keyboard.press("Enter")
    assert focused(agent) == "queue-heading"
    assert (
        tabs_to_item() <= 2
    )  # the tag filter of the lists (when one has a tag), then the first item
    agent.keyboard.press("Enter")  # opens the conversation; the focus goes into it, not to <body>
    until(lambda: agent.locator("#conv-title").inner_text() != "", page=agent)
    until(lambda: focused(agent) == "claim-btn", page=agent)

    agent.keyboard.press("Enter")  # claim with the keyboard
    until(lambda: focused(agent) == "reply-text", page=agent)
    agent.keyboard.type("/begr")  # canned replies are macros now: "/" in the reply box lists them
    until(lambda: agent.locator("#macro-popup").is_visible(), page=agent)
    agent.keyboard.press("ArrowDown")  # moves the highlight only
    time.sleep(0.3)
    assert agent.locator("#reply-text").input_value() == "/begr"
    agent.keyboard.press("Enter")  # inserts the highlighted reply
    until(lambda: "Waldmann Outdoor" in agent.locator("#reply-text").input_value(), page=agent)

    widget.context.close()
    agent.context.close()


def test_axe_with_a_populated_queue_and_badges(hub, browser):
    widgets = [browser.new_context().new_page() for _ in range(2)]
    ids = [customer_waiting(w, hub, f"Mensch bitte {i}") for i, w in enumerate(widgets)]
    agent = console(browser, hub)
    until(lambda: agent.locator("#queue li.queue-item").count() >= 2, page=agent)
    assert int(agent.locator("#queue-count").inner_text()) >= 2
    assert_clean(agent, "console: populated queue with count badge")
    agent.locator(f'#queue li[data-id="{ids[0]}"] .claim-btn').click()
    until(lambda: agent.locator("#handback-btn").is_visible(), page=agent)
    widgets[0].fill("#kd-input", "Wie lange dauert das noch?")  # read by the NLU: a mood chip
    widgets[0].press("#kd-input", "Enter")
    agent.locator("#transcript .msg-customer", has_text="Wie lange").wait_for(timeout=15000)

    def mood_shown() -> bool:  # the NLU's reading follows the message: opened again, it is there
        agent.locator(f'#conv-list li[data-id="{ids[0]}"]').click()
        time.sleep(0.5)
        return agent.locator("#transcript .msg-mood").count() >= 1

    until(mood_shown, page=agent)
    time.sleep(0.3)
    assert agent.locator("#summary .story").count() == 1
    assert_clean(agent, "console: open conversation with mood chip and story")
    for w in widgets:
        w.context.close()
    agent.context.close()
