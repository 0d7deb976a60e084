"""Secrets generated on first use and kept in files only their owner can read (var/secrets/)."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def ensure_secret(path: Path) -> str:
    """The secret stored in `path`, created on first use (256 random bits, file 0600, directory 0700).

    Written under a temporary name and linked into place, so processes that
    start at the same time agree on one value and nobody reads a half-written file.
    """
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mkstemp: mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(secrets.token_urlsafe(32) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process was first: use its secret
        finally:
            os.unlink(tmp)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # e.g. written by hand with the default umask
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise RuntimeError(
            f"{path} is empty: delete it (a new secret is generated) or write a secret into it"
        )
    return value
