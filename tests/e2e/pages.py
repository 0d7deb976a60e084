"""Browser steps several tests share."""

from __future__ import annotations

import uuid

from tests.accounts import add_agent


def agent_in_console(browser, stack):
    """A fresh agent logged into the console of the test stack, its queue shown: an agent is online."""
    email = f"eva-{uuid.uuid4().hex[:6]}@shop.de"
    add_agent(stack.env["KD_DATABASE_URL"], email, "Eva")
    agent = browser.new_context().new_page()
    agent.goto(stack.hub_url + "/console")
    agent.fill("#login-email", email)
    agent.fill("#login-password", "geheim123")
    agent.click("#login-submit")
    agent.wait_for_selector("#queue", state="visible", timeout=15000)
    return agent
