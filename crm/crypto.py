"""Secrets at rest (SMTP/IMAP passwords, webhook secrets): Fernet with ENCRYPTION_KEY.

The key lives outside the database (env or var/encryption_key), so a leaked dump leaks no
passwords. ``ENCRYPTION_KEY`` may hold several comma-separated keys: the first encrypts, all
decrypt, which lets an operator rotate keys without downtime.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt(value: str) -> str:
    return _fernet(settings.ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("A stored secret cannot be decrypted with ENCRYPTION_KEY") from None


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code sees plain text. Not searchable, by design."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
