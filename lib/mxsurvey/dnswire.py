"""The parts of the DNS message format (RFC 1035, EDNS of RFC 6891) that
mxlookup needs: a query for one name and type, and the answer section of a
response, read only as far as CNAME, MX, A and AAAA records go.

dnspython parses whole messages into objects, which costs 80 to 170 us per
answer: more than the rest of a lookup together.  So the hot path reads the
wire itself, and dnspython is kept for what it does once per name: turning
input text into a name, and a name into escaped presentation text.

A name here is its wire form in lower case (`b"\\x07example\\x03com\\x00"`):
it is what a query carries, a dictionary key, and it compares without
regard to case, as DNS names do.
"""

import re
import socket
import struct

import dns.flags
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype

A = int(dns.rdatatype.A)
AAAA = int(dns.rdatatype.AAAA)
CNAME = int(dns.rdatatype.CNAME)
MX = int(dns.rdatatype.MX)
NS = int(dns.rdatatype.NS)
SOA = int(dns.rdatatype.SOA)
IN = int(dns.rdataclass.IN)

NOERROR = int(dns.rcode.NOERROR)
NXDOMAIN = int(dns.rcode.NXDOMAIN)

ROOT = b"\0"
EDNS_PAYLOAD = 1232  # what fits in one unfragmented packet on any path (DNS flag day 2020)

_HEADER = struct.Struct("!HHHHHH")
_TYPE_CLASS = struct.Struct("!HH")
_RR_FIXED = struct.Struct("!HHIH")  # type, class, TTL, data length
_PREFERENCE = struct.Struct("!H")
_QUERY_FLAGS = int(dns.flags.RD)
_OPT = b"\0" + _RR_FIXED.pack(int(dns.rdatatype.OPT), EDNS_PAYLOAD, 0, 0)
_QR = int(dns.flags.QR)
_AA = int(dns.flags.AA)
_TC = int(dns.flags.TC)
_OPCODE_MASK = 0x7800
_POINTER = 0xC0
_MAX_NAME = 255
_PLAIN_TEXT = re.compile(rb"[a-z0-9_.-]+")


class BadMessage(ValueError):
    """Bytes that are not a well-formed DNS response."""


class Response:
    """What a response says about its question.

    `records` holds the answer section's CNAME, MX, A and AAAA records of
    class IN as (owner, type, value): a name for CNAME, (preference, name)
    for MX, the address text for A and AAAA.  `additional` holds those of
    the additional section, read for MX questions only (it may carry the
    exchangers' addresses).  `referral` is true for a response that answers
    nothing and points at other servers instead.
    """

    __slots__ = ("rcode", "truncated", "records", "additional", "referral")

    def __init__(self, rcode, truncated, records, additional, referral):
        self.rcode = rcode
        self.truncated = truncated
        self.records = records
        self.additional = additional
        self.referral = referral


def name_from_dns(name):
    """The lower-case wire form of a dnspython name."""
    return name.canonicalize().to_wire()


def name_text(wire):
    """Presentation text without the final dot; odd bytes escaped as \\DDD.

    A name of letters, digits, hyphens and underscores needs no escaping, so
    it is written here directly; dnspython writes the rest.
    """
    labels = []
    offset = 0
    while wire[offset]:
        end = offset + 1 + wire[offset]
        labels.append(wire[offset + 1:end])
        offset = end
    text = b".".join(labels)
    if _PLAIN_TEXT.fullmatch(text) and text.count(b".") == len(labels) - 1:
        return text.decode("ascii")
    return dns.name.from_wire(wire, 0)[0].to_text(omit_final_dot=True)


def query(query_id, qname, qtype):
    """A recursive query (RD) for one name and type, with an EDNS payload size."""
    return (_HEADER.pack(query_id, _QUERY_FLAGS, 1, 0, 0, 1) + qname
            + _TYPE_CLASS.pack(qtype, IN) + _OPT)


def response_id(wire):
    return (wire[0] << 8) | wire[1]


def read_response(wire, qname, qtype):
    """The Response in `wire` if it answers (qname, qtype), else None.

    Raises BadMessage for a response to this question that cannot be read.
    """
    if len(wire) < _HEADER.size:
        return None
    _, flags, qdcount, ancount, nscount, arcount = _HEADER.unpack_from(wire)
    if not flags & _QR or flags & _OPCODE_MASK or qdcount != 1:
        return None
    end = _HEADER.size + len(qname)
    if (wire[_HEADER.size:end].lower() != qname
            or wire[end:end + 4] != _TYPE_CLASS.pack(qtype, IN)):
        return None
    try:
        records, offset = _read_records(wire, end + 4, ancount)
    except (IndexError, struct.error) as error:
        raise BadMessage(f"truncated response: {error}") from None
    try:
        authority_types, offset = _record_types(wire, offset, nscount)
        additional = _read_records(wire, offset, arcount)[0] if qtype == MX else ()
    except (IndexError, struct.error, BadMessage):  # extras only: do without them
        authority_types, additional = set(), ()
    referral = (not ancount and not flags & _AA
                and NS in authority_types and SOA not in authority_types)
    return Response(flags & 0xF, bool(flags & _TC), records, additional, referral)


def _read_records(wire, offset, count):
    records = []
    for _ in range(count):
        owner, offset = _read_name(wire, offset)
        rtype, rclass, _, length = _RR_FIXED.unpack_from(wire, offset)
        offset += _RR_FIXED.size
        data_end = offset + length
        if data_end > len(wire):
            raise BadMessage("record data runs past the end of the message")
        if rclass == IN:
            if rtype == A and length == 4:
                records.append((owner, A, socket.inet_ntop(socket.AF_INET, wire[offset:data_end])))
            elif rtype == AAAA and length == 16:
                records.append((owner, AAAA, socket.inet_ntop(socket.AF_INET6, wire[offset:data_end])))
            elif rtype == MX and length > 2:
                preference = _PREFERENCE.unpack_from(wire, offset)[0]
                exchange = _read_name(wire, offset + 2)[0]
                records.append((owner, MX, (preference, exchange)))
            elif rtype == CNAME:
                records.append((owner, CNAME, _read_name(wire, offset)[0]))
        offset = data_end
    return records, offset


def _record_types(wire, offset, count):
    """The types of a section's records, and the offset after them."""
    types = set()
    for _ in range(count):
        offset = _skip_name(wire, offset)
        rtype, _, _, length = _RR_FIXED.unpack_from(wire, offset)
        types.add(rtype)
        offset += _RR_FIXED.size + length
    return types, offset


def _read_name(wire, offset):
    """The name at `offset` (lower case, compression undone) and the offset
    after it where it is written."""
    labels = []
    size = 1
    after = None
    jumps = 0
    while True:
        length = wire[offset]
        if length == 0:
            offset += 1
            break
        if length >= _POINTER:
            if after is None:
                after = offset + 2
            jumps += 1
            if jumps > _MAX_NAME:
                raise BadMessage("compression pointers loop")
            offset = ((length & 0x3F) << 8) | wire[offset + 1]
            continue
        if length > 63:
            raise BadMessage("bad label type")
        size += length + 1
        if size > _MAX_NAME:
            raise BadMessage("name longer than 255 bytes")
        labels.append(wire[offset:offset + length + 1])
        offset += length + 1
    if len(wire) < offset:
        raise BadMessage("name runs past the end of the message")
    return b"".join(labels).lower() + ROOT, after if after is not None else offset


def _skip_name(wire, offset):
    """The offset after the name written at `offset`."""
    while True:
        length = wire[offset]
        if length >= _POINTER:
            return offset + 2
        if length == 0:
            return offset + 1
        offset += length + 1
