"""The console and the widget against agent security (issue 11), in chromium: two-factor login,
forced set-up for admins, websockets opened with single-use tickets (never a token in the URL),
and a console that logs out when its session is ended elsewhere.

A hub with the fake Rasa runs in a thread of this process (no real stack needed)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Dict, List

import pyotp
import pytest
from aiohttp import web

from bot.hub.accounts.agents import create_agent, issue_enrolment_code
from bot.hub.app import init_app
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.settings import Settings
from bot.ops.launcher import free_port
from tests.fakes import FakeRasa
from tests.unit.hub.conftest import BUSINESS_HOURS

pytestmark = [pytest.mark.browser]
SECRET = pyotp.random_base32()


class Hub:
    """The hub app and a fake Rasa served by an event loop in a background thread."""

    def __init__(self, database_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.port, self.rasa_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = Settings(
            database_url=database_url,
            rasa_url=f"http://127.0.0.1:{self.rasa_port}",
            rasa_token="fake",
            retry_interval=3600,
            agent_ws_recheck_seconds=1.0,
            rate_conversation=(1000, 60.0),
            rate_client=(1000, 60.0),
        )
        self.runners: List[web.AppRunner] = []
        self.app: web.Application | None = None
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def run(self, coro: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _serve(self, app: web.Application, port: int) -> None:
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.runners.append(runner)

    async def _start(self) -> None:
        await self._serve(FakeRasa(token="fake").app, self.rasa_port)
        self.app = init_app(self.settings)
        await self._serve(self.app, self.port)
        self.app[QUEUE].clock = lambda: BUSINESS_HOURS
        repo = self.app[REPO]
        await create_agent(repo, "eva@shop.de", "Eva", "geheim123", "agent")
        eva = await create_agent(repo, "otto@shop.de", "Otto", "geheim123", "agent")
        await repo.update_agent(eva.id, totp_secret=SECRET, totp_enabled=True)
        await create_agent(repo, "chefin@shop.de", "Chefin", "geheim789", "admin")

    async def _stop(self) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()

    def start(self) -> Hub:
        self.thread.start()
        self.run(self._start())
        return self

    def stop(self) -> None:
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}").start()
    yield running
    running.stop()


async def enrolment_code(hub: Hub, email: str) -> str:
    """A one-time two-factor enrolment code for this account (issue 23.9)."""
    assert hub.app is not None
    repo = hub.app[REPO]
    agent = await repo.agent_by_email(email)
    assert agent is not None
    code, _ = await issue_enrolment_code(repo, agent)
    return code


def watch_sockets(page) -> List[str]:
    """URLs of every websocket the page opens."""
    urls: List[str] = []
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def until(read, timeout: float = 30.0, page: Any = None):
    """Polls `read()` until it returns something truthy (no JavaScript strings: the pages' CSP forbids eval).

    With `page`, a timeout reports what the page showed, so a failure on a busy CI machine can be told
    apart from a slow one."""
    deadline = time.monotonic() + timeout
    while not (value := read()):
        if time.monotonic() >= deadline:
            shown = (
                page.locator("body").inner_text(timeout=2000)[-1500:] if page is not None else ""
            )
            raise AssertionError(f"timed out after {timeout} s; the page showed:\n{shown}")
        time.sleep(0.1)
    return value


def login(page, hub: Hub, email: str, password: str) -> None:
    page.goto(hub.url + "/console")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.click("#login-submit")


def api_post(
    hub: Hub, path: str, token: str | None = None, body: Dict[str, Any] | None = None
) -> Dict[str, Any]:
    import aiohttp

    async def post() -> Dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with (
            aiohttp.ClientSession() as s,
            s.post(hub.url + path, json=body or {}, headers=headers) as r,
        ):
            assert r.status < 300, await r.text()
            return await r.json()

    return hub.run(post())


def test_console_two_factor_login_and_ticketed_websocket(hub, browser):
    page = browser.new_context().new_page()
    sockets = watch_sockets(page)
    login(page, hub, "otto@shop.de", "geheim123")
    page.wait_for_selector(
        "#login-otp", state="visible", timeout=10000
    )  # the hub answered otp_required
    page.fill("#login-otp", pyotp.TOTP(SECRET).now())
    page.click("#login-submit")
    page.wait_for_selector("#app", state="visible", timeout=10000)
    page.wait_for_selector("#ws-status.online", timeout=10000)
    assert sockets and all("ticket=" in url and "token=" not in url for url in sockets)
    token = page.evaluate("sessionStorage.getItem('kd-agent-token')")
    assert token and all(token not in url for url in sockets)

    # the session is ended elsewhere: the console's socket closes (4001) and it shows the login again
    api_post(hub, "/api/v1/agent/logout-all", token)
    page.wait_for_selector("#login-view", state="visible", timeout=10000)
    assert "Sitzung" in page.locator("#error-text").inner_text()
    page.context.close()


def test_admin_sets_up_two_factor_when_required(hub, browser):
    hub.settings.admin_2fa = True
    try:
        code = hub.run(enrolment_code(hub, "chefin@shop.de"))  # as another admin or the CLI would
        page = browser.new_context().new_page()
        login(page, hub, "chefin@shop.de", "geheim789")
        page.wait_for_selector("#setup-view", state="visible", timeout=10000)
        page.fill("#setup-enrolment-code", code)  # the password alone does not start the set-up
        page.click("#setup-submit")
        secret = until(lambda: page.input_value("#setup-secret"))
        assert page.get_attribute("#setup-uri", "href").startswith("otpauth://totp/")
        page.fill("#setup-code", pyotp.TOTP(secret).now())
        page.click("#setup-submit")
        page.wait_for_selector("#app", state="visible", timeout=10000)
        page.wait_for_selector("#ws-status.online", timeout=10000)
        page.click("#tab-account")
        assert "Eingeschaltet" in page.locator("#twofa-state").inner_text()
        page.context.close()
    finally:
        hub.settings.admin_2fa = False


def test_widget_websocket_uses_a_ticket(hub, browser):
    agent = api_post(
        hub, "/api/v1/agent/login", body={"email": "eva@shop.de", "password": "geheim123"}
    )
    page = browser.new_context().new_page()
    sockets = watch_sockets(page)
    page.goto(hub.url + "/")
    page.click("#kd-launcher")
    page.fill("#kd-input", "Ich will einen Menschen")
    page.press("#kd-input", "Enter")
    page.wait_for_selector("#kd-status:not([hidden])", timeout=15000)
    stored = page.evaluate("JSON.parse(localStorage.getItem('kd-conversation'))")
    assert sockets and all("ticket=" in url and stored["token"] not in url for url in sockets)
    cid = stored["conversation_id"]
    api_post(hub, f"/api/v1/agent/conversations/{cid}/claim", agent["token"])
    api_post(
        hub,
        f"/api/v1/agent/conversations/{cid}/messages",
        agent["token"],
        {"text": "Hallo, hier ist Eva."},
    )
    page.locator('.kd-msg[data-sender="agent"]', has_text="hier ist Eva").wait_for(
        timeout=15000
    )  # via the socket
    page.context.close()
