"""The `bot` command line: run, train, seed, create-agent, migrate."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import subprocess
import sys
from pathlib import Path

from bot.settings import ROOT, load_settings

MODELS = ROOT / "models"


def train(force: bool = False) -> int:
    """Train unless data and config are unchanged (Rasa compares fingerprints)."""
    if not (ROOT / "var/spacy/de_kundendialog/meta.json").exists():
        from bot.nlu.build_spacy import build

        build(ROOT / "var/spacy/de_kundendialog")
    argv = [str(Path(sys.executable).parent / "rasa"), "train", "--out", str(MODELS)]
    if force:
        argv.append("--force")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.call(argv, cwd=str(ROOT), env=env)


def ensure_data(settings_url: str, shop_url: str) -> None:
    from actions import shop
    from actions.seed import seed
    from bot.store.db import migrate

    migrate(settings_url)
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    with Session(shop.engine(shop_url), future=True) as db:
        if not db.scalar(select(func.count()).select_from(shop.Order)):
            print(f"demo shop seeded with {seed(shop_url)} orders")


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bot", description="Kundendialog")
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
        from bot.chat import chat

        return asyncio.run(chat(settings))
    if args.command == "train":
        return train(args.force)
    if args.command == "migrate":
        from bot.store.db import migrate

        migrate(settings.database_url)
        return 0
    if args.command == "seed":
        from actions.seed import seed

        print(f"demo shop seeded with {seed(settings.shop_database_url)} orders")
        return 0
    if args.command == "create-agent":
        from bot.handoff.agents import create_agent
        from bot.store.db import make_engine, migrate, session_factory

        migrate(settings.database_url)
        password = args.password or os.environ.get("KD_AGENT_PASSWORD") or getpass.getpass("Passwort: ")
        try:
            agent_row = create_agent(session_factory(make_engine(settings.database_url)), args.email, args.name,
                                     password, args.role, settings.default_agent_capacity)
        except Exception as exc:  # noqa: BLE001 - show the reason, not a traceback
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"agent {agent_row.email} ({agent_row.role}) created")
        return 0
    # run
    ensure_data(settings.database_url, settings.shop_database_url)
    if not any(MODELS.glob("*.tar.gz")) and train() != 0:
        return 1
    from bot.supervisor import supervise

    return asyncio.run(supervise(settings, MODELS))
