"""A keyed, ordered collection of entries that apps fill once at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured


class Entry(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


E = TypeVar("E", bound=Entry)


class Registry(Generic[E]):
    """Entries by key, listed by ``order`` then registration order.

    Registering the same entry twice is a no-op (``ready()`` may run again in a test process);
    another entry under a taken key is a start-up error, not a silent override.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, E] = {}

    def register(self, entry: E) -> E:
        existing = self._entries.get(entry.key)
        if existing is not None and existing != entry:
            raise ImproperlyConfigured(f"Two {self.kind} are registered as {entry.key!r}.")
        self._entries[entry.key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str) -> E | None:
        return self._entries.get(key)

    def all(self) -> list[E]:
        return sorted(self._entries.values(), key=lambda e: e.order)  # stable: keeps insertion

    @contextmanager
    def temporarily(self, *entries: E) -> Iterator[None]:
        """Entries present only inside the ``with`` block (tests)."""
        saved = dict(self._entries)
        try:
            for entry in entries:
                self.register(entry)
            yield
        finally:
            self._entries = saved
