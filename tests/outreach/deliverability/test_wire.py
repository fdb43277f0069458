"""The DNS wire codec the client uses instead of dnspython's message objects."""

from __future__ import annotations

import dns.message
import dns.name
import dns.rcode
import dns.rrset
import pytest

from outreach.deliverability.wire import NXDOMAIN, MalformedReply, Question, decode, read_name


def question(name: str, rdtype: str) -> Question:
    return Question.make(dns.name.from_text(name), rdtype)


def reply_to(q: Question, *records: tuple[str, str, str], rcode: int = 0) -> bytes:
    """A reply built by dnspython (with name compression), to the query we would send."""
    message = dns.message.from_wire(q.query(4242))
    response = dns.message.make_response(message)
    response.set_rcode(dns.rcode.Rcode(rcode))
    for name, rdtype, value in records:
        owner = dns.name.from_text(name)
        response.answer.append(dns.rrset.from_text(owner, 60, "IN", rdtype, value))
    return response.to_wire()


def test_it_reads_each_record_type_the_checks_ask_for() -> None:
    cases = [
        ("example.com", "A", "192.0.2.1", "192.0.2.1"),
        ("example.com", "AAAA", "2001:db8::1", "2001:db8::1"),
        ("example.com", "MX", "10 mx.example.com.", (10, "mx.example.com")),
        ("example.com", "MX", "0 .", (0, ".")),
        ("1.2.0.192.in-addr.arpa", "PTR", "host.example.com.", "host.example.com"),
        ("example.com", "TXT", '"v=spf1 " "-all"', (b"v=spf1 ", b"-all")),
    ]
    for name, rdtype, text, expected in cases:
        q = question(name, rdtype)
        assert decode(reply_to(q, (name, rdtype, text)), q).records == (expected,)


def test_it_follows_cnames_in_the_answer_without_regard_to_case() -> None:
    q = question("www.example.com", "A")
    wire = reply_to(
        q,
        ("WWW.example.com", "CNAME", "edge.cdn.example."),
        ("edge.CDN.example", "A", "192.0.2.7"),
    )
    reply = decode(wire, q)
    assert reply.records == ("192.0.2.7",)
    assert reply.canonical_name == (b"edge", b"cdn", b"example")


def test_nxdomain_is_a_code_not_an_error() -> None:
    q = question("gone.example.com", "TXT")
    reply = decode(reply_to(q, rcode=NXDOMAIN), q)
    assert reply.rcode == NXDOMAIN and reply.records == ()


def test_a_reply_to_another_question_is_not_taken() -> None:
    q = question("example.com", "TXT")
    assert q.echoed_by(reply_to(q))
    assert q.echoed_by(reply_to(question("EXAMPLE.com", "TXT")))  # case may differ
    assert not q.echoed_by(reply_to(question("example.com", "MX")))
    assert not q.echoed_by(reply_to(question("example.net", "TXT")))
    assert not q.echoed_by(q.query(1))  # a query, not a reply


@pytest.mark.parametrize(
    "wire",
    [
        b"\x00" * 5,  # shorter than a header
        b"\x00" * 4 + b"\x00\x01" + b"\x00" * 6 + b"\xc0\x0c",  # a pointer to itself
        b"\x00" * 4 + b"\x00\x01" + b"\x00" * 6 + b"\x07exam",  # a label cut short
    ],
)
def test_broken_replies_raise_instead_of_hanging(wire: bytes) -> None:
    with pytest.raises(MalformedReply):
        decode(wire, question("example.com", "TXT"))


def test_names_read_through_compression_pointers() -> None:
    wire = b"\x07example\x03com\x00" + b"\x03www\xc0\x00"
    assert read_name(wire, 13) == ((b"www", b"example", b"com"), 19)
