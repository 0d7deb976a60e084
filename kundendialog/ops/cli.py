"""`python -m kundendialog.ops`: run, train, seed, create-agent, migrate, chat.

Runs in the hub environment; what needs Rasa (training, the demo shop of the
action server) runs as a module of the Rasa environment via the launcher.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from contextlib import asynccontextmanager
from typing import AsyncIterator

from kundendialog.core.errors import DomainError
from kundendialog.hub.handoff.agents import create_agent
from kundendialog.hub.settings import ROOT, Settings, load_settings
from kundendialog.hub.store.db import make_engine, migrate, session_factory
from kundendialog.hub.store.repository import Repository
from kundendialog.ops.launcher import MODELS, rasa_env_run, seed_shop

SPACY_MODEL = ROOT / "var/spacy/de_kundendialog"


def train(force: bool = False) -> int:
    """Train unless data and config are unchanged (Rasa compares fingerprints)."""
    if not (SPACY_MODEL / "meta.json").exists():
        rasa_env_run("kundendialog.rasa_ext.build_spacy")
    return rasa_env_run("rasa", "train", "--out", str(MODELS), *(["--force"] if force else []), check=False)


@asynccontextmanager
async def hub_repository(settings: Settings) -> AsyncIterator[Repository]:
    """The hub database, migrated, for one command (or a benchmark's set-up)."""
    engine = make_engine(settings.database_url)
    try:
        await migrate(engine)
        yield Repository(session_factory(engine))
    finally:
        await engine.dispose()


async def migrate_db(settings: Settings) -> None:
    async with hub_repository(settings):
        pass


async def create_agent_cmd(settings: Settings, email: str, name: str, password: str, role: str) -> int:
    try:
        async with hub_repository(settings) as repo:
            agent = await create_agent(repo, email, name, password, role, settings.default_agent_capacity)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"agent {agent.email} ({agent.role}) created")
    return 0


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kundendialog", description="Kundendialog")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Rasa, the action server and the hub")
    sub.add_parser("chat", help="chat with the running hub in the terminal")
    train_p = sub.add_parser("train", help="train the model if data or config changed")
    train_p.add_argument("--force", action="store_true")
    sub.add_parser("migrate", help="upgrade the hub database schema")
    sub.add_parser("seed", help="reset the demo shop data")
    agent = sub.add_parser("create-agent", help="create an agent account")
    agent.add_argument("--email", required=True)
    agent.add_argument("--name", required=True)
    agent.add_argument("--role", default="agent", choices=["agent", "admin"])
    agent.add_argument("--password", help="default: asked interactively or KD_AGENT_PASSWORD")
    args = parser.parse_args(argv)
    settings = load_settings()

    if args.command == "chat":
        from kundendialog.ops.chat import chat

        return asyncio.run(chat(settings))
    if args.command == "train":
        return train(args.force)
    if args.command == "migrate":
        asyncio.run(migrate_db(settings))
        return 0
    if args.command == "seed":
        seed_shop(settings.shop_database_url)
        return 0
    if args.command == "create-agent":
        password = args.password or os.environ.get("KD_AGENT_PASSWORD") or getpass.getpass("Passwort: ")
        return asyncio.run(create_agent_cmd(settings, args.email, args.name, password, args.role))
    # run
    asyncio.run(migrate_db(settings))
    rasa_env_run("actions.seed", "--if-empty", settings.shop_database_url)
    if not any(MODELS.glob("*.tar.gz")) and train() != 0:
        return 1
    from kundendialog.ops.supervisor import supervise

    return asyncio.run(supervise(settings, MODELS))
