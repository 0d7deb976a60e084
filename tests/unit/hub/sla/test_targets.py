"""SLA targets from company.yml: the top-level `sla` for every team, a team's own over it, an admin's
over both (issue 27.13)."""

import pytest

from bot.hub.sla.service import merged
from bot.hub.sla.targets import configured_targets
from bot.hub.store.models import SlaTarget
from bot.hub.teams import load_teams
from tests.unit.hub.test_teams import TEAMS, company_with


def test_a_team_overrides_the_company_targets_and_an_admin_overrides_both(tmp_path):
    teams_spec = {
        **TEAMS["teams"],
        "buchhaltung": {**TEAMS["teams"]["buchhaltung"], "sla": {"first_response_minutes": 60}},
    }
    company = company_with(
        tmp_path,
        {"teams": teams_spec, "sla": {"first_response_minutes": 15, "resolution_minutes": 240}},
    )
    found = configured_targets(company, load_teams(company))
    assert (
        found["kundenservice"].first_response_seconds,
        found["kundenservice"].resolution_seconds,
    ) == (900, 14400)
    assert (
        found["buchhaltung"].first_response_seconds,
        found["buchhaltung"].resolution_seconds,
    ) == (3600, 14400)
    admin = SlaTarget(
        team="retouren", first_response_seconds=None, resolution_seconds=600, warn_percent=30
    )
    now = merged(found, {"retouren": admin, "gibt-es-nicht": admin})
    assert now["retouren"].json() == {
        "team": "retouren",
        "first_response_minutes": None,
        "resolution_minutes": 10,
        "warn_percent": 30,
        "source": "admin",
    }
    assert "gibt-es-nicht" not in now


@pytest.mark.parametrize(
    "value, says", [(0, "1..525600 minutes, not 0"), ("30m", "whole number of minutes, not '30m'")]
)
def test_a_wrong_target_stops_the_start_with_its_name(tmp_path, value, says):
    company = company_with(tmp_path, {"sla": {"first_response_minutes": value}})
    with pytest.raises(ValueError, match="sla.first_response_minutes") as refused:
        configured_targets(company, load_teams(company))
    assert says in str(refused.value)


def test_without_sla_there_are_no_targets(tmp_path):
    raw = company_with(tmp_path, {})
    raw.raw.pop("sla", None)
    found = configured_targets(raw, load_teams(raw))
    assert found["kundenservice"].first_response_seconds is None
