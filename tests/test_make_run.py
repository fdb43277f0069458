"""`make run` (scripts/run.sh): Ctrl-C stops the web server, the worker and beat within 10
seconds, and the output carries no warning a newcomer has to read past."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "celery").exists() or not Path("/proc").is_dir(),
    reason="needs the project's .venv (make install) and Linux /proc",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of the process group."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _as_from_a_terminal() -> None:
    # A job started from a script inherits SIGINT ignored; a terminal's foreground job does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_everything_within_ten_seconds_without_warning_noise(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SITE_URL", "HOST", "PORT"}
    }
    env.update({"KINDLING_VAR_DIR": str(tmp_path), "PORT": str(port)})
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        run = subprocess.Popen(
            ["./scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives a job
            preexec_fn=_as_from_a_terminal,
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace")
            # Web answering, worker banner ([queues]) and beat banner (Configuration) shown.
            banners = "[queues]" in text and "Configuration ->" in text
            if banners and answers(f"http://127.0.0.1:{port}/login/"):
                break
            assert run.poll() is None, text
            time.sleep(0.2)
        else:
            pytest.fail(f"make run did not come up:\n{log.read_text(errors='replace')}")
        time.sleep(2)  # the worker's consumer and beat's first tick are under way

        started = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        while group_members(run.pid) and time.monotonic() - started < 30:
            time.sleep(0.05)
        stopped_after = time.monotonic() - started
    finally:
        for pid in group_members(run.pid):
            os.kill(pid, signal.SIGKILL)
        run.wait(timeout=10)

    assert stopped_after < 10, f"stopped after {stopped_after:.1f} s"
    assert "No hostname was supplied" not in log.read_text(errors="replace")
