"""Browser tests: Debian chromium driven by Playwright against the real stack."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.stack import start_stack

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update"]


@pytest.fixture(scope="session")
def stack():
    directory = Path(tempfile.mkdtemp(prefix="kd-e2e-"))
    running = start_stack(directory)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()
