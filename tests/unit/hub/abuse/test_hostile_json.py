"""Hostile JSON: a body nested thousands of levels deep makes a recursive parser (or the code walking
the result) exhaust the stack, and NaN/Infinity, which Python accepts, break PostgreSQL's JSON
columns later. Both are a 400 before anything is stored."""

from __future__ import annotations

import pytest

from bot.hub.web.body import MAX_DEPTH
from tests.unit.hub.conftest import stored


@pytest.mark.parametrize(
    "body",
    [
        "[" * 30000 + "]" * 30000,
        '{"a":' * 6000 + "1" + "}" * 6000,
        '{"channel": "webchat", "metadata": '
        + '{"a":' * (MAX_DEPTH + 1)
        + "1"
        + "}" * (MAX_DEPTH + 2),
    ],
)
async def test_deeply_nested_json_is_a_400_and_nothing_is_stored(client, body):
    resp = await client.post(
        "/api/v1/conversations", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_json"
    assert await stored(client) == (0, 0, 0)


async def test_nan_and_infinity_are_not_json(client):
    """Python would parse them; PostgreSQL's JSON columns would then fail with a 500."""
    for constant in ("NaN", "Infinity", "-Infinity"):
        resp = await client.post(
            "/api/v1/conversations",
            data='{"metadata": {"score": ' + constant + "}}",
            headers={"Content-Type": "application/json"},
        )
        assert resp.status == 400, constant
    assert await stored(client) == (0, 0, 0)
