"""The widget's "Chat beenden": the conversation is closed on the server, its token stops working, the
browser forgets it (a shared computer shows nothing of it) and the next message starts a new one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]

STORED = "() => JSON.parse(localStorage.getItem('kd-conversation'))"
BOT_ANSWERS = "document.querySelectorAll('#kd-messages .kd-msg[data-sender=\"bot\"]:not([data-welcome])').length"
# Predicates as functions, not expressions: the demo page's CSP forbids eval (Playwright evals expressions).
MESSAGES = """async (c) => (await (await fetch(`/api/v1/conversations/${c.conversation_id}/messages`,
                                      {headers: {Authorization: `Bearer ${c.token}`}})).json()).messages"""
STATUS_WITH = """async (c) => (await fetch(`/api/v1/conversations/${c.conversation_id}`,
                                      {headers: {Authorization: `Bearer ${c.token}`}})).status"""


def ask_shipping(stack, page):
    """Open the widget, ask one question, wait for the bot; the stored conversation."""
    page.goto(stack.hub_url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", "Was kostet bei Ihnen der Versand?")
    page.press("#kd-input", "Enter")
    page.wait_for_function(f"() => {BOT_ANSWERS} >= 1", timeout=30000)
    return page.evaluate(STORED)


def conversation_state(stack, conv_id: str) -> str:
    path = Path(stack.env["KD_DATABASE_URL"].split("///", 1)[1])
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute("SELECT state FROM conversations WHERE id = ?", (conv_id,)).fetchone()[0]


def test_end_chat_closes_the_conversation_and_forgets_it(stack, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    first = ask_shipping(stack, page)
    assert first and first["conversation_id"]

    page.click("#kd-end")
    assert page.is_visible("#kd-end-confirm")
    page.click("#kd-end-yes")
    page.wait_for_function("() => localStorage.getItem('kd-conversation') === null", timeout=10000)
    page.wait_for_function(f"() => {BOT_ANSWERS} === 0", timeout=10000)
    page.locator("#kd-messages .kd-local", has_text="Chat ist beendet").wait_for(
        timeout=10000
    )  # after the hub answered
    assert not page.is_visible("#kd-end")  # nothing left to end

    # on the server: closed, and the old token (still in some other tab or a copy) is refused
    assert page.evaluate(STATUS_WITH, first) == 401
    assert conversation_state(stack, first["conversation_id"]) == "closed"

    # a reload shows nothing of it; the next message starts a new conversation
    page.reload()
    page.wait_for_selector("#kd-input", timeout=10000)
    if not page.is_visible("#kd-input"):
        page.click("#kd-launcher")
    assert "Versand" not in page.locator("#kd-messages").inner_text()
    page.fill("#kd-input", "Hallo")
    page.press("#kd-input", "Enter")
    page.wait_for_function(f"() => {BOT_ANSWERS} >= 1", timeout=30000)
    second = page.evaluate(STORED)
    assert second["conversation_id"] != first["conversation_id"]
    assert page.is_visible("#kd-end")
    context.close()


def test_an_expired_token_starts_a_new_conversation(stack, browser):
    """After KD_CUSTOMER_IDLE_HOURS without a customer message the hub refuses the token (token_expired):
    the widget drops the old transcript and sends the message in a new conversation."""
    page = browser.new_page()
    first = ask_shipping(stack, page)
    path = Path(stack.env["KD_DATABASE_URL"].split("///", 1)[1])
    with sqlite3.connect(path, timeout=30) as db:
        db.execute(
            "UPDATE conversations SET last_customer_at = datetime('now', '-2 days') WHERE id = ?",
            (first["conversation_id"],),
        )
    page.fill("#kd-input", "Hallo, ich bin jemand anderes")
    page.press("#kd-input", "Enter")
    page.wait_for_function(
        "() => (JSON.parse(localStorage.getItem('kd-conversation')) || {}).conversation_id"
        f" !== '{first['conversation_id']}'",
        timeout=30000,
    )
    page.wait_for_function(f"() => {BOT_ANSWERS} >= 1", timeout=30000)
    shown = page.locator("#kd-messages").inner_text()
    assert "Versand" not in shown and "jemand anderes" in shown and "abgelaufen" in shown
    second = page.evaluate(STORED)
    assert [m["text"] for m in page.evaluate(MESSAGES, second) if m["sender"] == "customer"] == [
        "Hallo, ich bin jemand anderes"
    ]
    page.close()
