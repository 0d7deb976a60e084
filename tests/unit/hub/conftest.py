"""Hub fixtures: the real app on a temp SQLite database (and a real PostgreSQL), with a fake Rasa."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Tuple

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.hub.accounts.agents import create_agent
from bot.hub.app import init_app
from bot.hub.keys.handoff import QUEUE
from bot.hub.keys.store import REPO
from bot.hub.settings import Settings
from bot.hub.store.db import async_url
from bot.hub.store.models import Conversation, InboundUpdate, Message
from tests.fakes import FakeRasa


@pytest.fixture()
async def fake_rasa():
    fake = FakeRasa(token="fake-rasa-token")  # the hub must send its Rasa token on every call
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    yield fake
    await server.close()


@pytest.fixture(scope="session")
def postgres_url():
    from tests.services import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """argon2's production cost makes each login ~100 ms; tests only need correctness."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        "bot.hub.accounts.agents._hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path) -> str:
    """Every hub API test runs on the embedded SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    base = request.getfixturevalue("postgres_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(async_url(base), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(f"CREATE DATABASE {name}")
    await engine.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture()
def settings(database_url, fake_rasa, tmp_path) -> Settings:
    return Settings(
        database_url=database_url,
        rasa_url=fake_rasa.url,
        rasa_token=fake_rasa.token,
        retry_interval=3600,
        rate_conversation=(1000, 60.0),
        rate_client=(1000, 60.0),
        cors_origins=["https://shop.example"],
        learned_nlu_file=tmp_path / "nlu" / "learned.yml",
        knowledge_cases_file=tmp_path / "knowledge" / "cases.yml",
    )  # never the project's data/nlu or bench/data


@pytest.fixture()
async def client(aiohttp_client, settings):
    return await aiohttp_client(init_app(settings))


async def start(client) -> Dict[str, Any]:
    resp = await client.post("/api/v1/conversations", json={"channel": "webchat"})
    assert resp.status == 201
    return await resp.json()


def auth(conv: Dict[str, Any]) -> Dict[str, str]:
    return {"Authorization": f"Bearer {conv['token']}"}


BUSINESS_HOURS = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # a Monday morning in Berlin


@pytest.fixture()
async def agent(client) -> Dict[str, str]:
    """Eva, logged in (so online) with the queue clock inside business hours; her auth headers."""
    await create_agent(client.app[REPO], "eva@shop.de", "Eva", "geheim123", "agent")
    client.app[QUEUE].clock = lambda: BUSINESS_HOURS
    resp = await client.post(
        "/api/v1/agent/login", json={"email": "eva@shop.de", "password": "geheim123"}
    )
    assert resp.status == 200
    return {"Authorization": f"Bearer {(await resp.json())['token']}"}


async def take_over_and_hand_back(
    client, headers: Dict[str, str], conv_id: str, reply: str
) -> None:
    """The agent side of a handoff: claim, answer once, hand back to the bot."""
    base = f"/api/v1/agent/conversations/{conv_id}"
    assert (await client.post(f"{base}/claim", headers=headers)).status == 200
    assert (
        await client.post(f"{base}/messages", json={"text": reply}, headers=headers)
    ).status == 201
    assert (await client.post(f"{base}/handback", headers=headers)).status == 200


async def rows(client, model: Any, *where: Any, order_by: Any = None) -> List[Any]:
    """Rows of one table straight from the hub's database (what was really stored)."""
    query = select(model).where(*where)
    if order_by is not None:
        query = query.order_by(order_by)
    async with client.app[REPO].sessions() as db:
        return list((await db.scalars(query)).all())


async def row(client, model: Any, key: Any) -> Any:
    async with client.app[REPO].sessions() as db:
        return await db.get(model, key)


async def change(client, statement: Any) -> None:
    async with client.app[REPO].sessions.begin() as db:
        await db.execute(statement)


async def stored(client) -> Tuple[int, ...]:
    """Conversations, messages and processed platform updates in the hub database."""
    async with client.app[REPO].sessions() as db:
        return tuple(
            [
                int(await db.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Conversation, Message, InboundUpdate)
            ]
        )
