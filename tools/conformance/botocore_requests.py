#!/usr/bin/env python3
"""Conformance cases for the server side of request parsing, made by botocore, the reference client.

Usage: botocore_requests.py [--models DIR] [--seed N] [--cases N] [--max-ops N] SERVICE[:PROTOCOL] ...

For each service (and wire protocol: the model's own by default, or any botocore protocol name such as
``cloudwatch:query`` or ``sqs:query``), walks the operations of the model (at most --max-ops, chosen
deterministically), generates a deterministic pseudo-random valid input for each, serializes it exactly
as botocore's client would put it on the wire (serializer, then prepare_request_dict and AWSRequest)
and prints one JSON line per case:

  {"service", "protocol", "operation", "case", "input": <tagged JSON>,
   "request": {"method", "path", "query", "headers": [[name, value], ...], "body": <base64>}}

or, when no valid input could be made, {"service", "protocol", "operation", "case", "skip": reason}.

Tagged JSON: timestamps are {"$timestamp": "2021-03-04T05:06:07.123Z"}, blobs {"$blob": base64},
non-finite floats {"$float": "NaN"|"Infinity"|"-Infinity"}, jsonvalue strings {"$json": value};
everything else is plain JSON (documents untouched).
"""
import argparse
import base64
import datetime
import gzip
import json
import math
import os
import random
import re
import string
import sys
from urllib.parse import parse_qsl, urlsplit

try:
    import re._parser as sre_parse  # Python 3.11+
    import re._constants as sre_constants
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants

import botocore.session
from botocore import serialize
from botocore.model import ServiceModel
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.exceptions import ParamValidationError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "overlays"))
import overlay  # noqa: E402  (tools/overlays/overlay.py)

XML_WIRES = ("query", "ec2", "rest-xml")
ENDPOINT = "http://localhost:4566"
MAX_DEPTH = 4
UTC = datetime.timezone.utc

# Pools for generated strings: plain, XML-special, BMP and non-BMP unicode, whitespace.
ASCII = string.ascii_letters + string.digits
SPECIAL = "<>&'\"-_.~!*()=+:;,@$%#[]{}|^`?/\\"
UNICODE = "éüßñøÅ中文字日本語한국어Ωπ€"
NON_BMP = "😀🎉𝄞𠜎🚀"
WHITESPACE = " \n\t"
HEADER_SAFE = ASCII + "-_.~!*()=+:;,@$%#[]{}|^`?/\\<>&'\" "


# Operations always covered when the model has them (the rest is an even sample of the sorted names).
PRIORITY = {
    "PutObject", "GetObject", "HeadObject", "CopyObject", "DeleteObjects", "ListObjectsV2", "UploadPart",
    "CompleteMultipartUpload", "PutBucketTagging", "GetBucketLocation", "SendMessage", "ReceiveMessage",
    "SendMessageBatch", "PutItem", "Query", "BatchWriteItem", "TransactWriteItems", "Invoke", "CreateFunction",
    "PutRecords", "PutLogEvents", "PutMetricData", "GetMetricData", "Publish", "AssumeRole",
    "ChangeResourceRecordSets", "RunInstances", "DescribeInstances", "CreateStack", "PutParameter",
    "Encrypt", "CreateSecret", "StartExecution",
}


# Operations whose wire form is ambiguous by model: S3's deprecated notification shapes put two members
# (Event and the flattened Events) on the same <Event> element, so no reader can tell them apart.
# Deprecated S3 operations that are byte-for-byte the same request as their successor (the server
# answers as the successor) and S3 Express's ListDirectoryBuckets, the same request as ListBuckets on
# another endpoint, are left out for the same reason.
AMBIGUOUS = {"GetBucketNotification", "PutBucketNotification", "GetBucketLifecycle", "PutBucketLifecycle",
             "ListDirectoryBuckets"}


