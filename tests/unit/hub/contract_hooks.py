"""Schemathesis hooks for test_contract.py, loaded by the `st` process (SCHEMATHESIS_HOOKS).

Authentication as the API defines it: agent operations carry an admin's token; a customer
operation carries the token of the conversation in its path - one seeded by the test, or
any conversation schemathesis created itself (POST /api/v1/conversations, followed through
the document's links in the stateful phase). Operations that end sessions or change
credentials get tokens of expendable agents, so the admin's session survives the run; path
ids never name an agent whose token is in use, so none is deactivated or demoted half-way.
An upload's body (application/octet-stream, "JPEG, PNG, WebP or PDF, checked by content") is a
real file of one of those formats: a schema cannot say which bytes are an image, and random
bytes are refused with 415 (tests/unit/hub/test_attachments.py tests that refusal).
"""

from __future__ import annotations

import io
import json
import os
from typing import Any, Dict, List

import schemathesis
from hypothesis import strategies as st
from PIL import Image

STATE: Dict[str, Any] = json.loads(open(os.environ["KD_CONTRACT_STATE"], encoding="utf-8").read())
TOKENS: Dict[str, str] = {
    STATE["seed"]["conversation_id"]: STATE["seed"]["token"]
}  # conversation -> token
# Sessions of expendable agents, one per use (logging out everywhere has an agent of its own, or it
# would end the others); password and two-factor changes get one more session of the first.
SPARE: Dict[str, List[str]] = {
    "/api/v1/agent/logout": list(STATE["spare_tokens"][1:]),
    "/api/v1/agent/logout-all": list(STATE["last_tokens"]),
}
CREDENTIALS = ("/api/v1/agent/password", "/api/v1/agent/2fa/")
KEEP_SEED = ("/end",)  # operations that would withdraw the seeded conversation's token


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] "
    b"/Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def image_file(fmt: str, mode: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, fmt)
    return out.getvalue()


UPLOAD = st.one_of(
    st.just(PDF),
    st.builds(
        image_file,
        st.sampled_from(["JPEG", "PNG", "WEBP"]),
        st.just("RGB"),
        st.integers(1, 64),
        st.integers(1, 64),
    ),
    st.builds(
        image_file, st.just("PNG"), st.sampled_from(["P", "RGBA", "L"]), st.just(8), st.just(8)
    ),
)
schemathesis.openapi.media_type("application/octet-stream", UPLOAD)


def is_agent_operation(path: str) -> bool:
    return path.startswith("/api/v1/agent/")


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Remember the token of every conversation schemathesis starts."""
    if (
        case.operation.method.upper() == "POST"
        and case.operation.path == "/api/v1/conversations"
        and response.status_code == 201
    ):
        body = response.json()
        TOKENS[body["conversation_id"]] = body["token"]


@schemathesis.hook
def flatmap_path_parameters(context: Any, path_parameters: Dict[str, Any]) -> Any:
    """Half of the generated ids name something that exists, so calls get past the 404."""
    path = context.operation.path if context.operation is not None else ""
    if not path_parameters:
        return st.just(path_parameters)
    choices = [path_parameters]
    if "conversation_id" in path_parameters and not path.endswith(KEEP_SEED):
        choices.append({**path_parameters, "conversation_id": STATE["seed"]["conversation_id"]})
    if (
        "agent_id" in path_parameters
    ):  # deactivate, role: an account no token of this run belongs to
        target = {**path_parameters, "agent_id": str(STATE["target_agent_id"])}
        choices = (
            [target]
            if str(path_parameters["agent_id"]) in STATE["protected_agent_ids"]
            else [*choices, target]
        )
    return st.sampled_from(choices)


@schemathesis.auth(refresh_interval=None)
class HubAuth:
    def get(self, case: Any, context: Any) -> str:
        path = context.operation.path
        if path in SPARE:
            return SPARE[path].pop() if SPARE[path] else "spent-token"
        if path.startswith(CREDENTIALS):
            return str(STATE["spare_tokens"][0])
        if is_agent_operation(path):
            return str(STATE["admin_token"])
        conversation = (case.path_parameters or {}).get("conversation_id")
        return TOKENS.get(str(conversation), "not-a-conversation-token")

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
