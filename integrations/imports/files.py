"""Where uploaded import files live: under the var directory, one folder per job file."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings

MAX_NAME = 120
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def uploads_root() -> Path:
    return Path(getattr(settings, "IMPORT_UPLOAD_DIR", settings.VAR_DIR / "imports"))


def safe_name(name: str) -> str:
    base = _UNSAFE.sub("_", Path(name or "upload.csv").name).strip(" .") or "upload.csv"
    return base[-MAX_NAME:]


def store_upload(*, workspace_id: int, name: str, stream: IO[bytes]) -> Path:
    """Copy an upload to its own folder (never trusting the user's file name for the path)."""
    folder = uploads_root() / str(workspace_id) / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(name)
    with open(path, "wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    return path
