#!/usr/bin/env python3
"""Checks server responses with botocore's parsers, the reference client.

Usage: botocore_responses.py [--models DIR] < cases.jsonl > results.jsonl

Each input line is a response our codec wrote, with what botocore should read from it:
  {"id", "kind": "response", "service", "protocol", "operation", "status", "headers": [[k, v]...],
   "body": base64, "expected": <tagged JSON output>}
  {"id", "kind": "error", ..., "error": {"shape", "code", "message", "status", "fields": <tagged JSON>}}
(tagged JSON as in botocore_requests.py). Each output line is {"id", "ok": true} or
{"id", "ok": false, "diff": [...], "parsed": <what botocore parsed, abridged>}.
"""
import argparse
import base64
import datetime
import gzip
import io
import json
import math
import os
import sys

import botocore.session
from botocore.compat import ETree
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.response import StreamingBody
from urllib3._collections import HTTPHeaderDict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "overlays"))
import overlay  # noqa: E402  (tools/overlays/overlay.py)

XML_WIRES = ("query", "ec2", "rest-xml")
MESSAGE_NAMES = {"message", "Message", "code", "Code", "__type", "Error", "ResponseMetadata"}

_models = {}


def model(models_dir, service, protocol=None):
    """As botocore_requests.load_model: on an XML-family wire, the overlay's xmlName is botocore's locationName."""
    key = (service, protocol in XML_WIRES)
    if key not in _models:
        if models_dir is None:
            _models[key] = botocore.session.get_session().get_service_model(service)
        else:
            with gzip.open(os.path.join(models_dir, service + ".json.gz"), "rt", encoding="utf-8") as f:
                data = json.load(f)
            if protocol in XML_WIRES:
                data = overlay.xml_wire_view(data)
            _models[key] = ServiceModel(data, service_name=service)
    return _models[key]


def response_dict(case, streaming):
    headers = HTTPHeaderDict()
    for k, v in case["headers"]:
        headers.add(k, v)
    body = base64.b64decode(case["body"])
    return {"status_code": case["status"], "headers": headers,
            "body": StreamingBody(io.BytesIO(body), len(body)) if streaming else body,
            "context": {"operation_name": case["operation"]}}


def compare(path, expected, actual, shape, diffs):
    if isinstance(actual, StreamingBody):
        actual = actual.read()
    if expected is None or actual is None:
        if expected is not None or actual is not None:
            diffs.append(f"{path}: expected {show(expected)} but was {show(actual)}")
        return
    t = shape.type_name
    if t == "structure" and not shape.is_document_type:
        if not isinstance(actual, dict):
            diffs.append(f"{path}: expected a structure but was {show(actual)}")
            return
        for name in list(dict.fromkeys(list(expected) + list(actual))):
            if name == "ResponseMetadata" and path == "":
                continue
            if name not in shape.members:
                diffs.append(f"{path}.{name}: not a member (was {show(actual.get(name))})")
                continue
            member = shape.members[name]
            if path == "" and member.serialization.get("location") == "headers" and \
                    expected.get(name) is None and actual.get(name) == {}:
                continue  # botocore always gives a (possibly empty) dict for a header-prefix map
            compare(f"{path}.{name}", expected.get(name), actual.get(name), member, diffs)
    elif t == "list":
        if not isinstance(actual, list) or len(actual) != len(expected):
            diffs.append(f"{path}: expected {len(expected)} elements {show(expected)} but was {show(actual)}")
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            compare(f"{path}[{i}]", e, a, shape.member, diffs)
    elif t == "map":
        if not isinstance(actual, dict):
            diffs.append(f"{path}: expected a map but was {show(actual)}")
            return
        for k in list(dict.fromkeys(list(expected) + list(actual))):
            compare(f"{path}{{{k}}}", expected.get(k), actual.get(k), shape.value, diffs)
    elif t == "timestamp":
        want = datetime.datetime.fromisoformat(expected["$timestamp"].replace("Z", "+00:00"))
        if not isinstance(actual, datetime.datetime) or \
                round(actual.timestamp() * 1000) != round(want.timestamp() * 1000):
            diffs.append(f"{path}: expected {expected['$timestamp']} but was {show(actual)}")
    elif t == "blob":
        want = base64.b64decode(expected["$blob"])
        got = actual.encode("utf-8") if isinstance(actual, str) else actual
        if got != want:
            diffs.append(f"{path}: expected blob {want!r} but was {show(actual)}")
    elif t in ("float", "double"):
        want = float(expected["$float"]) if isinstance(expected, dict) else float(expected)
        if isinstance(actual, str) and not math.isfinite(want) and actual in ("NaN", "Infinity", "-Infinity"):
            actual = float(actual)  # botocore's JSON parsers hand non-finite numbers back as the wire's string
        ok = isinstance(actual, (int, float)) and not isinstance(actual, bool) and (
            (math.isnan(want) and math.isnan(actual)) or want == actual)
        if not ok:
            diffs.append(f"{path}: expected {want!r} but was {show(actual)}")
    elif t == "string" and isinstance(expected, dict) and "$json" in expected:
        if expected["$json"] != actual:
            diffs.append(f"{path}: expected JSON value {expected['$json']!r} but was {show(actual)}")
    elif t == "boolean":
        if actual is not expected:
            diffs.append(f"{path}: expected {expected!r} but was {show(actual)}")
    else:
        if expected != actual or type(expected) is not type(actual) and not (
                isinstance(expected, (int, float)) and isinstance(actual, (int, float))):
            diffs.append(f"{path}: expected {show(expected)} but was {show(actual)}")


