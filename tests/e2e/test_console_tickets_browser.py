"""Requests, tags and the customer history in the console (issue 27.7, 27.9, 27.12), in chromium against
an in-process hub with the fake Rasa: a request shows the number the customer was told, with date and
time, status moves and tags; one customer's repeated requests are one card; with mail off there is no
reply editor but a plain explanation; "Im Chat übernehmen" puts the agent into the customer's chat; the
history panel lists the customer's earlier conversation (recognised by a verified e-mail), shows its
transcript and merges it; admins rename and colour tags; axe finds nothing on these views, populated."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import List

import pytest

from bot.hub.keys.store import REPO
from bot.hub.states import ConversationState, HandoffState, Sender
from bot.hub.store.models import Conversation, Handoff, Message, Ticket, utcnow
from tests.e2e.test_console_security import Hub, login, until
from tests.e2e.test_widget_a11y import assert_clean

pytestmark = [pytest.mark.browser]
SUMMARY = {
    "topic": "Zahlung",
    "topic_key": "payment_dispute",
    "request": "Mir wurde doppelt abgebucht",
    "order_id": "100234",
    "email_verified": True,
    "order_status": "versandt",
    "register": "sie",
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(f"sqlite:///{tmp_path_factory.mktemp('tickets27') / 'hub.db'}").start()
    yield running
    running.stop()


async def seed_customer(hub: Hub, email: str) -> List[int]:
    """One verified customer: a closed conversation about order 100234 last week, and two requests
    about it today (no agent was online): the numbers of the two requests."""
    assert hub.app is not None
    repo = hub.app[REPO]
    now = utcnow()
    numbers: List[int] = []
    for i, (state, ago, text) in enumerate(
        (
            (ConversationState.CLOSED, timedelta(days=6), "Wo bleibt Bestellung 100234?"),
            (ConversationState.BOT, timedelta(hours=3), "Mir wurde doppelt abgebucht"),
            (ConversationState.BOT, timedelta(hours=2), "Nochmal: doppelt abgebucht!"),
        )
    ):
        cid = f"seed-{uuid.uuid4().hex[:12]}"
        when = now - ago
        async with repo.sessions.begin() as db:
            db.add(
                Conversation(
                    id=cid,
                    token_hash="x",
                    channel="webchat",
                    state=state,
                    created_at=when,
                    last_message_at=when,
                    last_customer_at=when,
                    closed_at=when if state == ConversationState.CLOSED else None,
                )
            )
            await db.flush()
            db.add(
                Message(
                    id=uuid.uuid4().hex,
                    conversation_id=cid,
                    sender=Sender.CUSTOMER,
                    text=text,
                    created_at=when,
                )
            )
            db.add(
                Handoff(
                    conversation_id=cid,
                    reason="customer_request",
                    summary={**SUMMARY, "request": text, "email": email},
                    state=HandoffState.DONE if i == 0 else HandoffState.TICKET,
                    queued_at=when,
                    finished_at=when,
                )
            )
            if i:
                ticket = Ticket(
                    conversation_id=cid,
                    reason="customer_request",
                    contact=email,
                    note=text,
                    summary={**SUMMARY, "request": text, "email": email},
                    created_at=when,
                )
                db.add(ticket)
                await db.flush()
                numbers.append(ticket.id)
    return numbers


def customer_asks(page, hub: Hub) -> int:
    """A customer asks for a human while nobody is online: the request number the widget shows."""
    page.goto(hub.url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", "Ich will einen Menschen")
    page.press("#kd-input", "Enter")
    notice = page.locator(".kd-msg", has_text="Vorgangsnummer")
    notice.first.wait_for(timeout=15000)
    found = re.search(r"Vorgangsnummer (\d+)", notice.first.inner_text())
    assert found, notice.first.inner_text()
    return int(found.group(1))


def console(browser, hub: Hub, email: str, password: str):
    page = browser.new_context().new_page()
    login(page, hub, email, password)
    page.locator("#app").wait_for()
    until(lambda: page.locator("#ws-status.online").count() == 1, page=page)
    return page


def test_requests_tags_and_take_over_into_the_chat(hub, browser):
    widget = browser.new_context().new_page()
    number = customer_asks(widget, hub)
    first, again = hub.run(seed_customer(hub, "kunde@example.de"))
    agent = console(browser, hub, "eva@shop.de", "geheim123")
    agent.click("#tab-tickets")
    card = agent.locator(f'#tickets article[data-id="{number}"]')
    card.wait_for(timeout=15000)
    assert card.locator(".ticket-number").inner_text() == f"Vorgangsnummer {number}"
    assert re.search(r"eingegangen \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}", card.inner_text())
    # one customer's two requests about order 100234: one card with the count, the other under it
    grouped = agent.locator(f'#tickets article[data-id="{again}"]')
    until(lambda: grouped.count() == 1, page=agent)  # newest first: the later one heads the group
    assert "2 Anfragen dieses Kunden" in grouped.locator(".badge-group").inner_text()
    assert agent.locator(f'#tickets article[data-id="{first}"]').count() == 0
    assert f"Nr. {first}" in grouped.locator(".ticket-group summary").inner_text()
    # mail is off: no reply editor and no setting named, a plain explanation
    assert card.locator("textarea").count() == 0
    assert "nicht eingerichtet" in card.locator(".mail-off").inner_text()
    assert "KD_" not in agent.locator("#view-tickets").inner_text()
    assert "Lieferstatus" in card.locator(".tag-list").inner_text()  # the bot's topic tag
    assert_clean(agent, "console: populated request list with groups, tags and badges")

    card.locator(".tag-input").fill("Rückruf")
    card.locator(".tag-form button").click()
    until(lambda: "Rückruf" in card.locator(".tag-list").inner_text(), page=agent)
    card.locator('.ticket-move[data-to="waiting"]').click()
    until(lambda: card.locator(".ticket-status").inner_text() == "Wartet auf Kunde", page=agent)
    agent.select_option("#ticket-tag", label="Rückruf")
    until(lambda: agent.locator("#tickets article").count() == 1, page=agent)
    agent.select_option("#ticket-tag", value="")
    until(lambda: agent.locator("#tickets article").count() == 2, page=agent)

    # the customer is still in the chat: the agent takes the request over into it
    card.locator(".ticket-take").click()
    until(lambda: agent.locator("#handback-btn").is_visible(), page=agent)
    assert "selbst" in agent.locator("#notice-text").inner_text()
    widget.locator(".kd-msg", has_text="Eva").first.wait_for(timeout=15000)
    agent.fill("#reply-text", "Hallo, ich bin jetzt für Sie da.")
    agent.press("#reply-text", "Enter")
    widget.locator('.kd-msg[data-sender="agent"]', has_text="für Sie da").wait_for(timeout=15000)
    until(lambda: "Lieferstatus" in agent.locator("#conv-tags").inner_text(), page=agent)
    until(lambda: "nicht sicher erkannt" in agent.locator("#history").inner_text(), page=agent)
    # "Meine Gespräche" shows the conversation's tags; "Schlagwort" above the lists filters them (27.9)
    tagged = agent.locator(
        "#conv-list .conv-item", has=agent.locator(".tag-chip", has_text="Lieferstatus")
    )
    until(lambda: tagged.count() == 1, page=agent)
    assert agent.locator("#queue-tag-row").is_visible()
    agent.select_option("#queue-tag", label="Lieferstatus")
    until(lambda: agent.locator("#conv-list .conv-item").count() == 1, page=agent)
    assert tagged.count() == 1
    assert_clean(agent, "console: conversation taken over from a request, with tags and history")
    widget.context.close()
    agent.context.close()


def test_history_panel_transcript_merge_and_tag_admin(hub, browser):
    _first, again = hub.run(seed_customer(hub, "stamm@example.de"))
    admin = console(browser, hub, "chefin@shop.de", "geheim789")
    admin.click("#tab-tickets")
    card = admin.locator(f'#tickets article[data-id="{again}"]')
    card.wait_for(timeout=15000)
    card.locator("button.link", has_text="Gespräch ansehen").click()
    history = admin.locator("#history")
    until(lambda: "bestätigte E-Mail stamm@example.de" in history.inner_text(), page=admin)
    assert "Bestellung 100234" in history.inner_text()
    earlier = history.locator(".history-list li", has_text="Abgeschlossen")
    assert earlier.count() == 1
    earlier.locator("button", has_text="Verlauf anzeigen").click()
    until(lambda: "Wo bleibt Bestellung 100234" in earlier.inner_text(), page=admin)
    assert_clean(admin, "console: customer history with an earlier transcript")
    earlier.locator(".history-merge").click()
    until(lambda: "zusammengeführt" in earlier.inner_text(), page=admin)
    assert "beide Verläufe" in admin.locator("#notice-text").inner_text()
    # the request can be taken over from the conversation too; the customer left two hours ago
    history.locator(".history-take").first.click()
    until(lambda: "nicht erreichbar" in admin.locator("#notice-text").inner_text(), page=admin)

    admin.fill("#conv-tag-input", "Stammkunde")
    admin.locator("#conv-tag-form-slot button").click()
    until(lambda: "Stammkunde" in admin.locator("#conv-tags").inner_text(), page=admin)

    admin.click("#tab-tickets")
    row = admin.locator("#tag-admin .tag-admin-row", has=admin.locator('input[value="Stammkunde"]'))
    row.wait_for(timeout=15000)
    row.locator('input[type="text"]').fill("Stammkundin")
    row.locator('input[type="color"]').fill("#b42318")
    row.locator("button", has_text="Speichern").click()
    until(lambda: "Stammkundin" in admin.locator("#notice-text").inner_text(), page=admin)
    chip = admin.locator(f'#tickets article[data-id="{again}"] .tag-chip', has_text="Stammkundin")
    assert chip.count() == 0  # the conversation carries it, not the request
    assert_clean(admin, "console: tag administration")
    admin.context.close()
