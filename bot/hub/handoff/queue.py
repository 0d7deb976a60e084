"""Queued handoffs: one queue per team, priority then first come, live positions, tickets outside hours.

The queue listens for HandoffRequested events; it never reaches into the
conversation service's internals, only its public notice/resume calls.
Each handoff is routed to a team (bot/hub/teams.py); positions, expected waits, opening
hours and auto-assignment are per team. Without `teams:` in company.yml there is one team and the
texts are the ones from before teams.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Sequence, Tuple

from bot.hub.conversations import ConversationService
from bot.hub.errors import Conflict, PermissionDenied
from bot.hub.events import ContactGiven, HandoffRequested, Json, NoteGiven, TicketCreated
from bot.hub.handoff.requests import (
    exists_text,
    known_contact,
    request_offer,
    tell_bot,
    ticket_text,
)
from bot.hub.handoff.story import readable
from bot.hub.handoff.visibility import can_see, sees_everything
from bot.hub.notifier import Notifier
from bot.hub.settings import Settings
from bot.hub.states import ConversationState, HandoffState, Sender
from bot.hub.store.models import Agent, Conversation, ConversationTag, Handoff, Ticket, utcnow
from bot.hub.store.parts import QueueStore
from bot.hub.store.serialize import conversation_json, handoff_json, register_of, ticket_json
from bot.hub.teams import Team, load_teams
from bot.shared.calendar import next_available_text
from bot.shared.company import Company

log = logging.getLogger(__name__)
DEFAULT_HANDLE_SECONDS = 120


def wait_minutes(seconds: float) -> int:
    """The one rounding of an expected wait the customer is told, in chat and status line alike: whole
    minutes, rounded up, at least 1 (issue 27.4: the notice said 1, the status line 2)."""
    return max(1, math.ceil(seconds / 60))


def new_handoff(
    conv_id: str, payload: Json, summary: Json, state: HandoffState, **fields: Any
) -> Handoff:
    return Handoff(
        conversation_id=conv_id,
        reason=str(payload.get("reason") or "customer_request"),
        reason_label=payload.get("reason_label"),
        priority=payload.get("priority") or "normal",
        summary=summary,
        state=state,
        **fields,
    )


class HandoffQueue:
    def __init__(
        self,
        settings: Settings,
        repo: QueueStore,
        conversations: ConversationService,
        notifier: Notifier,
        company: Company,
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.conversations = conversations
        self.notifier = notifier
        self.company = company
        self.teams = load_teams(company)
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # tests move time

    # -- reading -------------------------------------------------------------
    async def average_handle_seconds(self, team: Team | None = None) -> float:
        """Mean time from queueing to claim over the last 20 claims of `team` (none yet, or no team given: of
        all teams; 2 min if there are none at all)."""
        waits: Sequence[float] = []
        if team is not None and self.teams.configured:
            waits = await self.repo.recent_claim_waits(
                team=team.key, default=team.key == self.teams.default_key, known=self.teams.order
            )
        if not waits:
            waits = await self.repo.recent_claim_waits()
        return max(30.0, sum(waits) / len(waits)) if waits else DEFAULT_HANDLE_SECONDS

    async def online_in(self, team: Team) -> int:
        if not self.teams.configured:
            return await self.repo.online_count()
        return await self.repo.online_in_team(team.key, team.key == self.teams.default_key)

    async def positions(self) -> Dict[str, Dict[str, Any]]:
        """Position and expected wait of every waiting conversation, within its team's queue (the wait from that
        team's recent claims)."""
        queued = await self.repo.queued()
        per: Dict[str, float] = {}
        seen: Dict[str, int] = {}
        online: Dict[str, int] = {}
        out: Dict[str, Dict[str, Any]] = {}
        for h, _conv in queued:
            team = self.teams.get(h.team)
            if team.key not in online:
                online[team.key] = max(1, await self.online_in(team))
                per[team.key] = await self.average_handle_seconds(team)
            position = seen[team.key] = seen.get(team.key, 0) + 1
            expected = int(math.ceil(position / online[team.key]) * per[team.key])
            out[h.conversation_id] = {
                "position": position,
                "team": team.key,
                "team_name": team.name,
                "expected_wait_seconds": expected,
                "expected_wait_minutes": wait_minutes(expected),
            }
        return out

    async def queue_json(self, teams: List[str] | None = None) -> List[Json]:
        """The waiting handoffs with their team; only those of `teams` when given."""
        now = utcnow()
        rows = [
            {
                **handoff_json(h, now),
                "channel": conv.channel,
                "display_name": conv.display_name,
                "team": self.teams.get(h.team).key,
                "team_name": self.teams.get(h.team).name,
            }
            for h, conv in await self.repo.queued()
        ]
        rows = rows if teams is None else [r for r in rows if r["team"] in teams]
        tags = await self.repo.tag_map(ConversationTag, [r["conversation_id"] for r in rows])
        for row in rows:  # the console shows and filters them (issue 27.9); one query per frame
            row["tags"] = tags.get(row["conversation_id"], [])
        return rows

    async def agent_teams(self, agent: Agent) -> List[str] | None:
        """The team keys whose queues this agent sees; None: all (supervisors, admins, or no teams configured)."""
        if not self.teams.configured or sees_everything(agent.role):
            return None
        return self.teams.member_keys(await self.repo.agent_team_keys(agent.id))

    async def team_filter(self, agent: Agent) -> Callable[[str | None], bool]:
        """Whether a stored team value (a handoff's, a ticket's; None: the default team) is one of this
        agent's teams; always for supervisors and admins, and without teams configured."""
        keys = await self.agent_teams(agent)
        return lambda team: keys is None or self.teams.get(team).key in keys

    async def ensure_visible(self, agent: Agent, conv: Conversation) -> None:
        """The visibility policy (can_see) with the teams: an open ticket opens its conversation only to
        the members of the ticket's team, and a waiting conversation is only for its queue's team."""
        if not can_see(agent.id, agent.role, conv.state, conv.assigned_agent_id):
            mine = await self.team_filter(agent)
            if not any(mine(team) for team in await self.repo.open_ticket_teams(conv.id)):
                raise PermissionDenied(
                    "not_visible", "Dieses Gespräch ist für Sie nicht freigegeben."
                )
        await self.ensure_team_member(agent, conv)

    async def ensure_team_member(self, agent: Agent, conv: Conversation) -> None:
        """A waiting conversation is only for the members of its team."""
        if conv.state != ConversationState.QUEUED:
            return
        keys = await self.agent_teams(agent)
        if keys is None:
            return
        handoff = await self.repo.latest_handoff(conv.id)
        if handoff is not None and self.teams.get(handoff.team).key not in keys:
            raise PermissionDenied("other_team", "Dieses Gespräch wartet auf ein anderes Team.")

    async def active_handoff(self, conv_id: str) -> Handoff | None:
        return await self.repo.latest_handoff(conv_id)

    # -- live updates --------------------------------------------------------
    async def presence_changed(self) -> None:
        """An agent came online, went away or logged out: the queue (auto-assignment may run) and a
        presence frame, on which consoles fetch the teams' online counts again (issue 27.4)."""
        await self.broadcast()
        await self.notifier.to_agents({"type": "presence"})

    async def broadcast(self) -> None:
        """Console gets the queue; every waiting customer gets their position. Auto-assigning teams first
        hand out what they can (every change that calls this may have freed an agent or added work)."""
        await self.auto_assign()
        await self.notifier.to_agents({"type": "queue", "handoffs": await self.queue_json()})
        registers = {conv.id: register_of(conv) for _, conv in await self.repo.queued()}
        for conv_id, info in (await self.positions()).items():
            await self.notifier.to_customer(
                conv_id,
                {
                    "type": "state",
                    "state": ConversationState.QUEUED,
                    "queue": info,
                    "register": registers.get(conv_id, "sie"),
                },
            )

    async def publish_conversation(self, conv_id: str) -> None:
        conv = await self.conversations.get(conv_id)
        await self.notifier.to_agents(
            {"type": "conversation", "conversation": conversation_json(conv)}
        )
        queue = (
            (await self.positions()).get(conv_id)
            if conv.state == ConversationState.QUEUED
            else None
        )
        await self.notifier.to_customer(
            conv_id,
            {"type": "state", "state": conv.state, "queue": queue, "register": register_of(conv)},
        )

    # -- the flow ------------------------------------------------------------
    async def on_handoff_requested(self, event: HandoffRequested) -> List[Json]:
        return await self.enqueue(event.conversation, event.payload, event.reply_to)

    async def enqueue(
        self, conv: Conversation, payload: Json, reply_to: str | None = None
    ) -> List[Json]:
        summary = readable(payload.get("summary") or {}, await self.repo.customer_said(conv.id))
        # The hub follows the register on every customer message; Rasa's summary only fills a gap.
        register = conv.register or (
            summary.get("register") if summary.get("register") in ("du", "sie", "en") else None
        )
        if register != conv.register:
            await self.repo.update_conversation(conv.id, register=register)
            conv.register = register
        team = self.teams.route(payload)
        if not team.calendar.is_open(self.clock()) or await self.online_in(team) == 0:
            return await self._ticket(conv, payload, summary, team)
        await self.repo.queue_handoff(
            new_handoff(
                conv.id, payload, summary, HandoffState.QUEUED, queued_at=utcnow(), team=team.key
            )
        )
        conv.state = ConversationState.QUEUED
        info = (await self.positions()).get(
            conv.id, {"position": 1, "expected_wait_seconds": DEFAULT_HANDLE_SECONDS}
        )
        long_wait = info["expected_wait_seconds"] > self.settings.long_wait_seconds
        # A long wait is not announced as "gleich für Sie da" (queued) but as a busy team.
        key = "queued_team" if self.teams.configured else "queued_busy" if long_wait else "queued"
        text = self.company.notice(
            key,
            conv.register,
            position=info["position"],
            team=team.name,
            minutes=wait_minutes(info["expected_wait_seconds"]),
        )
        if long_wait:
            text += " " + self.company.notice("queued_long_wait", conv.register)
        # A long wait offers a callback: on messengers (no callback form) the customer accepts it by text.
        custom: Json = {"queue": info, "callback": True} if long_wait else {"queue": info}
        notice = await self.conversations.post(
            conv, Sender.SYSTEM, text, reply_to=reply_to, custom=custom
        )
        await self.broadcast()
        await self.publish_conversation(conv.id)
        return [notice]

    async def _ticket(
        self, conv: Conversation, payload: Json, summary: Json, team: Team
    ) -> List[Json]:
        """Nobody can answer now: record the request honestly (one per matter: an open request of the
        conversation is named again, bot/hub/handoff/requests.py), say when the team is back, keep the
        bot available."""
        existing = await self.repo.open_ticket(conv.id)
        contact = known_contact(summary) or (
            f"{conv.channel}:{conv.external_id}" if conv.external_id else None
        )
        if existing is not None:
            return await self._ticket_again(conv, existing, team)
        ticket = await self.repo.add_ticket(
            Ticket(
                conversation_id=conv.id,
                reason=payload.get("reason"),
                contact=contact,
                note=summary.get("request"),
                summary=summary,
                team=team.key,
            ),
            new_handoff(
                conv.id, payload, summary, HandoffState.TICKET, finished_at=utcnow(), team=team.key
            ),
        )
        when = self._when(team, conv.register)
        text = ticket_text(
            self.company,
            conv.register,
            summary,
            ticket=ticket.id,
            when=when,
            team=team.name if self.teams.configured else None,
        )
        notice = await self.conversations.post(
            conv, Sender.SYSTEM, text, custom=request_offer(ticket.id, summary)
        )
        await self.notifier.to_agents({"type": "ticket", "ticket": ticket_json(ticket)})
        await self._ticket_created(conv, ticket, "ticket")
        await self._back_to_bot(conv, ticket.id)
        return [notice]

    def _when(self, team: Team, register: str | None) -> str:
        """When the team is back ("morgen ab 8 Uhr"), or "so bald wie möglich" while it is open."""
        now = self.clock().astimezone(self.company.tz)
        opening = None if team.calendar.is_open(now) else team.calendar.next_opening(now)
        if opening:
            return next_available_text(opening, now, register)
        return self.company.notice("as_soon_as_possible", register)

    async def _ticket_again(self, conv: Conversation, ticket: Ticket, team: Team) -> List[Json]:
        """A second handoff while the conversation's request is open: that request, not a new one."""
        when = self._when(team, conv.register)
        text = exists_text(self.company, conv.register, ticket=ticket.id, when=when)
        notice = await self.conversations.post(
            conv, Sender.SYSTEM, text, custom=request_offer(ticket.id, ticket.summary or {})
        )
        await self._back_to_bot(conv, ticket.id)
        return [notice]

    async def _back_to_bot(self, conv: Conversation, ticket_id: int) -> None:
        """The bot answers again, knowing the request's number (no "verbinde Sie direkt" now)."""
        await tell_bot(self.conversations.rasa, conv.id, ticket_id)
        try:
            await self.conversations.resume_bot(conv, welcome=False)
        except Exception:  # noqa: BLE001 - the ticket is stored; resuming is best effort
            log.exception("could not resume bot after ticket")

    async def leave_request(
        self, conv: Conversation, contact: str, note: str | None, reply_to: str | None = None
    ) -> Json:
        """Customer prefers a callback/e-mail over waiting: leave the queue, keep the summary."""
        ticket, _ = await self._leave(conv, contact, note, reply_to)
        return ticket

    async def _leave(
        self, conv: Conversation, contact: str, note: str | None, reply_to: str | None
    ) -> Tuple[Json, Json]:
        """leave_request(): the ticket and the confirmation shown to the customer."""
        ticket, was_waiting = await self.repo.leave_queue(conv.id, contact, note)
        if was_waiting:
            conv.state = ConversationState.BOT
        notice = await self.conversations.notice(
            conv, "callback_confirmed", reply_to=reply_to, contact=contact, ticket=ticket.id
        )
        await self.notifier.to_agents({"type": "ticket", "ticket": ticket_json(ticket)})
        await self._ticket_created(conv, ticket, "callback")
        if was_waiting:
            await self.conversations.resume_bot(conv, welcome=False)
            await self.broadcast()
            await self.publish_conversation(conv.id)
        return ticket_json(ticket), notice

    async def on_contact_given(self, event: ContactGiven) -> List[Json]:
        """A phone number or e-mail typed after a ticket or callback offer: onto the request, confirmed; a
        plain yes (messengers have no callback form): ask where to reach the customer, keeping the offer open."""
        conv = event.conversation
        if event.from_bot and event.ticket is not None:
            mine = await self.repo.open_ticket(conv.id)
            if mine is None or mine.id != event.ticket:  # closed meanwhile, or not this chat's
                event = replace(event, ticket=None)  # a callback request of its own
        if event.contact is None:
            return [
                await self.conversations.notice(
                    conv,
                    "contact_ask",
                    reply_to=event.reply_to,
                    custom={"callback": True, "ticket": event.ticket},
                )
            ]
        ticket = (
            await self.repo.add_ticket_contact(event.ticket, event.contact)
            if event.ticket
            else None
        )
        if (
            ticket is None
        ):  # waiting in the queue, or the request was closed meanwhile: a new callback request
            _, notice = await self._leave(conv, event.contact, None, event.reply_to)
            return [notice]
        notice = await self.conversations.notice(
            conv, "contact_added", reply_to=event.reply_to, contact=event.contact, ticket=ticket.id
        )
        await self.notifier.to_agents({"type": "ticket", "ticket": ticket_json(ticket)})
        await self._ticket_created(conv, ticket, "callback")
        return [notice]

    async def on_note_given(self, event: NoteGiven) -> List[Json]:
        """A wish for the open request ("nur bis 17 Uhr anrufen"): onto its note, the agents' list
        updated. Only this conversation's own open request; the customer sees the bot's words only."""
        ticket = await self.repo.add_ticket_note(event.ticket, event.conversation.id, event.note)
        if ticket is not None:
            await self.notifier.to_agents({"type": "ticket", "ticket": ticket_json(ticket)})
        return []

    async def _ticket_created(self, conv: Conversation, ticket: Ticket, kind: str) -> None:
        """Listeners (the e-mail confirmation) must never break the request the customer just made."""
        try:
            await self.conversations.events.emit(TicketCreated(conv, ticket, kind))
        except Exception:  # noqa: BLE001
            log.exception("ticket listener failed for ticket %s", ticket.id)

    async def ensure_capacity(self, agent: Agent) -> None:
        busy = await self.repo.active_count(agent.id)
        if busy >= agent.capacity:
            raise Conflict(
                "capacity_reached",
                f"Sie betreuen bereits {busy} Gespräche (Maximum {agent.capacity}).",
            )

    async def claim(self, agent: Agent, conv_id: str) -> Conversation:
        await self.ensure_team_member(agent, await self.conversations.get(conv_id))
        await self.ensure_capacity(agent)
        conv = await self.repo.claim(agent.id, conv_id)
        await self.conversations.notice(conv, "agent_joined", agent=agent.name)
        await self.broadcast()
        await self.publish_conversation(conv_id)
        return conv

    async def transfer(self, conv: Conversation, target_id: int) -> Conversation:
        target = await self.repo.assign(conv.id, target_id)
        await self.conversations.notice(conv, "transferred", agent=target.name)
        await self.publish_conversation(conv.id)
        return await self.conversations.get(conv.id)

    async def transfer_to_team(self, conv: Conversation, team_key: str) -> Conversation:
        """Back into the queue of another team (keeping the time already waited); the customer is told."""
        team = self.teams.require(team_key)
        await self.repo.requeue(conv.id, team.key, conv.assigned_agent_id)
        await self.conversations.notice(conv, "transferred_team", team=team.name)
        await self.broadcast()
        await self.publish_conversation(conv.id)
        return await self.conversations.get(conv.id)

    # -- auto-assignment -----------------------------------------------------
    async def auto_assign(self) -> int:
        """Teams with auto_assign: hand each waiting conversation (longest first) to the least busy online
        member with free capacity. Atomic in the repository, so several hubs may run this at once."""
        assigned = 0
        for team in self.teams.all():
            if not team.auto_assign:
                continue
            for _ in range(100):  # bounded: one pass never runs away
                result = await self.repo.auto_assign(
                    team.key, team.key == self.teams.default_key, self.teams.order
                )
                if result is None:
                    break
                conv, agent = result
                assigned += 1
                await self.conversations.notice(conv, "agent_joined", agent=agent.name)
                await self.publish_conversation(conv.id)
        return assigned

    async def hand_back(self, conv: Conversation) -> List[Json]:
        conv = await self.repo.finish(conv.id, ConversationState.BOT)
        await self.publish_conversation(conv.id)
        await self.broadcast()
        return await self.conversations.resume_bot(conv, welcome=True)

    async def close(
        self, conv: Conversation, resolution: str | None, idle: bool = False
    ) -> Conversation:
        conv = await self.repo.finish(conv.id, ConversationState.CLOSED, resolution)
        await self.conversations.notice(conv, "closed_idle" if idle else "closed")
        try:
            await self.conversations.resume_bot(conv, welcome=False)
        except Exception:  # noqa: BLE001 - the next customer message must still reach the bot
            log.warning("could not resume tracker of %s on close", conv.id)
        else:
            if not idle:  # the customer is there: rated like a hand-back (satisfaction report)
                try:
                    await self.conversations.ask_rating(conv)
                except Exception:  # noqa: BLE001 - the close itself has happened
                    log.warning("could not ask %s for a rating on close", conv.id)
        await self.publish_conversation(conv.id)
        await self.broadcast()
        return conv

    # -- housekeeping --------------------------------------------------------
    async def housekeeping(self) -> None:
        """Auto-away for silent agents, close idle agent conversations."""
        now = utcnow()
        if await self.repo.auto_away(
            now - timedelta(seconds=self.settings.agent_auto_away_seconds)
        ):
            await self.presence_changed()
        for conv in await self.repo.idle_agent_conversations(
            now - timedelta(seconds=self.settings.agent_idle_close_seconds)
        ):
            await self.close(conv, "Automatisch geschlossen (inaktiv)", idle=True)

    async def housekeeping_loop(self) -> None:
        while True:
            await asyncio.sleep(30)
            try:
                await self.housekeeping()
            except Exception:  # noqa: BLE001
                log.exception("housekeeping failed")
