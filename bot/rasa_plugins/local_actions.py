"""Custom actions a Rasa worker runs in its own process, without the action-server round trip.

Every FAQ turn ran `action_faq` on the action server: Rasa serialised the whole tracker and the
domain to JSON, posted it, the action server parsed it, ran the action and sent the answer back
(issue 26.2: 11 % of Rasa's busy time under FAQ load, plus the action server's own). The answers
live in company.yml and the unsure readings go to the help pages, so the action is more than a
response template: Sie/du, English, the empathy line, buttons, "wie bitte?", the knowledge-base
routing. Instead of a second copy of that logic as generated responses, the worker runs the very
same rasa-sdk action in-process.

Only the transport changes: `LocalAction` is Rasa's `RemoteAction` whose endpoint hands the request
to rasa-sdk's `ActionExecutor` here instead of posting it; RemoteAction's validation, response
rendering and event parsing stay as they are. The response goes through JSON as on the wire (so
no object an action keeps, such as a module's button list, ends up in Rasa's events). The request
does not: a JSON copy of a long tracker cost 12 % of the worker's time under load, more than the
action, and its dicts are built fresh for the call by `current_state`; rasa-sdk's actions read
the tracker and never change it (the nested parse data and slot values are Rasa's own objects). Which actions run here:
KD_LOCAL_ACTIONS (default `action_faq`); all others still go to the action server, which keeps the
shop's credentials and the slow calls out of the worker. An action can send single turns on to the
action server by a `runs_in_worker(tracker)` method: action_faq answers a sure reading from
company.yml here and sends an unsure one (searched in the help pages) there, so the worker never
loads the knowledge base (its compound splitter's dictionary alone is ~400 MB). A local action gets the domain only when
its domain.yml entry asks for it (`send_domain: true`, Rasa's selective domain): building and
copying the whole domain cost more than the action itself. Installed by bot/rasa_plugins/serve.py.
"""

from __future__ import annotations

import json
import logging
import threading
from functools import lru_cache
from typing import Any, Callable, Dict, FrozenSet, Iterable

import rasa.core.actions.action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.actions.constants import SELECTIVE_DOMAIN
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)
ORIGINAL_LOOKUP: Callable[..., Any] = rasa_action.action_for_name_or_text
PACKAGE = "actions"


@lru_cache(maxsize=1)
def executor() -> Any:
    """rasa-sdk's executor with the project's actions, imported on first use (as the server does)."""
    from rasa_sdk.executor import ActionExecutor

    actions = ActionExecutor()
    actions.register_package(PACKAGE)
    return actions


def wire(data: Any) -> Any:
    """What the other side of an HTTP call would see: a JSON copy."""
    return json.loads(json.dumps(data))


def runs_here(call: Dict[str, Any]) -> bool:
    """Whether the action takes this call in the worker: unless its `runs_in_worker(tracker)` says
    the turn needs what only the action server has (action_faq: the help pages for an unsure
    reading, the shop)."""
    from rasa_sdk.interfaces import Tracker

    run = executor().actions.get(call.get("next_action"))
    check = getattr(getattr(run, "__self__", None), "runs_in_worker", None)
    return check is None or bool(check(Tracker.from_dict(call["tracker"])))


class LocalEndpoint:
    """Stands in for the action endpoint: `request` runs the action here and returns its response,
    or posts it to the action server when the action says this turn is not for the worker."""

    def __init__(self, endpoint: EndpointConfig | None) -> None:
        self.url = "in-process"
        self.remote = endpoint
        self.kwargs: Dict[str, Any] = dict(endpoint.kwargs) if endpoint is not None else {}
        # Rasa's selective domain: the domain (as_dict + copy: 5 ms a call) goes only to an action
        # whose domain.yml entry says `send_domain: true`; action_faq does not read it
        self.kwargs[SELECTIVE_DOMAIN] = True

    async def request(self, json: Dict[str, Any], **kwargs: Any) -> Any:
        from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection

        if self.remote is not None and not runs_here(json):
            return await self.remote.request(json=json, **kwargs)
        try:
            response = await executor().run(json)
        except SdkRejection as rejection:  # the server answers 400; RemoteAction raises this
            raise ActionExecutionRejection(rejection.action_name, rejection.message) from None
        return wire(response or {})


class LocalAction(RemoteAction):
    """Rasa's RemoteAction (validation, responses, events) over the in-process endpoint."""

    def __init__(self, name: str, action_endpoint: EndpointConfig | None) -> None:
        super().__init__(name, action_endpoint)
        self.action_endpoint = LocalEndpoint(action_endpoint)  # type: ignore[assignment]


def lookup(names: FrozenSet[str]) -> Callable[..., Any]:
    def action_for_name_or_text(
        action_name_or_text: str, domain: Domain, action_endpoint: EndpointConfig | None
    ) -> Any:
        action = ORIGINAL_LOOKUP(action_name_or_text, domain, action_endpoint)
        if type(action) is RemoteAction and action_name_or_text in names:
            return LocalAction(action_name_or_text, action_endpoint)
        return action

    return action_for_name_or_text


def warm_up() -> None:
    """Import the actions before the first customer needs them."""
    try:
        executor()
    except Exception:  # noqa: BLE001 - the first turn tries again, and logs why
        log.exception("local actions not loaded at start")


def install(names: Iterable[str], warm: bool = True) -> FrozenSet[str]:
    """Route `names` to the in-process executor (nothing when empty); returns them."""
    chosen = frozenset(n for n in names if n)
    rasa_action.action_for_name_or_text = lookup(chosen) if chosen else ORIGINAL_LOOKUP
    if chosen and warm:
        threading.Thread(target=warm_up, name="local-actions-warm-up", daemon=True).start()
    return chosen
