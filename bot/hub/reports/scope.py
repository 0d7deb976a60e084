"""What a report covers besides the period: one channel, one team for the figures about handoffs, and
one tag (issue 27.9).

A tag is set on conversations, so the tag filter narrows every section to the conversations carrying
it: their messages, handoffs, claims, replies, ratings, help-page answers and SLA clocks, and in the
tags section the tags those conversations carry besides (and the requests recorded in them).

Teams (company.yml `teams:`, bot/hub/teams.py) own handoffs, not conversations: the team
filter narrows escalations, the queue and the agents' figures to that team's handoffs; volume,
containment, satisfaction and understanding are about every conversation and ignore it. A handoff
stored without a team, or with a team no longer configured, counts for the default team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from bot.hub.store.models import ConversationTag, Handoff
from bot.hub.teams import Teams, load_teams
from bot.shared.company import Company


@dataclass(frozen=True)
class Scope:
    company: Company
    teams: Teams
    channel: str | None = None
    team: str | None = None
    tag: int | None = None

    @classmethod
    def of(
        cls,
        company: Company,
        channel: str | None = None,
        team: str | None = None,
        teams: Teams | None = None,
        tag: int | None = None,
    ) -> Scope:
        teams = teams or load_teams(company)
        if team is not None:
            teams.require(team)  # NotFound for a team company.yml does not define
        return cls(company, teams, channel, team, tag)

    def handoff_team(self, column: Any = Handoff.team) -> ColumnElement[bool] | None:
        """The team filter on a team column (a handoff's, or the team a transferred claim was in)."""
        if self.team is None:
            return None
        if self.team != self.teams.default_key:
            return column == self.team  # type: ignore[no-any-return]
        others = [k for k in self.teams.by_key if k != self.team]
        return or_(column.is_(None), column.not_in(others))

    def open_at(self, team: str | None, moment: datetime) -> bool:
        """Was the handoff's team within its service hours (naive UTC moment)?"""
        return self.teams.get(team).calendar.is_open(moment.replace(tzinfo=timezone.utc))


def where_team(query: Any, scope: Scope) -> Any:
    clause = scope.handoff_team()
    return query if clause is None else query.where(clause)


def tagged(conversation_id: Any, tag: int | None) -> ColumnElement[bool] | None:
    """Rows of conversations carrying the tag (ids, not names: admins rename and merge tags). One list
    of the tag's conversations (its index), not a lookup per row: message sections walk many rows."""
    if tag is None:
        return None
    return conversation_id.in_(  # type: ignore[no-any-return]
        select(ConversationTag.conversation_id).where(ConversationTag.tag_id == tag)
    )


def where_tag(query: Any, conversation_id: Any, tag: int | None) -> Any:
    clause = tagged(conversation_id, tag)
    return query if clause is None else query.where(clause)
