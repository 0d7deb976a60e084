"""Two-factor codes (TOTP, RFC 6238): 6 digits, 30-second steps, each code usable once."""

from __future__ import annotations

import hmac
import time

import pyotp

ISSUER = "Kundendialog"
TOTP_STEP = 30


def wall_clock() -> float:
    """Seconds since the epoch (a module function, so tests can move two-factor time)."""
    return time.time()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads (as a QR code) to enrol the secret."""
    return pyotp.TOTP(secret, interval=TOTP_STEP).provisioning_uri(name=email, issuer_name=ISSUER)


def totp_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step a 6-digit code belongs to (current ± 1, for clock drift), if it is
    valid and newer than `last_step` (each code works once); else None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_STEP)
    now = wall_clock() if now is None else now
    current = int(now // TOTP_STEP)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP), code) and (
            last_step is None or step > last_step
        ):
            return step
    return None
