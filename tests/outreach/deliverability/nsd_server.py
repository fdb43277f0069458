"""A real authoritative server (NLnet Labs' nsd) on 127.0.0.1, serving zone files from a dict.

The dnslib server in ``dns_server.py`` is quick to reshape per test; this one proves the checks
work against a production server, and is fast enough (tens of thousands of answers a second)
for the benchmark in ``bench/dns_checks.py`` to measure the client rather than the server.

Everything nsd needs (config, zone files, pid file, log) lives in one temporary directory;
nsd runs in the foreground as our child process and is stopped by its process id.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import dns.exception
import dns.message
import dns.query
import dns.rcode

from .dns_server import _free_port

NSD = "/usr/sbin/nsd"
STARTUP_SECONDS = 30.0  # a thousand zones load in about a second; a slow CI box takes longer

CONFIG = """\
server:
    ip-address: 127.0.0.1
    port: {port}
    username: ""
    chroot: ""
    zonesdir: "{dir}"
    pidfile: "{dir}/nsd.pid"
    database: ""
    zonelistfile: "{dir}/zone.list"
    xfrdfile: "{dir}/xfrd.state"
    xfrdir: "{dir}"
    logfile: "{dir}/nsd.log"
    server-count: 1
    verbosity: 1
    hide-version: yes
    refuse-any: yes
    reuseport: no
    # Response rate limiting would drop or truncate a benchmark's bursts from one address.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
"""

ZONE = """\
zone:
    name: "{name}"
    zonefile: "{name}.zone"
"""


def zone_file(origin: str, records: list[str]) -> str:
    """A zone file with the SOA and NS nsd insists on, then ``records`` (zone-file lines)."""
    head = [
        f"$ORIGIN {origin}.",
        "$TTL 3600",
        "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300",
        "@ IN NS ns1",
        "ns1 IN A 127.0.0.1",
    ]
    return "\n".join([*head, *records, ""])


class Nsd:
    """``with Nsd(zones) as nsd:`` — ``zones`` maps an origin to its zone-file lines."""

    def __init__(self, zones: Mapping[str, list[str]], *, program: str = NSD) -> None:
        self.zones = zones
        self.program = program
        self.port = 0
        self.directory: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="kindling-nsd-"))
        self.port = _free_port()
        config = [CONFIG.format(port=self.port, dir=self.directory)]
        for origin, records in self.zones.items():
            origin = origin.rstrip(".").lower()
            (self.directory / f"{origin}.zone").write_text(zone_file(origin, records))
            config.append(ZONE.format(name=origin))
        conf = self.directory / "nsd.conf"
        conf.write_text("".join(config))
        # -d: stay in the foreground, so the process we started is the one we stop.
        self.process = subprocess.Popen(
            [self.program, "-d", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_until_answering(next(iter(self.zones), "."))

    def _wait_until_answering(self, origin: str) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        question = dns.message.make_query(origin, "SOA")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nsd exited: {self.log()}")
            try:
                reply = dns.query.udp(question, "127.0.0.1", port=self.port, timeout=0.2)
            except (OSError, dns.exception.Timeout):
                continue
            if reply.rcode() == dns.rcode.NOERROR and reply.answer:
                return
            time.sleep(0.05)  # up, but still loading zones (it answers REFUSED meanwhile)
        self.stop()
        raise RuntimeError(f"nsd did not answer within {STARTUP_SECONDS:g} s: {self.log()}")

    def log(self) -> str:
        if self.directory is None or not (self.directory / "nsd.log").exists():
            return ""
        return (self.directory / "nsd.log").read_text()[-2000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> Nsd:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def is_listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False
