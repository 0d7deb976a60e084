"""Agent lifecycle from the command line: supervisor accounts, deactivate/activate, reset password and two-factor."""

from __future__ import annotations

import asyncio

from bot.hub.settings import load_settings
from bot.ops.cli import main
from bot.ops.database import hub_repository


def stored(email: str):
    async def read():
        async with hub_repository(load_settings(dotenv=False)) as repo:
            agent = await repo.agent_by_email(email, active_only=False)
            entries = await repo.audit_entries(limit=10)
            return agent, [e.action for e, _name in entries]

    return asyncio.run(read())


def test_agent_lifecycle_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KD_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    monkeypatch.setenv("KD_AGENT_PASSWORD", "geheim123")
    assert (
        main(["create-agent", "--email", "sue@shop.de", "--name", "Sue", "--role", "supervisor"])
        == 0
    )
    agent, _ = stored("sue@shop.de")
    assert agent.role == "supervisor" and agent.active

    assert main(["deactivate-agent", "--email", "sue@shop.de"]) == 0
    agent, actions = stored("sue@shop.de")
    assert not agent.active and actions[0] == "deactivated"
    assert main(["activate-agent", "--email", "sue@shop.de"]) == 0
    assert stored("sue@shop.de")[0].active

    async def with_two_factor():
        async with hub_repository(load_settings(dotenv=False)) as repo:
            await repo.update_agent(agent.id, totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXP")

    asyncio.run(with_two_factor())
    old_hash = agent.password_hash
    monkeypatch.setenv("KD_AGENT_PASSWORD", "ganzneu123")
    assert main(["reset-agent", "--email", "sue@shop.de", "--password", "--reset-2fa"]) == 0
    agent, actions = stored("sue@shop.de")
    assert agent.password_hash != old_hash and not agent.totp_enabled and agent.totp_secret is None
    assert actions[:2] == ["2fa_reset", "password_changed"]
    assert main(["reset-agent", "--email", "sue@shop.de"]) == 1  # nothing to do
    assert main(["deactivate-agent", "--email", "niemand@shop.de"]) == 1
    assert "no agent" in capsys.readouterr().err


def test_an_admin_created_under_admin_2fa_gets_a_one_time_enrolment_code(
    tmp_path, monkeypatch, capsys
):
    """Issue 23.9: the first admin's set-up is bound by a code the operator holds, not by whoever
    logs in first with the password."""
    from bot.hub.accounts.agents import enrolment_code_matches

    monkeypatch.setenv("KD_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    monkeypatch.setenv("KD_AGENT_PASSWORD", "geheim123")
    monkeypatch.setenv("KD_ADMIN_2FA", "1")
    assert (
        main(["create-agent", "--email", "chefin@shop.de", "--name", "C", "--role", "admin"]) == 0
    )
    printed = capsys.readouterr().out
    code = printed.split("enrolment code: ")[1].split()[0]
    agent, actions = stored("chefin@shop.de")
    assert enrolment_code_matches(agent, code) and not enrolment_code_matches(
        agent, "AAAA-BBBB-CCCC"
    )
    assert code not in str(agent.totp_enrolment_hash)  # stored hashed

    assert main(["create-agent", "--email", "eva@shop.de", "--name", "E"]) == 0
    assert "enrolment code" not in capsys.readouterr().out  # agents are not forced

    assert main(["reset-agent", "--email", "chefin@shop.de", "--enrolment-code"]) == 0
    again = capsys.readouterr().out.split("enrolment code: ")[1].split()[0]
    agent, actions = stored("chefin@shop.de")
    assert enrolment_code_matches(agent, again) and not enrolment_code_matches(agent, code)
    assert actions[0] == "2fa_enrolment_code"
