"""Domain errors raised by services; the API and the UI turn them into 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a user can act on."""

    status = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def __str__(self) -> str:
        if not self.errors:
            return self.message
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())
        return f"{self.message} ({details})"


class ValidationFailed(DomainError):
    """Input broke a rule; ``errors`` maps field names to messages."""

    status = 422

    @classmethod
    def field(cls, name: str, message: str) -> ValidationFailed:
        return cls(message, errors={name: [message]})


class Conflict(DomainError):
    """The change clashes with current state (a duplicate, a full list, a stale move)."""

    status = 409

    def __init__(self, message: str, *, existing_id: int | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(message, **kwargs)
        self.existing_id = existing_id


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    """The thing named does not exist in this workspace (shown as a 404)."""

    status = 404
