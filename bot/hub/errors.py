"""Domain errors. Services raise these; the hub's one error middleware maps them to HTTP.

Each carries a stable machine `code` and a German `message` for the client.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist (or is not configured)."""


class AuthenticationFailed(DomainError):
    """Missing, wrong or expired credentials."""


class PermissionDenied(DomainError):
    """Known caller, not allowed to do this (or a signature/verify token that does not match)."""


class Conflict(DomainError):
    """The request clashes with the current state (already claimed, not assigned, capacity)."""


class InvalidInput(DomainError):
    """A field has the wrong type or value."""


class TooLong(InvalidInput):
    """A text exceeds its limit."""


class MalformedRequest(DomainError):
    """The body is not (an object of) JSON."""


class UnsupportedMediaType(DomainError):
    """The body is not application/json."""


class RateLimited(DomainError):
    def __init__(self, code: str, message: str, retry_after: int) -> None:
        super().__init__(code, message)
        self.retry_after = retry_after
