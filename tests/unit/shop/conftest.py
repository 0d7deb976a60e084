"""Shop tests that touch the local database get a freshly seeded demo shop."""

from __future__ import annotations

import os
import ssl
import subprocess
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp import web


@pytest.fixture()
def shop_db() -> str:
    from bot.shop import ledger
    from bot.shop.demo_seed import seed

    seed(os.environ["KD_SHOP_DATABASE_URL"])
    ledger.clear_verify_failures()
    return os.environ["KD_SHOP_DATABASE_URL"]


@pytest.fixture()
async def tls_server(tmp_path: Path) -> AsyncIterator[str]:
    """A server with a self-signed certificate (openssl), which no trust store knows."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    app = web.Application()
    app.router.add_get("/x", lambda request: web.json_response({}))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"https://127.0.0.1:{port}"
    await runner.cleanup()
