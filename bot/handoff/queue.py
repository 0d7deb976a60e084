"""Queued handoffs: priority then first come, live positions, tickets outside hours.

Claims are a single conditional UPDATE, so two agents clicking at once can
never both win, on SQLite or PostgreSQL, in one hub or several.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List

from sqlalchemy import case, func, select, update

from bot.company import format_when
from bot.hub import Hub
from bot.store.models import Agent, Conversation, Handoff, Ticket, utcnow
from bot.store.serialize import conversation_json, handoff_json, ticket_json
from bot.web.errors import ApiError

log = logging.getLogger(__name__)
DEFAULT_HANDLE_SECONDS = 120
PRIORITY_ORDER = case((Handoff.priority == "urgent", 0), else_=1)


class HandoffQueue:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.sessions = hub.sessions
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # tests move time

    # -- reading -------------------------------------------------------------
    def queued(self) -> List[Handoff]:
        with self.sessions() as db:
            return list(db.scalars(select(Handoff).where(Handoff.state == "queued")
                                   .order_by(PRIORITY_ORDER, Handoff.queued_at, Handoff.id)))

    def online_agents(self) -> int:
        with self.sessions() as db:
            return int(db.scalar(select(func.count()).select_from(Agent)
                                 .where(Agent.status == "online", Agent.active.is_(True))) or 0)

    def average_handle_seconds(self) -> float:
        """Mean time from queueing to claim over the last 20 claims (2 min if none)."""
        with self.sessions() as db:
            rows = db.execute(select(Handoff.queued_at, Handoff.claimed_at).where(Handoff.claimed_at.is_not(None))
                              .order_by(Handoff.claimed_at.desc()).limit(20)).all()
        waits = [(c - q).total_seconds() for q, c in rows if c and q]
        return max(30.0, sum(waits) / len(waits)) if waits else DEFAULT_HANDLE_SECONDS

    def positions(self) -> Dict[str, Dict[str, int]]:
        queued = self.queued()
        per = self.average_handle_seconds()
        agents = max(1, self.online_agents())
        return {h.conversation_id: {"position": i + 1,
                                    "expected_wait_seconds": int(math.ceil((i + 1) / agents) * per)}
                for i, h in enumerate(queued)}

    def queue_json(self) -> List[Dict[str, Any]]:
        now = utcnow()
        queued = self.queued()
        with self.sessions() as db:
            convs = {c.id: c for c in db.scalars(select(Conversation).where(
                Conversation.id.in_([h.conversation_id for h in queued])))} if queued else {}
        out = []
        for h in queued:
            data = handoff_json(h, now)
            conv = convs.get(h.conversation_id)
            data.update(channel=conv.channel if conv else None, display_name=conv.display_name if conv else None)
            out.append(data)
        return out

    def active_handoff(self, conv_id: str) -> Handoff | None:
        with self.sessions() as db:
            return db.scalars(select(Handoff).where(Handoff.conversation_id == conv_id)
                              .order_by(Handoff.id.desc())).first()

    # -- live updates --------------------------------------------------------
    async def broadcast(self) -> None:
        """Console gets the queue; every waiting customer gets their position."""
        await self.hub.bus.publish("agents", {"type": "queue", "handoffs": self.queue_json()})
        for conv_id, info in self.positions().items():
            await self.hub.bus.publish(f"conv:{conv_id}", {"type": "state", "state": "queued", "queue": info})

    async def publish_conversation(self, conv_id: str) -> None:
        conv = self.hub.get(conv_id)
        await self.hub.bus.publish("agents", {"type": "conversation", "conversation": conversation_json(conv)})
        queue = self.positions().get(conv_id) if conv.state == "queued" else None
        await self.hub.bus.publish(f"conv:{conv_id}", {"type": "state", "state": conv.state, "queue": queue})

    # -- the flow ------------------------------------------------------------
    async def enqueue(self, conv: Conversation, payload: Dict[str, Any], reply_to: str | None = None) -> List[Dict[str, Any]]:
        summary = dict(payload.get("summary") or {})
        now = utcnow()
        register = summary.get("register") if summary.get("register") in ("du", "sie") else conv.register
        with self.sessions() as db, db.begin():
            row = db.get(Conversation, conv.id)
            row.register = conv.register = register
        company = self.hub.company
        if not company.is_open(self.clock()) or self.online_agents() == 0:
            return await self._ticket(conv, payload, summary)
        with self.sessions() as db, db.begin():
            db.add(Handoff(conversation_id=conv.id, reason=str(payload.get("reason") or "customer_request"),
                           reason_label=payload.get("reason_label"), priority=payload.get("priority") or "normal",
                           summary=summary, state="queued", queued_at=now))
            db.get(Conversation, conv.id).state = conv.state = "queued"
        info = self.positions().get(conv.id, {"position": 1, "expected_wait_seconds": DEFAULT_HANDLE_SECONDS})
        minutes = max(1, round(info["expected_wait_seconds"] / 60))
        long_wait = info["expected_wait_seconds"] > self.hub.settings.long_wait_seconds
        sie = (f"Ein Mitarbeiter ist gleich für Sie da. Sie sind an Position {info['position']}, "
               f"geschätzte Wartezeit ca. {minutes} Min. Sie können hier weiterschreiben – alles kommt beim Team an.")
        du = (f"Ein Mitarbeiter ist gleich für dich da. Du bist an Position {info['position']}, "
              f"geschätzte Wartezeit ca. {minutes} Min. Du kannst hier weiterschreiben – alles kommt beim Team an.")
        if long_wait:
            sie += " Das dauert gerade leider länger. Möchten Sie lieber einen Rückruf oder eine Antwort per E-Mail?"
            du += " Das dauert gerade leider länger. Möchtest du lieber einen Rückruf oder eine Antwort per E-Mail?"
        notice = await self.hub.system(conv, sie, du, reply_to=reply_to, custom={"queue": info})
        await self.broadcast()
        await self.publish_conversation(conv.id)
        return [notice]

    async def _ticket(self, conv: Conversation, payload: Dict[str, Any], summary: Dict[str, Any]) -> List[Dict[str, Any]]:
        """Nobody can answer now: record the request honestly and keep the bot available."""
        contact = summary.get("email") or (f"{conv.channel}:{conv.external_id}" if conv.external_id else None)
        with self.sessions() as db, db.begin():
            ticket = Ticket(conversation_id=conv.id, reason=payload.get("reason"), contact=contact,
                            note=summary.get("request"), summary=summary)
            db.add(ticket)
            db.add(Handoff(conversation_id=conv.id, reason=str(payload.get("reason") or "customer_request"),
                           reason_label=payload.get("reason_label"), priority=payload.get("priority") or "normal",
                           summary=summary, state="ticket", finished_at=utcnow()))
        company = self.hub.company
        now = self.clock().astimezone(company.tz)
        opening = None if company.is_open(now) else company.next_opening(now)
        when = format_when(opening, now) if opening else "so bald wie möglich"
        when = when[:1].upper() + when[1:]
        sie = (f"Gerade ist leider niemand aus unserem Team erreichbar. {when} meldet sich ein Mitarbeiter "
               f"bei Ihnen – Ihr Anliegen ist mit allen Details notiert (Anfrage Nr. {ticket.id}). "
               f"Hinterlassen Sie gern Ihre E-Mail-Adresse oder Telefonnummer, dann melden wir uns dort.")
        du = (f"Gerade ist leider niemand aus unserem Team erreichbar. {when} meldet sich ein Mitarbeiter "
              f"bei dir – dein Anliegen ist mit allen Details notiert (Anfrage Nr. {ticket.id}). "
              f"Hinterlass gern deine E-Mail-Adresse oder Telefonnummer, dann melden wir uns dort.")
        notice = await self.hub.system(conv, sie, du, custom={"ticket": ticket.id, "callback": True})
        await self.hub.bus.publish("agents", {"type": "ticket", "ticket": ticket_json(ticket)})
        try:
            await self.hub.resume_bot(conv, welcome=False)
        except Exception:  # noqa: BLE001 - the ticket is stored; resuming is best effort
            log.exception("could not resume bot after ticket")
        return [notice]

    async def leave_request(self, conv: Conversation, contact: str, note: str | None) -> Dict[str, Any]:
        """Customer prefers a callback/e-mail over waiting: leave the queue, keep the summary."""
        handoff = self.active_handoff(conv.id)
        with self.sessions() as db, db.begin():
            ticket = Ticket(conversation_id=conv.id, reason=handoff.reason if handoff else "callback",
                            contact=contact, note=note, summary=handoff.summary if handoff else {})
            db.add(ticket)
            if handoff is not None and handoff.state == "queued":
                db.get(Handoff, handoff.id).state = "left"
            row = db.get(Conversation, conv.id)
            was_waiting = row.state == "queued"
            if was_waiting:
                row.state = conv.state = "bot"
        await self.hub.system(conv, f"Danke! Wir melden uns unter {contact}. Ihre Anfrage hat die Nummer {ticket.id}.",
                              f"Danke! Wir melden uns unter {contact}. Deine Anfrage hat die Nummer {ticket.id}.")
        await self.hub.bus.publish("agents", {"type": "ticket", "ticket": ticket_json(ticket)})
        if was_waiting:
            await self.hub.resume_bot(conv, welcome=False)
            await self.broadcast()
            await self.publish_conversation(conv.id)
        return ticket_json(ticket)

    async def claim(self, agent: Agent, conv_id: str) -> Conversation:
        with self.sessions() as db:
            busy = db.scalar(select(func.count()).select_from(Conversation).where(
                Conversation.assigned_agent_id == agent.id, Conversation.state == "agent")) or 0
        if busy >= agent.capacity:
            raise ApiError(409, "capacity_reached", f"Sie betreuen bereits {busy} Gespräche (Maximum {agent.capacity}).")
        now = utcnow()
        with self.sessions() as db, db.begin():
            won = db.execute(update(Handoff).where(Handoff.conversation_id == conv_id, Handoff.state == "queued")
                             .values(state="claimed", claimed_by=agent.id, claimed_at=now)).rowcount
            if won != 1:
                raise ApiError(409, "already_claimed",
                               "Dieses Gespräch wurde bereits übernommen oder ist nicht mehr in der Warteschlange.")
            conv = db.get(Conversation, conv_id)
            conv.state, conv.assigned_agent_id = "agent", agent.id
        await self.hub.system(conv, f"{agent.name} aus unserem Team ist jetzt für Sie da.",
                              f"{agent.name} aus unserem Team ist jetzt für dich da.")
        await self.broadcast()
        await self.publish_conversation(conv_id)
        return conv

    async def transfer(self, conv: Conversation, target_id: int) -> Conversation:
        with self.sessions() as db, db.begin():
            target = db.get(Agent, target_id)
            if target is None or not target.active:
                raise ApiError(404, "agent_not_found", "Diesen Mitarbeiter gibt es nicht.")
            row = db.get(Conversation, conv.id)
            row.assigned_agent_id = target.id
        await self.hub.system(conv, f"{target.name} übernimmt jetzt Ihr Anliegen.",
                              f"{target.name} übernimmt jetzt dein Anliegen.")
        await self.publish_conversation(conv.id)
        return self.hub.get(conv.id)

    def _finish(self, conv_id: str, state: str, resolution: str | None = None) -> Conversation:
        now = utcnow()
        with self.sessions() as db, db.begin():
            db.execute(update(Handoff).where(Handoff.conversation_id == conv_id,
                                             Handoff.state.in_(("queued", "claimed")))
                       .values(state="done", finished_at=now))
            conv = db.get(Conversation, conv_id)
            conv.state, conv.assigned_agent_id = state, None
            if state == "closed":
                conv.closed_at, conv.resolution = now, resolution
        return conv

    async def hand_back(self, conv: Conversation) -> List[Dict[str, Any]]:
        conv = self._finish(conv.id, "bot")
        await self.publish_conversation(conv.id)
        await self.broadcast()
        return await self.hub.resume_bot(conv, welcome=True)

    async def close(self, conv: Conversation, resolution: str | None, idle: bool = False) -> None:
        conv = self._finish(conv.id, "closed", resolution)
        if idle:
            await self.hub.system(conv, "Das Gespräch wurde beendet, weil eine Weile niemand geschrieben hat. "
                                        "Schreiben Sie uns einfach wieder, wenn Sie noch Fragen haben.",
                                  "Das Gespräch wurde beendet, weil eine Weile niemand geschrieben hat. "
                                  "Schreib uns einfach wieder, wenn du noch Fragen hast.")
        else:
            await self.hub.system(conv, "Das Gespräch wurde beendet. Vielen Dank! Schreiben Sie uns jederzeit wieder.",
                                  "Das Gespräch wurde beendet. Vielen Dank! Schreib uns jederzeit wieder.")
        try:
            await self.hub.resume_bot(conv, welcome=False)
        except Exception:  # noqa: BLE001 - the next customer message must still reach the bot
            log.warning("could not resume tracker of %s on close", conv.id)
        await self.publish_conversation(conv.id)
        await self.broadcast()

    # -- housekeeping --------------------------------------------------------
    async def housekeeping(self) -> None:
        """Auto-away for silent agents, close idle agent conversations."""
        settings = self.hub.settings
        now = utcnow()
        with self.sessions() as db, db.begin():
            db.execute(update(Agent).where(Agent.status == "online", Agent.last_seen_at.is_not(None),
                                           Agent.last_seen_at < now - timedelta(seconds=settings.agent_auto_away_seconds))
                       .values(status="away"))
            idle = list(db.scalars(select(Conversation).where(
                Conversation.state == "agent",
                Conversation.last_message_at < now - timedelta(seconds=settings.agent_idle_close_seconds))))
        for conv in idle:
            await self.close(conv, "Automatisch geschlossen (inaktiv)", idle=True)

    async def housekeeping_loop(self) -> None:
        while True:
            await asyncio.sleep(30)
            try:
                await self.housekeeping()
            except Exception:  # noqa: BLE001
                log.exception("housekeeping failed")

