"""DNS messages on the wire, only as much as the checks need (RFC 1035 §4, EDNS RFC 6891).

Why not dnspython's message objects: they cost about 0.5 ms of CPU per question and answer
(0.4 ms alone to parse a DKIM key's 500-byte reply), which capped a run at under 1,000
lookups a second. Building a query is a few bytes, and the checks read six record types, so
this module encodes and decodes those directly; dnspython still parses and prints names.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

import dns.ipv6
import dns.name

HEADER = struct.Struct("!HHHHHH")
RR_FIXED = struct.Struct("!HHIH")  # type, class, TTL, rdata length
QTYPE_CLASS = struct.Struct("!HH")
TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28}
EDNS_PAYLOAD = 4096  # big SPF/DKIM answers fit in UDP; beyond that the server sets TC
OPT = b"\x00" + RR_FIXED.pack(41, EDNS_PAYLOAD, 0, 0)
QR, TC, RD = 0x8000, 0x0200, 0x0100
NOERROR, SERVFAIL, NXDOMAIN, REFUSED, YXDOMAIN = 0, 2, 3, 5, 6
MAX_POINTERS = 64  # a compression loop must not hang the parser
MAX_CNAME_HOPS = 16

Labels = tuple[bytes, ...]


class MalformedReply(ValueError):
    """The reply does not parse: the server is treated as failing, like a SERVFAIL."""


@dataclass(frozen=True)
class Question:
    """One question, with the bytes a reply must echo back (RFC 1035 §4.1.2)."""

    name: Labels  # lower-cased labels, for comparisons
    rdtype: int
    wire: bytes  # the question section as sent

    @classmethod
    def make(cls, name: dns.name.Name, rdtype: str) -> Question:
        labels = tuple(label.lower() for label in name.labels if label)
        code = TYPES[rdtype]
        return cls(labels, code, name.to_wire() + QTYPE_CLASS.pack(code, 1))  # type: ignore[operator]

    def query(self, qid: int) -> bytes:
        return HEADER.pack(qid, RD, 1, 0, 0, 1) + self.wire + OPT

    def echoed_by(self, reply: bytes) -> bool:
        """Does ``reply`` answer this question? (Stray and spoofed datagrams do not.)"""
        end = HEADER.size + len(self.wire)
        if len(reply) < end or not reply[2] & (QR >> 8):
            return False
        sent, echoed = self.wire, reply[HEADER.size : end]
        # Names compare without case; the type and class bytes must match exactly.
        return echoed[:-4].lower() == sent[:-4].lower() and echoed[-4:] == sent[-4:]


@dataclass(frozen=True)
class Reply:
    flags: int
    rcode: int
    records: tuple  # normalized as documented on resolver.Lookup
    canonical_name: Labels  # where CNAMEs in the answer led (the question's name when none)
    size: int  # bytes on the wire, for the 512-byte UDP warning


def read_name(wire: bytes, offset: int) -> tuple[Labels, int]:
    """The name at ``offset`` (following compression pointers) and the offset after it."""
    labels: list[bytes] = []
    end = -1
    for _jump in range(MAX_POINTERS):
        while True:
            if offset >= len(wire):
                raise MalformedReply("name runs past the end")
            length = wire[offset]
            if length >= 0xC0:
                if offset + 1 >= len(wire):
                    raise MalformedReply("cut pointer")
                if end < 0:
                    end = offset + 2
                offset = ((length & 0x3F) << 8) | wire[offset + 1]
                break
            if length > 63:
                raise MalformedReply("unknown label type")
            offset += 1
            if length == 0:
                return tuple(labels), end if end >= 0 else offset
            if offset + length > len(wire):
                raise MalformedReply("label runs past the end")
            labels.append(wire[offset : offset + length])
            offset += length
    raise MalformedReply("compression loop")


def name_text(labels: Labels) -> str:
    """A host name as dnspython prints it (escapes included), without the final dot."""
    if not labels:
        return "."
    return dns.name.Name((*labels, b"")).to_text(omit_final_dot=True)


def _rdata(wire: bytes, rdtype: int, start: int, length: int) -> object:
    data = wire[start : start + length]
    if rdtype == 1 and length == 4:
        return socket.inet_ntoa(data)
    if rdtype == 28 and length == 16:
        return dns.ipv6.inet_ntoa(data)
    if rdtype == 16:
        strings = []
        at = 0
        while at < length:
            size = data[at]
            if at + 1 + size > length:
                raise MalformedReply("TXT string runs past its record")
            strings.append(data[at + 1 : at + 1 + size])
            at += 1 + size
        return tuple(strings)
    if rdtype == 15 and length >= 3:
        return (int.from_bytes(data[:2], "big"), name_text(read_name(wire, start + 2)[0]))
    if rdtype in (2, 5, 12):
        return name_text(read_name(wire, start)[0])
    raise MalformedReply(f"bad record of type {rdtype}")


def decode(wire: bytes, question: Question) -> Reply:
    """The answer to ``question`` in ``wire``, following CNAMEs the server included."""
    if len(wire) < HEADER.size:
        raise MalformedReply("short header")
    _qid, flags, qdcount, ancount, _nscount, _arcount = HEADER.unpack_from(wire)
    offset = HEADER.size
    for _ in range(qdcount):
        offset = read_name(wire, offset)[1] + QTYPE_CLASS.size
    answers: list[tuple[Labels, int, int, int]] = []
    for _ in range(ancount):
        owner, offset = read_name(wire, offset)
        if offset + RR_FIXED.size > len(wire):
            raise MalformedReply("record header runs past the end")
        rtype, _rclass, _ttl, length = RR_FIXED.unpack_from(wire, offset)
        offset += RR_FIXED.size
        if offset + length > len(wire):
            raise MalformedReply("record data runs past the end")
        answers.append((tuple(label.lower() for label in owner), rtype, offset, length))
        offset += length
    name = question.name
    for _hop in range(MAX_CNAME_HOPS):
        found = [(at, n) for owner, t, at, n in answers if owner == name and t == question.rdtype]
        if found:
            records = tuple(_rdata(wire, question.rdtype, at, n) for at, n in found)
            return Reply(flags, flags & 0xF, records, name, len(wire))
        alias = [at for owner, t, at, _n in answers if owner == name and t == TYPES["CNAME"]]
        if not alias:
            break
        target = read_name(wire, alias[0])[0]
        name = tuple(label.lower() for label in target)
    return Reply(flags, flags & 0xF, (), name, len(wire))