def selected_operations(model, max_ops):
    """Sorted names minus event-stream and AMBIGUOUS operations, evenly thinned to max_ops, plus PRIORITY ones."""
    names = []
    for name in sorted(model.operation_names):
        if name in AMBIGUOUS:
            continue
        op = model.operation_model(name)
        if op.has_event_stream_input or op.has_event_stream_output:
            continue
        names.append(name)
    if len(names) <= max_ops:
        return names
    chosen = {n for n in names if n in PRIORITY}
    rest = [n for n in names if n not in chosen]
    slots = max(0, max_ops - len(chosen))
    chosen.update(rest[(i * len(rest)) // slots] for i in range(slots))
    return [n for n in names if n in chosen]


def effective_timestamp_format(shape, location, protocol):
    fmt = shape.serialization.get("timestampFormat")
    if fmt:
        return fmt.lower()
    if location == "header":
        return "rfc822"
    if location in ("uri", "querystring"):
        return "iso8601"
    return "unixtimestamp" if protocol in ("json", "rest-json", "smithy-rpc-v2-cbor") else "iso8601"


class RegexGen:
    """Generates a random string matching a (Python-compatible) regular expression, or raises ValueError."""

    POOL = ASCII + "-_.:/=+@ ,;!*()" + "é中"

    def __init__(self, rnd, stretch=6):
        self.rnd = rnd
        self.stretch = stretch  # how far past its minimum a repetition may go

    def generate(self, pattern):
        try:
            tree = sre_parse.parse(pattern)
        except Exception as e:  # re.error, or Java-only syntax like \p{L}
            raise ValueError(f"pattern not usable: {e}")
        return self._seq(tree)

    def _seq(self, items):
        return "".join(self._item(op, av) for op, av in items)

    def _item(self, op, av):
        c = sre_constants
        if op == c.LITERAL:
            return chr(av)
        if op == c.NOT_LITERAL:
            return self._pick(lambda ch: ord(ch) != av)
        if op == c.ANY:
            return self._pick(lambda ch: ch != "\n")
        if op == c.IN:
            return self._pick(lambda ch: self._in_set(av, ch))
        if op == c.BRANCH:
            return self._seq(self.rnd.choice(av[1]))
        if op == c.SUBPATTERN:
            return self._seq(av[-1])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            lo, hi, body = av
            hi = lo + self.stretch if hi == c.MAXREPEAT else min(hi, lo + self.stretch)
            return "".join(self._seq(body) for _ in range(self.rnd.randint(lo, hi)))
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return ""  # anchors and look-arounds: the caller checks the result against the whole pattern
        if op == c.CATEGORY:
            return self._pick(lambda ch: self._category(av, ch))
        raise ValueError(f"unsupported regex construct {op}")

    def _pick(self, accept):
        candidates = [ch for ch in self.POOL if accept(ch)]
        if not candidates:
            candidates = [chr(i) for i in range(32, 127) if accept(chr(i))]
        if not candidates:
            raise ValueError("no character matches")
        return self.rnd.choice(candidates)

    def _in_set(self, items, ch):
        negate = False
        hit = False
        c = sre_constants
        for op, av in items:
            if op == c.NEGATE:
                negate = True
            elif op == c.LITERAL:
                hit |= ord(ch) == av
            elif op == c.RANGE:
                hit |= av[0] <= ord(ch) <= av[1]
            elif op == c.CATEGORY:
                hit |= self._category(av, ch)
            else:
                raise ValueError(f"unsupported set item {op}")
        return hit != negate

    @staticmethod
    def _category(cat, ch):
        c = sre_constants
        table = {
            c.CATEGORY_DIGIT: ch.isdigit(),
            c.CATEGORY_NOT_DIGIT: not ch.isdigit(),
            c.CATEGORY_WORD: ch.isalnum() or ch == "_",
            c.CATEGORY_NOT_WORD: not (ch.isalnum() or ch == "_"),
            c.CATEGORY_SPACE: ch.isspace(),
            c.CATEGORY_NOT_SPACE: not ch.isspace(),
        }
        if cat not in table:
            raise ValueError(f"unsupported category {cat}")
        return table[cat]


JAVA_CLASSES = {
    r"\p{L}": "a-zA-Z\u00c0-\u00ff", r"\p{Z}": " ", r"\p{N}": "0-9", r"\p{Alpha}": "a-zA-Z",
    r"\p{Alnum}": "a-zA-Z0-9", r"\p{Digit}": "0-9", r"\p{Upper}": "A-Z", r"\p{Lower}": "a-z",
    r"\p{Punct}": "!-/:-@\\[-`{-~", r"\p{Print}": " -~", r"\p{Graph}": "!-~", r"\p{Space}": " \t\n",
    r"\p{ASCII}": "\x00-\x7f", r"\p{IsAlphabetic}": "a-zA-Z",
}


def java_to_python_regex(pattern):
    """Java-only character classes (\\p{L}...) as Python approximations, inside or outside [...]."""
    for java, py in JAVA_CLASSES.items():
        pattern = re.sub(r"(\[[^\]]*?)" + re.escape(java), lambda m: m.group(1) + py, pattern)
        pattern = pattern.replace(java, "[" + py + "]")
    return pattern


class Skip(Exception):
    """The member cannot be given a valid value; leave it out (or give up on the case when required)."""


class InputGenerator:
    def __init__(self, rnd, protocol):
        self.rnd = rnd
        self.protocol = protocol
        self.query_like = protocol in ("query", "ec2")
        self.reserved_query = set()

    # --- structures -------------------------------------------------------------------------------

    def top(self, shape):
        self.reserved_query = {
            m.serialization.get("name", n) for n, m in shape.members.items()
            if m.serialization.get("location") == "querystring" and m.type_name != "map"
        }
        return self.structure(shape, 0, top=True)

    def structure(self, shape, depth, top=False):
        if shape.is_document_type:
            return self.document(depth)
        members = list(shape.members.items())
        if getattr(shape, "is_tagged_union", False) or shape.metadata.get("union"):
            self.rnd.shuffle(members)
            for name, m in members:
                try:
                    return {name: self.member(m, depth + 1, self.location(m, top))}
                except Skip:
                    continue
            raise Skip(f"no member of union {shape.name} can be generated")
        required = set(shape.required_members)
        out = {}
        p = 0.75 if depth == 0 else max(0.15, 0.6 - 0.15 * depth)
        payload = shape.serialization.get("payload") if top else None
        for name, m in members:
            loc = self.location(m, top)
            # an absent REST payload and an empty one look the same on the wire: always give one
            if name not in required and name != payload:
                if depth >= MAX_DEPTH or self.rnd.random() > p:
                    continue
                if m.serialization.get("eventpayload") or m.serialization.get("eventstream"):
                    continue
            if name == payload:
                m.serialization["payload_member"] = True  # an empty string payload is no payload at all
            try:
                out[name] = self.member(m, depth + 1, loc)
            except Skip:
                if name in required:
                    raise
        if not out and self.query_like and not top and members:
            # an empty structure has no query wire form: give it one member
            for name, m in members:
                try:
                    out[name] = self.member(m, depth + 1, None)
                    break
                except Skip:
                    continue
        if self.query_like:
            self.share_query_parameters(members, out)
        return out

    @staticmethod
    def share_query_parameters(members, out):
        """Members that are one query parameter (SQS's AttributeNames and MessageSystemAttributeNames are
        both AttributeName.N in AWS's model) carry one value: what a server reads into each of them."""
        by_key = {}
        for name, m in members:
            by_key.setdefault(m.serialization.get("name", name), []).append(name)
        for names in by_key.values():
            given = [n for n in names if n in out]
            if len(names) > 1 and given:
                for n in names:
                    out[n] = out[given[0]]

    @staticmethod
    def location(member, top):
        return member.serialization.get("location") if top else None

    def member(self, m, depth, loc):
        if loc == "header" and m.serialization.get("name", "").lower() in ("content-length", "host", "expect",
                                                                           "transfer-encoding"):
            raise Skip("framing header: the HTTP layer owns it")
        if m.type_name == "string" and m.serialization.get("payload_member"):
            return self.string(m, None, payload=True)
        if m.serialization.get("hostLabel"):
            return self.rnd.choice(string.ascii_lowercase) + "".join(
                self.rnd.choice(string.ascii_lowercase + string.digits) for _ in range(self.rnd.randint(2, 8)))
        return self.value(m, depth, loc)

    # --- values -----------------------------------------------------------------------------------

    def value(self, shape, depth, loc):
        t = shape.type_name
        if t == "structure":
            if loc is not None:
                raise Skip("structure outside the body")
            return self.structure(shape, depth)
        if t == "list":
            return self.list(shape, depth, loc)
        if t == "map":
            return self.map(shape, depth, loc)
        if t == "string":
            return self.string(shape, loc)
        if t in ("integer", "long", "short", "byte"):
            return self.integer(shape)
        if t in ("float", "double"):
            return self.float(shape, loc)
        if t in ("bigdecimal", "biginteger"):
            raise Skip("big numbers not generated")
        if t == "boolean":
            return self.rnd.random() < 0.5
        if t == "blob":
            if loc in ("header", "uri", "querystring"):
                raise Skip("blob outside the body")
            return self.blob(shape)
        if t == "timestamp":
            return self.timestamp(shape, loc)
        raise Skip(f"type {t}")

    def sizes(self, shape, default_max):
        lo = int(shape.metadata.get("min", 0) or 0)
        hi = shape.metadata.get("max")
        hi = default_max if hi is None else int(hi)
        hi = max(lo, min(hi, lo + default_max))
        return lo, hi

    def empty_allowed(self, shape, loc, kind):
        if loc in ("header", "headers", "querystring", "uri"):
            return False
        flattened = shape.serialization.get("flattened")
        if self.protocol == "ec2":
            return False
        if self.protocol == "query":
            return kind == "list"
        if self.protocol == "rest-xml":
            return not flattened
        return True

    def length(self, shape, depth, loc, kind):
        """(least, chosen) number of entries for a list or map: the model's bounds (at most 3, the least at
        MAX_DEPTH), at least one where the wire cannot carry an empty one."""
        lo, hi = self.sizes(shape, 3)
        if depth >= MAX_DEPTH:
            hi = lo
        if lo == 0 and not self.empty_allowed(shape, loc, kind):
            lo = 1
            hi = max(hi, 1)
        return lo, self.rnd.randint(lo, hi)

    def list(self, shape, depth, loc):
        lo, n = self.length(shape, depth, loc, "list")
        member_loc = loc if loc in ("header", "querystring") else None
        if member_loc and shape.member.type_name not in ("string", "integer", "long", "boolean", "timestamp",
                                                         "double", "float", "short", "byte"):
            raise Skip("non-scalar list outside the body")
        out = []
        for _ in range(n * 3):
            if len(out) >= n:
                break
            try:
                v = self.value(shape.member, depth + 1, member_loc)
            except Skip:
                if lo == 0:
                    return []
                raise
            if v == "" and loc in ("header", "querystring"):
                continue
            out.append(v)
        if len(out) < lo:
            raise Skip("list too short")
        return out

    def map(self, shape, depth, loc):
        lo, n = self.length(shape, depth, loc, "map")
        out = {}
        value_loc = None
        if loc == "headers":
            value_loc = "header"
        elif loc == "querystring":
            value_loc = "querystring"
            if shape.value.type_name == "list":
                value_loc = "querystring"
        for _ in range(n * 4):
            if len(out) >= n:
                break
            if loc == "headers":
                k = "".join(self.rnd.choice(string.ascii_lowercase + string.digits + "-")
                            for _ in range(self.rnd.randint(1, 8)))
                k = "k" + k
            elif loc == "querystring":
                k = "qk" + "".join(self.rnd.choice(string.ascii_letters + string.digits)
                                   for _ in range(self.rnd.randint(1, 6)))
                if k in self.reserved_query:
                    continue
            else:
                k = self.value(shape.key, depth + 1, None)
            if k in out:
                continue
            v = self.value(shape.value, depth + 1, value_loc)
            if loc in ("headers", "querystring") and (v == "" or v == []):
                continue
            out[k] = v
        if len(out) < lo:
            raise Skip("map too small")
        return out

    def string(self, shape, loc, payload=False):
        enum = shape.metadata.get("enum")
        lo, hi = self.sizes(shape, 12)
        non_empty = payload or loc in ("header", "uri", "querystring", "headers")
        if enum:
            choices = [e for e in enum if e or not non_empty]
            if not choices:
                raise Skip("empty enum")
            return self.rnd.choice(choices)
        if loc == "header" and shape.serialization.get("jsonvalue"):
            return self.json_value()
        pattern = shape.metadata.get("pattern")
        if pattern:
            max_len = shape.metadata.get("max")
            return self.patterned(pattern, lo, 100000 if max_len is None else int(max_len), loc)
        if non_empty:
            lo = max(lo, 1)
            hi = max(hi, lo)
        n = self.rnd.randint(lo, hi)
        if loc == "header":
            s = "".join(self.rnd.choice(HEADER_SAFE) for _ in range(n))
            return s.strip() or "h"[:max(1, lo)] * max(1, lo)
        pools = [ASCII] * 6 + [SPECIAL, UNICODE, NON_BMP] + ([WHITESPACE] if loc is None else [])
        s = "".join(self.rnd.choice(self.rnd.choice(pools)) for _ in range(n))
        if loc == "uri" and s in (".", ".."):
            s = "x" * len(s)
        return s

    def patterned(self, pattern, lo, hi, loc):
        pattern = java_to_python_regex(pattern)
        try:
            compiled = re.compile(pattern)
        except re.error as e:
            raise Skip(f"pattern {pattern!r} not usable: {e}")
        for attempt in range(12):
            gen = RegexGen(self.rnd, stretch=6 if attempt < 4 else min(max(6, lo) * (attempt - 2), 300))
            try:
                s = gen.generate(pattern)
            except (ValueError, RecursionError) as e:
                raise Skip(str(e))
            if lo <= len(s) <= max(hi, lo) and compiled.search(s) and (s or loc is None) \
                    and (loc != "header" or (s == s.strip() and s.isascii())):
                return s
        raise Skip(f"no string for pattern {pattern!r}")

    def json_value(self):
        return {"k" + str(self.rnd.randint(0, 9)): self.rnd.choice(["v", 1, True, None, [1, "é"]])}

    def document(self, depth):
        r = self.rnd.random()
        if depth >= 3 or r < 0.3:
            return self.rnd.choice(["text", "é😀", 7, -3, 2.5, True, False, None])
        if r < 0.65:
            return [self.document(depth + 1) for _ in range(self.rnd.randint(0, 3))]
        return {"d" + str(i): self.document(depth + 1) for i in range(self.rnd.randint(0, 3))}

    def integer(self, shape):
        t = shape.type_name
        bounds = {"byte": (-128, 127), "short": (-32768, 32767), "integer": (-2 ** 31, 2 ** 31 - 1),
                  "long": (-2 ** 63, 2 ** 63 - 1)}[t]
        lo = shape.metadata.get("min")
        hi = shape.metadata.get("max")
        lo = bounds[0] if lo is None else max(bounds[0], math.ceil(lo))
        hi = bounds[1] if hi is None else min(bounds[1], math.floor(hi))
        if lo > hi:
            raise Skip("empty range")
        candidates = [lo, hi, 0, 1, -1, 42, 1000, 2 ** 31 - 1, 2 ** 53 + 1, -(2 ** 40)]
        candidates = [c for c in candidates if lo <= c <= hi]
        if self.rnd.random() < 0.5 or not candidates:
            return self.rnd.randint(lo, min(hi, lo + 100000)) if hi - lo > 100000 and self.rnd.random() < 0.5 \
                else self.rnd.randint(lo, hi)
        return self.rnd.choice(candidates)

    def float(self, shape, loc):
        lo = shape.metadata.get("min")
        hi = shape.metadata.get("max")
        if lo is None and hi is None and loc is None and self.rnd.random() < 0.08:
            return self.rnd.choice([float("nan"), float("inf"), float("-inf")])
        lo = -1000.0 if lo is None else float(lo)
        hi = 1000.0 if hi is None else float(hi)
        # multiples of 1/8 survive float32 and decimal text exactly
        v = math.floor(self.rnd.uniform(lo, hi) * 8) / 8
        return min(max(v, lo), hi) if lo <= hi else lo

    def blob(self, shape):
        lo, hi = self.sizes(shape, 24)
        lo = max(lo, 1)  # an empty blob payload is no payload at all (Smithy: absent)
        hi = max(hi, lo)
        return bytes(self.rnd.randrange(256) for _ in range(self.rnd.randint(lo, hi)))

    def timestamp(self, shape, loc):
        fmt = effective_timestamp_format(shape, loc, self.protocol)
        secs = self.rnd.randint(946684800, 1924991999)  # 2000 .. 2030
        # botocore writes whole seconds except in iso8601 bodies and query strings
        millis = self.rnd.choice([0, self.rnd.randint(1, 999)]) if fmt == "iso8601" and loc != "header" else 0
        return datetime.datetime.fromtimestamp(secs, UTC) + datetime.timedelta(milliseconds=millis)


def tagged(value, shape):
    """The JSON-safe, tagged form of an input value (see the module doc)."""
    if value is None:
        return None
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return value
        return {k: tagged(v, shape.members[k]) for k, v in value.items()}
    if t == "list":
        return [tagged(v, shape.member) for v in value]
    if t == "map":
        return {k: tagged(v, shape.value) for k, v in value.items()}
    if t == "timestamp":
        return {"$timestamp": value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") +
                f"{value.microsecond // 1000:03d}Z"}
    if t == "blob":
        return {"$blob": base64.b64encode(value).decode("ascii")}
    if t in ("float", "double") and not math.isfinite(value):
        return {"$float": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    if t == "string" and not isinstance(value, str):
        return {"$json": value}
    return value


def wire_request(serializer, params, op):
    request_dict = serializer.serialize_to_request(params, op)
    prepare_request_dict(request_dict, endpoint_url=ENDPOINT)
    prepared = create_request_object(request_dict).prepare()
    url = urlsplit(prepared.url)
    headers = [[k, v if isinstance(v, str) else v.decode("latin-1")] for k, v in prepared.headers.items()]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ["Host", url.netloc])
    body = prepared.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    elif hasattr(body, "read"):
        body = body.read()
    return {"method": prepared.method, "path": url.path or "/", "query": url.query, "headers": headers,
            "body": base64.b64encode(bytes(body)).decode("ascii")}


def load_model(models_dir, service, protocol=None):
    """Terrarium's own model resource (botocore's service-2.json minus docs, plus its overlay), or
    botocore's when no dir is given. On an XML-family wire the overlay's query/XML-only names (xmlName)
    become locationName, so botocore sends what the SDKs of that wire send (SQS's query wire)."""
    if models_dir is None:
        return botocore.session.get_session().get_service_model(service)
    with gzip.open(os.path.join(models_dir, service + ".json.gz"), "rt", encoding="utf-8") as f:
        data = json.load(f)
    if protocol in XML_WIRES:
        data = overlay.xml_wire_view(data)
    return ServiceModel(data, service_name=service)


def content_length_member(op):
    if op.input_shape is None:
        return None
    for name, m in op.input_shape.members.items():
        if m.serialization.get("location") == "header" and m.serialization.get("name", "").lower() == "content-length":
            return name
    return None


def query_map_expectation(op, params, request):
    """Servers put every query parameter (named ones too, not the URI's literal ones) in a query-string map
    member, as Smithy's httpQueryParams says; that is what the parsed input must then hold."""
    if op.input_shape is None:
        return
    for name, m in op.input_shape.members.items():
        if m.serialization.get("location") != "querystring" or m.type_name != "map":
            continue
        literal = {k for k, _ in parse_qsl(urlsplit(op.http["requestUri"]).query, keep_blank_values=True)}
        literal |= {p.split("=")[0] for p in urlsplit(op.http["requestUri"]).query.split("&") if p}
        pairs = [(k, v) for k, v in parse_qsl(request["query"], keep_blank_values=True) if k not in literal]
        if not pairs:
            continue
        if m.value.type_name == "list":
            expected = {}
            for k, v in pairs:
                expected.setdefault(k, []).append(v)
        else:
            expected = dict(pairs)
        params[name] = expected


def cases_for(models_dir, spec, seed, cases, max_ops):
    service, _, protocol = spec.partition(":")
    model = load_model(models_dir, service, protocol)
    protocol = protocol or model.metadata["protocol"]
    serializer = serialize.create_serializer(protocol, include_validation=True)
    for name in selected_operations(model, max_ops):
        op = model.operation_model(name)
        for case in range(1, cases + 1):
            base = {"service": service, "protocol": protocol, "operation": name, "case": case}
            last_problem = None
            for attempt in range(8):
                rnd = random.Random(f"{seed}:{service}:{protocol}:{name}:{case}:{attempt}")
                gen = InputGenerator(rnd, protocol)
                try:
                    params = gen.top(op.input_shape) if op.input_shape is not None else {}
                    request = wire_request(serializer, params, op)
                except Skip as e:
                    last_problem = f"generator: {e}"
                    continue
                except ParamValidationError as e:
                    last_problem = f"botocore validation: {e}"
                    continue
                query_map_expectation(op, params, request)
                length_member = content_length_member(op)
                if length_member:  # the HTTP layer's Content-Length is what the server sees for this member
                    sent = [v for k, v in request["headers"] if k.lower() == "content-length"]
                    if sent:
                        params[length_member] = int(sent[0])
                input_json = tagged(params, op.input_shape) if op.input_shape is not None else {}
                yield dict(base, input=input_json, request=request)
                break
            else:
                yield dict(base, skip=last_problem)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--cases", type=int, default=1)
    ap.add_argument("--max-ops", type=int, default=40)
    ap.add_argument("--models", help="directory of Terrarium's <service>.json.gz models (default: botocore's)")
    ap.add_argument("services", nargs="+")
    args = ap.parse_args()
    out = sys.stdout
    for spec in args.services:
        for line in cases_for(args.models, spec, args.seed, args.cases, args.max_ops):
            out.write(json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
