"""`python -m bot`: run, train, seed, check-shop, create-agent, migrate, chat, gdpr, housekeeping, export-nlu,
backfill-nlu, config-docs.

Runs in the hub environment; what needs Rasa (training, the demo shop of the
action server) runs as a module of the Rasa environment via the launcher.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List

from bot.hub.accounts.agents import ENROLMENT_CODE_HOURS, create_agent, issue_enrolment_code
from bot.hub.errors import DomainError
from bot.hub.housekeeping import Housekeeping, Retention
from bot.hub.privacy.service import Privacy, Selector
from bot.hub.settings import ROOT, Settings, load_settings
from bot.ops.database import hub_repository
from bot.ops.launcher import MODELS, rasa_env_run, seed_shop
from bot.shared.company import company

SPACY_MODEL = ROOT / "var/spacy/de_kundendialog"


def train(force: bool = False) -> int:
    """Train unless data and config are unchanged (Rasa compares fingerprints)."""
    if not (SPACY_MODEL / "meta.json").exists():
        rasa_env_run("bot.rasa_plugins.build_spacy")
    return rasa_env_run(
        "rasa", "train", "--out", str(MODELS), *(["--force"] if force else []), check=False
    )


async def migrate_db(settings: Settings) -> None:
    async with hub_repository(settings):
        pass


async def create_agent_cmd(
    settings: Settings, email: str, name: str, password: str, role: str
) -> int:
    code = None
    try:
        async with hub_repository(settings) as repo:
            agent = await create_agent(
                repo, email, name, password, role, settings.default_agent_capacity
            )
            if agent.role == "admin" and settings.admin_2fa:  # the first login enrols two-factor
                code, _ = await issue_enrolment_code(repo, agent)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"agent {agent.email} ({agent.role}) created")
    if code:
        print(enrolment_text(code))
    return 0


def enrolment_text(code: str) -> str:
    return (
        f"two-factor enrolment code: {code} (one-time, valid {ENROLMENT_CODE_HOURS} h; "
        "the console asks for it at the first login)"
    )


async def agent_account_cmd(
    settings: Settings,
    action: str,
    email: str,
    password: str | None = None,
    reset_2fa: bool = False,
    enrolment_code: bool = False,
) -> int:
    """Operator recovery outside the console: deactivate / activate an account, or set a new password
    (and drop two-factor, e.g. a lost phone). Sessions of the account end; the audit log records it.
    An admin whose two-factor is dropped while KD_ADMIN_2FA is on (or `enrolment_code`) gets a
    one-time enrolment code: the set-up after the next login needs it."""
    from bot.hub.accounts.agents import check_password_rules, hash_password
    from bot.hub.handoff.audit import Audit
    from bot.hub.states import AgentStatus
    from bot.hub.store.models import utcnow

    code = None
    try:
        async with hub_repository(settings) as repo:
            agent = await repo.agent_by_email(email.strip().lower(), active_only=False)
            if agent is None:
                print(f"error: no agent {email}", file=sys.stderr)
                return 1
            if action == "deactivate":
                await repo.update_agent(agent.id, active=False, status=AgentStatus.OFFLINE)
                await repo.close_sessions(agent.id)
                await repo.audit(
                    None,
                    Audit.DEACTIVATED,
                    f"agent:{agent.id}",
                    {"email": agent.email, "via": "cli"},
                )
            elif action == "activate":
                await repo.update_agent(agent.id, active=True)
                await repo.audit(
                    None, Audit.ACTIVATED, f"agent:{agent.id}", {"email": agent.email, "via": "cli"}
                )
            else:
                values: Dict[str, Any] = {}
                if password:
                    check_password_rules(password)
                    values.update(
                        password_hash=await asyncio.to_thread(hash_password, password),
                        password_changed_at=utcnow(),
                    )
                if reset_2fa:
                    values.update(totp_enabled=False, totp_secret=None, totp_last_step=None)
                if not values and not enrolment_code:
                    print(
                        "error: nothing to reset (give a password, --reset-2fa and/or "
                        "--enrolment-code)",
                        file=sys.stderr,
                    )
                    return 1
                if enrolment_code and agent.totp_enabled and not reset_2fa:
                    print(
                        f"error: {agent.email} has two-factor on (add --reset-2fa)", file=sys.stderr
                    )
                    return 1
                if values:
                    await repo.update_agent(agent.id, **values)
                    await repo.close_sessions(agent.id)
                if enrolment_code or (reset_2fa and agent.role == "admin" and settings.admin_2fa):
                    code, _ = await issue_enrolment_code(repo, agent)
                for done in (
                    ([Audit.PASSWORD_CHANGED] if password else [])
                    + ([Audit.TWO_FACTOR_RESET] if reset_2fa else [])
                    + ([Audit.TWO_FACTOR_ENROLMENT_CODE] if code else [])
                ):
                    await repo.audit(
                        None, done, f"agent:{agent.id}", {"email": agent.email, "via": "cli"}
                    )
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(
        f"agent {agent.email}: {action} done (open sessions ended)"
        if action != "activate"
        else f"agent {agent.email}: activated"
    )
    if code:
        print(enrolment_text(code))
    return 0


async def gdpr_cmd(
    settings: Settings,
    action: str,
    fields: Dict[str, Any],
    out: str | None = None,
    confirm: Callable[[List[str]], bool] | None = None,
) -> int:
    """Export (JSON to stdout or a 0600 file) or erase a customer's data in every store, as the admin API does."""
    try:
        selector = Selector.parse(fields)
        async with hub_repository(settings) as repo:
            privacy = Privacy.from_settings(settings, repo)
            if action == "export":
                text = json.dumps(await privacy.export(selector), ensure_ascii=False, indent=2)
                if out is None:
                    print(text)
                else:
                    fd = os.open(
                        out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
                    )  # personal data: owner only
                    with os.fdopen(fd, "w", encoding="utf-8") as f:
                        f.write(text + "\n")
                    print(f"export written to {Path(out).resolve()}", file=sys.stderr)
                await repo.audit(None, "gdpr_export", selector.audit_target(), {"via": "cli"})
                return 0
            ids = await privacy.conversation_ids(selector)
            if not ids:
                print("nothing stored for this selector")
                return 0
            if confirm is not None and not confirm(ids):
                print("aborted, nothing erased", file=sys.stderr)
                return 1
            result = await privacy.erase(selector)
            await repo.audit(None, "gdpr_erase", selector.audit_target(), {**result, "via": "cli"})
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def ask_erase(ids: List[str]) -> bool:
    if not sys.stdin.isatty():
        print("refusing to erase without --yes (stdin is not a terminal)", file=sys.stderr)
        return False
    answer = input(
        f"Erase {len(ids)} conversation(s) from the hub database, Rasa's tracker store and the shop "
        "records for good? [y/N] "
    )
    return answer.strip().lower() in ("y", "yes", "j", "ja")


