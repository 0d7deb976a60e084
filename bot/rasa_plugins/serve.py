"""Rasa's own CLI with the project's start-up fixes: `python -m bot.rasa_plugins.serve run ...`.

The supervisor, the tests and the benchmarks start Rasa through this module.
Each fix is a small function with a test that pins the behaviour it keeps;
drop a fix (and its test) when the Rasa version that needs it is gone.

- `install_cached_validator`: Rasa 3.6 checks every action-server response
  with `jsonschema.validate`, which re-checks the schema against its metaschema
  and builds a new validator on every call (~38 % of Rasa's CPU in a profile
  under load, issue #10). The same schema is now compiled once; valid and
  invalid responses are judged exactly as before, with the same error.
- `install_auth_token`: `run` always requires the Rasa token. It comes from
  KD_RASA_TOKEN or the file named by KD_RASA_TOKEN_FILE (the launcher passes
  one of them) and is added to `sys.argv` here, inside the process, so it never
  shows on a command line (`ps`, /proc/<pid>/cmdline). No token: no server.
- `install_sqlite_tuning`: Rasa's SQLTrackerStore opens SQLite with its
  defaults (rollback journal, full fsync on every commit): ~8 % of Rasa's CPU
  under load sat in `commit` (issue #10). Its connections now use WAL with
  synchronous=NORMAL, as the hub's own database does (a power cut can lose the
  last commits, never corrupt the file), and a busy timeout, so several Rasa
  workers can share one tracker file.
- `install_resumed_states`: Rasa recomputes the dialogue states of the whole
  session for every prediction, so a turn got slower the longer the
  conversation was (issue 26.1); past_states.py resumes that loop where the
  previous call stopped. Off with KD_TRACKER_CACHE=0, together with the
  cached tracker store, which gives Rasa's own behaviour for comparison.
- `install_turn_shortcuts` (issue 26.2): the actions named by KD_LOCAL_ACTIONS (`action_faq`)
  run in the worker itself, the same rasa-sdk code without the action-server round trip
  (local_actions.py), and TED's prediction is computed only when it could win (lazy_ted.py,
  off with KD_LAZY_TED=0).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Mapping, MutableMapping

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.rasa_plugins import auth, lazy_ted, local_actions, past_states
from bot.shared.config import SETTINGS

ORIGINAL_VALIDATE = RemoteAction._validate_action_result


def install_cached_validator() -> None:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of on every response
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # what jsonschema.validate raises
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    if type(dbapi_conn).__module__.split(".")[0] != "sqlite3":
        return  # PostgreSQL and others: nothing to tune
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def install_sqlite_tuning() -> None:
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def install_resumed_states(environ: Mapping[str, str] | None = None) -> bool:
    size = int(SETTINGS["KD_TRACKER_CACHE"].read(environ))
    if size <= 0:
        return False
    past_states.install(size)
    return True


def install_turn_shortcuts(
    environ: Mapping[str, str] | None = None, warm: bool = False
) -> Dict[str, Any]:
    """In-process actions (loaded ahead in the background when `warm`) and the lazy TED, as
    configured; returns what was installed."""
    return {
        "local_actions": sorted(
            local_actions.install(SETTINGS["KD_LOCAL_ACTIONS"].read(environ), warm=warm)
        ),
        "lazy_ted": lazy_ted.install(bool(SETTINGS["KD_LAZY_TED"].read(environ))),
    }


def install_auth_token(argv: List[str], environ: MutableMapping[str, str] | None = None) -> None:
    """For `run` (the server, not `run actions`): the token into argv, and into the
    environment, where the project's input channels read the same token."""
    env = os.environ if environ is None else environ
    if argv[1:2] != ["run"] or argv[2:3] == ["actions"]:
        return
    given = ""
    for index, arg in enumerate(argv):
        if arg in ("--auth-token", "-t") and index + 1 < len(argv):
            given = argv[index + 1]
        elif arg.startswith("--auth-token="):
            given = arg.partition("=")[2]
    token = given or auth.secret(auth.RASA_TOKEN, auth.RASA_TOKEN_FILE, env)
    if not token:
        raise SystemExit(
            f"no Rasa token: set {auth.RASA_TOKEN} or {auth.RASA_TOKEN_FILE} "
            "(`python -m bot run` generates one under var/secrets/)"
        )
    env[auth.RASA_TOKEN] = token
    if (
        not given
    ):  # one `--opt=value` word: a token may start with "-", which argparse reads as an option
        argv += [f"--auth-token={token}"]


def main() -> None:
    install_cached_validator()
    install_sqlite_tuning()
    install_resumed_states()
    if sys.argv[1:2] in (["run"], ["test"]) and sys.argv[2:3] != ["actions"]:
        # `test` too: the conversation tests predict as the server does
        install_turn_shortcuts(warm=sys.argv[1:2] == ["run"])
    install_auth_token(sys.argv)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
