from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.stack import start_stack


@pytest.fixture(scope="session")
def stack():
    directory = Path(tempfile.mkdtemp(prefix="kd-stack-"))
    running = start_stack(directory)
    yield running
    running.stop()