async def housekeeping_cmd(settings: Settings) -> int:
    """One retention pass (what every hub runs every KD_HOUSEKEEPING_INTERVAL seconds)."""
    async with hub_repository(settings) as repo:
        keeper = Housekeeping(repo, Privacy.from_settings(settings, repo), Retention.of(company()))
        report = await keeper.run_once()
    print(json.dumps(report))
    return 0


def _selector_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--conversation", help="a conversation id")
    group.add_argument("--external-id", help="a messenger user's id: all their conversations")
    group.add_argument(
        "--email", help="conversations where this e-mail was verified or left as contact"
    )
    parser.add_argument("--channel", help="with --external-id: only this channel")


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Kundendialog")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Rasa, the action server and the hub")
    sub.add_parser("chat", help="chat with the running hub in the terminal")
    train_p = sub.add_parser("train", help="train the model if data or config changed")
    train_p.add_argument("--force", action="store_true")
    sub.add_parser("migrate", help="upgrade the hub database schema")
    sub.add_parser("seed", help="reset the demo shop data")
    sub.add_parser("check-shop", help="test the shop settings: sign in and read one order")
    agent = sub.add_parser("create-agent", help="create an agent account")
    agent.add_argument("--email", required=True)
    agent.add_argument("--name", required=True)
    agent.add_argument("--role", default="agent", choices=["agent", "supervisor", "admin"])
    agent.add_argument("--password", help="default: asked interactively or KD_AGENT_PASSWORD")
    for name, text in (
        ("deactivate-agent", "lock an agent account out (sessions end at once)"),
        ("activate-agent", "allow a deactivated agent account again"),
    ):
        sub.add_parser(name, help=text).add_argument("--email", required=True)
    reset = sub.add_parser(
        "reset-agent",
        help="set a new password and/or turn two-factor off (lost phone), issue an enrolment code",
    )
    reset.add_argument("--email", required=True)
    reset.add_argument(
        "--password",
        action="store_true",
        help="set a new password (asked interactively or KD_AGENT_PASSWORD)",
    )
    reset.add_argument(
        "--reset-2fa", action="store_true", help="turn two-factor off for this account"
    )
    reset.add_argument(
        "--enrolment-code",
        action="store_true",
        help="print a one-time two-factor enrolment code (admins need one to set up two-factor "
        "after logging in when KD_ADMIN_2FA=1; an admin whose two-factor is reset gets one anyway)",
    )
    gdpr = sub.add_parser(
        "gdpr", help="export or erase a customer's data (hub, Rasa tracker store, shop records)"
    )
    gdpr_sub = gdpr.add_subparsers(dest="gdpr_action", required=True)
    export_p = gdpr_sub.add_parser("export", help="one JSON document with everything stored")
    _selector_args(export_p)
    export_p.add_argument("--out", help="write to this file (mode 0600) instead of stdout")
    erase_p = gdpr_sub.add_parser("erase", help="erase it from every store")
    _selector_args(erase_p)
    erase_p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sub.add_parser(
        "housekeeping",
        help="apply the retention of company.yml once (the hub does it periodically)",
    )
    sub.add_parser(
        "export-nlu",
        help='write the examples reviewed under "Nicht verstanden" to data/nlu/learned.yml',
    )
    sub.add_parser(
        "backfill-nlu",
        help="fill intent/confidence of older customer messages from Rasa's tracker store",
    )
    sub.add_parser(
        "config-docs",
        help="write docs/reference/configuration.md from the declared settings (bot/shared/config.py)",
    )
    args = parser.parse_args(argv)
    if args.command == "config-docs":  # from the declarations only: no .env, no settings read
        from bot.shared.config_docs import write

        print(write())
        return 0
    settings = load_settings()

    if args.command == "chat":
        from bot.ops.chat import chat

        return asyncio.run(chat(settings))
    if args.command == "train":
        return train(args.force)
    if args.command == "migrate":
        asyncio.run(migrate_db(settings))
        return 0
    if args.command == "check-shop":  # the action server's environment and settings
        return rasa_env_run("bot.shop", "check", check=False)
    if args.command == "seed":
        seed_shop(settings.shop_database_url)
        return 0
    if args.command == "gdpr":
        given = {
            "conversation_id": args.conversation,
            "external_id": args.external_id,
            "email": args.email,
            "channel": args.channel,
        }
        fields = {key: value for key, value in given.items() if value is not None}
        return asyncio.run(
            gdpr_cmd(
                settings,
                args.gdpr_action,
                fields,
                getattr(args, "out", None),
                None if getattr(args, "yes", True) else ask_erase,
            )
        )
    if args.command in ("export-nlu", "backfill-nlu"):
        from bot.ops.learned import backfill_nlu, export_nlu

        return asyncio.run(
            export_nlu(settings) if args.command == "export-nlu" else backfill_nlu(settings)
        )
    if args.command == "housekeeping":
        return asyncio.run(housekeeping_cmd(settings))
    if args.command in ("deactivate-agent", "activate-agent"):
        return asyncio.run(agent_account_cmd(settings, args.command.split("-")[0], args.email))
    if args.command == "reset-agent":
        password = (
            (os.environ.get("KD_AGENT_PASSWORD") or getpass.getpass("Neues Passwort: "))
            if args.password
            else None
        )
        return asyncio.run(
            agent_account_cmd(
                settings, "reset", args.email, password, args.reset_2fa, args.enrolment_code
            )
        )
    if args.command == "create-agent":
        password = (
            args.password or os.environ.get("KD_AGENT_PASSWORD") or getpass.getpass("Passwort: ")
        )
        return asyncio.run(create_agent_cmd(settings, args.email, args.name, password, args.role))
    # run
    asyncio.run(migrate_db(settings))
    rasa_env_run("bot.shop.demo_seed", "--if-empty", settings.shop_database_url)
    if not any(MODELS.glob("*.tar.gz")) and train() != 0:
        return 1
    from bot.ops.supervisor import supervise

    return asyncio.run(supervise(settings, MODELS))
