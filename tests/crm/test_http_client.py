"""Outbound fetches of user-given URLs never reach private addresses — tested on real sockets."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crm.net.http import FetchFailed, UnsafeURL, public_get
from outreach.deliverability.mta_sts_fetch import mta_sts_policy_fetch

POLICY = b"version: STSv1\nmode: enforce\nmx: mail.example.test\nmax_age: 86400\n"


class _Handler(BaseHTTPRequestHandler):
    seen_hosts: list[str] = []

    def do_GET(self) -> None:
        _Handler.seen_hosts.append(self.headers.get("Host", ""))
        if self.path.startswith("/to-metadata"):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        if self.path.startswith("/hop"):
            self.send_response(301)
            self.send_header("Location", "/.well-known/mta-sts.txt")
            self.end_headers()
            return
        body = b"x" * 5000 if self.path == "/big" else POLICY
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _serve(context: ssl.SSLContext | None = None) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def port() -> Iterator[int]:
    _Handler.seen_hosts = []
    yield from _serve()


def _loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://2130706433:{port}/",  # 127.0.0.1 written as one number
        "http://0.0.0.0:{port}/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_private_and_loopback_addresses_are_refused(port, url):
    with pytest.raises(UnsafeURL):
        public_get(url.format(port=port), timeout=1)
    assert _Handler.seen_hosts == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://example.com/", "http://user:pw@example.com/", "http://[x"],
)
def test_only_plain_http_urls_are_fetched(url):
    with pytest.raises(UnsafeURL):
        public_get(url)


def test_a_name_with_one_private_answer_is_refused(port):
    # A rebinding name answers a public and a private address: refused outright.
    with pytest.raises(UnsafeURL):
        public_get(
            f"http://policy.example.test:{port}/", resolve=lambda h, p: ["192.0.2.1", "127.0.0.1"]
        )


def test_an_allowed_host_is_fetched_on_the_checked_address_with_its_name(port, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = ["policy.example.test"]
    got = public_get(f"http://policy.example.test:{port}/hop", resolve=_loopback, max_bytes=10_000)
    assert (got.status, got.body, got.truncated) == (200, POLICY, False)
    assert got.url == f"http://policy.example.test:{port}/.well-known/mta-sts.txt"
    assert _Handler.seen_hosts == [f"policy.example.test:{port}"] * 2


def test_a_redirect_to_a_private_address_is_refused(port, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    with pytest.raises(UnsafeURL):
        public_get(f"http://127.0.0.1:{port}/to-metadata")


def test_bodies_stop_at_the_size_limit(port, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    got = public_get(f"http://127.0.0.1:{port}/big", max_bytes=1000)
    assert got.truncated and len(got.body) == 1000


def test_a_closed_port_is_a_fetch_failure(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    with pytest.raises(FetchFailed):
        public_get("http://127.0.0.1:9/", timeout=1)


def _certificates(folder: Path, name: str) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)

    def subject(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(subject("test CA"))
        .issuer_name(subject("test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject(name))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def test_https_checks_the_certificate_against_the_name_not_the_pinned_address(tmp_path, settings):
    ca, cert, key = _certificates(tmp_path, "mta-sts.example.test")
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    trust = ssl.create_default_context(cafile=str(ca))
    settings.OUTBOUND_ALLOW_PRIVATE = ["mta-sts.example.test", "other.example.test"]
    for https_port in _serve(server_context):
        got = public_get(
            f"https://mta-sts.example.test:{https_port}/.well-known/mta-sts.txt",
            resolve=_loopback,
            verify=trust,
        )
        assert got.status == 200 and got.body == POLICY
        with pytest.raises(FetchFailed):
            # Same server, but its certificate is not for this name.
            public_get(f"https://other.example.test:{https_port}/", resolve=_loopback, verify=trust)


def test_the_mta_sts_policy_is_fetched_over_https_without_redirects(tmp_path, settings):
    ca, cert, key = _certificates(tmp_path, "mta-sts.example.test")
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    trust = ssl.create_default_context(cafile=str(ca))
    settings.OUTBOUND_ALLOW_PRIVATE = ["mta-sts.example.test"]
    for https_port in _serve(server_context):
        fetch = functools.partial(
            mta_sts_policy_fetch, resolve=_loopback, verify=trust, port=https_port
        )
        assert asyncio.run(fetch("example.test")) == POLICY.decode()
        # The RFC forbids following redirects: a policy behind one is no policy.
        assert (
            public_get(
                f"https://mta-sts.example.test:{https_port}/hop",
                resolve=_loopback,
                verify=trust,
                max_redirects=0,
            ).status
            == 301
        )
        # Without the allowance, the same name on a private address is never fetched.
        settings.OUTBOUND_ALLOW_PRIVATE = []
        assert asyncio.run(fetch("example.test")) is None
