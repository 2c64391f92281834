"""Domain errors: every refusal has a stable code that clients and docs rely on."""
from __future__ import annotations


class DomainError(Exception):
    """A refused command. ``code`` is stable (documented in docs/api.md), ``message`` is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str | None = None, *, code: str | None = None, details: dict | None = None):
        self.message = message or self.default_message()
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(self.message)

    def default_message(self) -> str:
        return self.code

    def to_dict(self) -> dict:
        """The error for clients: the stable code and the translated message for people."""
        from .error_messages import message_for

        error = {"code": self.code, "message": message_for(self.code, self.message)}
        if error["message"] != self.message:
            error["detail"] = self.message  # the developer's wording, for logs and API users
        if self.details:
            error["details"] = self.details
        return error


class InvalidPayload(DomainError):
    code = "invalid_payload"
    status = 422


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidState(DomainError):
    """The command does not fit the current state (e.g. pause when nothing runs)."""

    code = "invalid_state"
    status = 409


class Conflict(DomainError):
    code = "conflict"
    status = 409
