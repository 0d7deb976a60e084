"""The hub's input channel into Rasa: the REST channel plus exactly-once turns.

The hub sends every customer message with its own id (`message_id`). Rasa
stores that id on the user event, which makes a retry safe:

- a re-sent message (`"retry": true`: after a timeout, an outage, or when its
  hub died mid-turn) that the tracker already holds -> the stored bot answers
  of that turn are returned, nothing runs twice. First attempts skip this
  look-up: their id is new, and the tracker is not read twice per turn;
- a custom action failed during the turn (action server down or erroring;
  Rasa itself only logs "Bot will continue, but the actions events are lost")
  -> the turn is reverted in the tracker (`UserUtteranceReverted`) and the
  answer carries `{"custom": {"turn_failed": [action names]}}`, so the hub
  keeps the message pending and sends it again later, leaving one user turn.

Failures are seen by wrapping `RemoteAction.run` once, when Rasa imports this
module for credentials.yml; the wrapper only records and re-raises.

Every request needs the Rasa token (auth.py): Rasa guards only its own API
routes, and this channel writes into any conversation's tracker.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from contextlib import contextmanager
from typing import Any, Awaitable, Callable, DefaultDict, Dict, Iterator, List

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_plugins import auth, understanding
from bot.shared import wire

log = logging.getLogger(__name__)
_FAILED: DefaultDict[str, List[str]] = defaultdict(
    list
)  # sender -> remote actions that failed this turn
_original_run = RemoteAction.run


async def _recording_run(
    self: RemoteAction, output_channel: Any, nlg: Any, tracker: DialogueStateTracker, domain: Any
) -> Any:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except Exception:
        _FAILED[tracker.sender_id].append(self.name())
        raise


RemoteAction.run = _recording_run  # type: ignore[method-assign]


@contextmanager
def failures(sender_id: str) -> Iterator[List[str]]:
    """The remote actions that failed for `sender_id` while the block ran."""
    _FAILED.pop(sender_id, None)
    found: List[str] = []
    try:
        yield found
    finally:
        found.extend(_FAILED.pop(sender_id, []))


def bot_message(event: BotUttered) -> Dict[str, Any]:
    """A stored bot event in the shape the collecting output channel returns."""
    data = {key: value for key, value in (event.data or {}).items() if value}
    return {"text": event.text, **data} if event.text else data


def answered_turn(tracker: DialogueStateTracker, message_id: str) -> List[Dict[str, Any]] | None:
    """The bot's answers to the user turn `message_id` if the tracker holds it (not reverted), else None."""
    events = tracker.applied_events()
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered) and event.message_id == message_id:
            answers: List[Dict[str, Any]] = []
            for later in events[index + 1 :]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    answers.append(bot_message(later))
            return answers
    return None


class HubInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "hub"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("hub_webhook", __name__)
        auth.require_token(hook, auth.secret(auth.RASA_TOKEN, auth.RASA_TOKEN_FILE))

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json or {}
            sender_id, text = str(body.get("sender") or ""), str(body.get("message") or "")
            message_id = str(body.get("message_id") or "") or None
            if not sender_id:
                return response.json({"error": "sender missing"}, status=400)
            agent = request.app.ctx.agent
            if message_id and body.get("retry"):
                async with agent.lock_store.lock(sender_id):
                    tracker = await agent.tracker_store.retrieve(sender_id)
                replay = answered_turn(tracker, message_id) if tracker is not None else None
                if replay is not None:
                    log.info(
                        "message %s of %s was answered before: replaying", message_id, sender_id
                    )
                    return response.json(replay + understanding.replayed(tracker, message_id))
            collector = CollectingOutputChannel()
            with failures(sender_id) as failed:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=body.get("metadata"),
                        message_id=message_id,
                    )
                )
            if failed:
                async with agent.lock_store.lock(sender_id):
                    tracker = await agent.tracker_store.retrieve(sender_id)
                    if (
                        tracker is not None
                    ):  # the rewind also undoes the listen before the message: put it back
                        tracker.update(UserUtteranceReverted())
                        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                        await agent.tracker_store.save(tracker)
                log.warning(
                    "turn of %s failed in %s: reverted, the hub will retry",
                    sender_id,
                    ", ".join(failed),
                )
                return response.json([wire.turn_failed_answer(failed)])
            return response.json(
                collector.messages + understanding.taken(message_id)
            )  # + the NLU reading

        return hook
