"""The action server: rasa-sdk's own (`python -m rasa_sdk`), plus a shared secret.

`python -m bot.rasa_plugins.action_server --actions actions -p 5055`
takes rasa-sdk's arguments. Every request except `/health` must present the
action-server secret (auth.py): without it anything that reaches the port
could run any action with a forged tracker (e.g. one that claims the order was
verified). Rasa sends the secret as a bearer header (var/endpoints.yml, 0600).
The secret comes from KD_ACTIONS_TOKEN or the file named by
KD_ACTIONS_TOKEN_FILE, never from the command line; none configured: no server.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import pluggy
from sanic import Sanic
from sanic.request import Request

from bot.rasa_plugins import auth

log = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = frozenset({"/health"})  # liveness for the supervisor and tests; reveals nothing


def require_secret(app: Sanic, secret: str) -> None:
    """A request middleware: 401 for a missing or wrong secret, before any route runs."""

    @app.middleware("request")
    async def check_secret(request: Request) -> Any:
        if request.path in OPEN_PATHS or auth.matches(auth.presented(request), secret):
            return None
        log.warning(
            "refused %s %s: missing or wrong action-server secret", request.method, request.path
        )
        return auth.unauthorized()


class SecretPlugin:
    """rasa-sdk's plugin hook: attaches the check to the app rasa-sdk builds and runs."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        require_secret(app, self.secret)


def warm_knowledge_base() -> None:
    """Load the help pages' index before the first question needs it: a first load reads the
    encoder and may encode every passage, longer than a customer should wait (actions/knowledge.py)."""
    try:
        from bot.knowledge.search import KnowledgeBase

        KnowledgeBase.current()
    except Exception:  # noqa: BLE001 - the first question tries again, and logs why
        log.exception("knowledge base not loaded at start")


def main() -> None:
    secret = auth.secret(auth.ACTIONS_TOKEN, auth.ACTIONS_TOKEN_FILE)
    if not secret:
        raise SystemExit(
            f"no action-server secret: set {auth.ACTIONS_TOKEN} or {auth.ACTIONS_TOKEN_FILE} "
            "(`python -m bot run` generates one under var/secrets/)"
        )
    from rasa_sdk.__main__ import main as sdk_main
    from rasa_sdk.plugin import plugin_manager

    plugin_manager().register(SecretPlugin(secret))
    threading.Thread(target=warm_knowledge_base, name="knowledge-warm-up", daemon=True).start()
    sdk_main()


if __name__ == "__main__":
    main()