def show(v):
    s = repr(v)
    return s if len(s) <= 300 else s[:300] + "..."


def check_response(case, m):
    op = m.operation_model(case["operation"])
    parsed = create_parser(case["protocol"]).parse(response_dict(case, op.has_streaming_output), op.output_shape)
    if case["service"] == "s3" and case["operation"] == "GetBucketLocation":
        # botocore's parse_get_bucket_location handler: the root element's text is the region
        parsed["LocationConstraint"] = ETree.fromstring(base64.b64decode(case["body"])).text
    diffs = []
    if op.output_shape is None:
        extra = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
        if extra:
            diffs.append(f"expected no output but was {show(extra)}")
    else:
        compare("", case["expected"], parsed, op.output_shape, diffs)
    return diffs, parsed


def check_error(case, m):
    op = m.operation_model(case["operation"])
    want = case["error"]
    parsed = create_parser(case["protocol"]).parse(response_dict(case, False), op.output_shape)
    diffs = []
    error = parsed.get("Error", {})
    status = parsed.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if error.get("Code") != want["code"]:
        diffs.append(f"Error.Code: expected {want['code']!r} but was {error.get('Code')!r}")
    if want["message"] is not None and error.get("Message") != want["message"]:
        diffs.append(f"Error.Message: expected {want['message']!r} but was {error.get('Message')!r}")
    if status != want["status"]:
        diffs.append(f"HTTP status: expected {want['status']} but was {status}")
    if want.get("queryCompatible") and error.get("QueryErrorCode") != want["shape"]:
        diffs.append(f"Error.QueryErrorCode: expected {want['shape']!r} (x-amzn-query-error) "
                     f"but was {error.get('QueryErrorCode')!r}")
    if want.get("fields"):
        shape = m.shape_for(want["shape"])
        modeled = create_parser(case["protocol"]).parse(response_dict(case, False), shape)
        modeled = {k: v for k, v in modeled.items() if k not in MESSAGE_NAMES}
        compare("", want["fields"], modeled, shape, diffs)
        parsed = {"error": parsed, "modeled": modeled}
    return diffs, parsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="directory of Terrarium's <service>.json.gz models (default: botocore's)")
    args = ap.parse_args()
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        m = model(args.models, case["service"], case.get("protocol"))
        try:
            if case["kind"] == "error":
                diffs, parsed = check_error(case, m)
            else:
                diffs, parsed = check_response(case, m)
        except Exception as e:  # botocore could not parse it at all
            diffs, parsed = [f"botocore failed to parse the response: {type(e).__name__}: {e}"], None
        result = {"id": case["id"], "ok": not diffs}
        if diffs:
            result["diff"] = diffs[:12]
            result["parsed"] = show(parsed)[:1500] if parsed is not None else None
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
