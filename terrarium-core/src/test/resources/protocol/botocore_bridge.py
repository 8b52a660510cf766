"""Test helper: botocore as the reference client.

Reads one JSON task per line on stdin and answers one JSON line per task on stdout:
  {"kind": "serialize", "service": s, "operation": o, "protocol": p, "params": {...}}
      -> {"method", "path", "headers", "body_b64"}   (what botocore would send)
  {"kind": "parse", "service": s, "operation": o, "protocol": p, "status": n, "headers": {...}, "body_b64": b}
      -> what botocore's parser makes of that response (datetimes as ISO strings, bytes as {"$bytes": b64})
"""
import base64
import datetime
import json
import sys

import botocore.session
from botocore import parsers, serialize
from botocore.awsrequest import HeadersDict, create_request_object, prepare_request_dict

session = botocore.session.get_session()
models = {}


def op_model(service, operation):
    if service not in models:
        models[service] = session.get_service_model(service)
    return models[service].operation_model(operation)


def jsonable(v):
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if hasattr(v, "read"):
        return {"$bytes": base64.b64encode(v.read()).decode()}
    raise TypeError(type(v))


def do_serialize(t):
    om = op_model(t["service"], t["operation"])
    ser = serialize.create_serializer(t["protocol"], include_validation=False)
    req = ser.serialize_to_request(t.get("params", {}), om)
    prepare_request_dict(req, endpoint_url="http://localhost:4566")
    prepared = create_request_object(req).prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    elif hasattr(body, "read"):
        body = body.read()
    path = prepared.url[len("http://localhost:4566"):]
    return {"method": prepared.method, "path": path, "headers": dict(prepared.headers.items()),
            "body_b64": base64.b64encode(body).decode()}


def do_parse(t):
    om = op_model(t["service"], t["operation"])
    parser = parsers.create_parser(t["protocol"])
    headers = HeadersDict(t.get("headers", {}))
    response = {"status_code": t["status"], "headers": headers, "body": base64.b64decode(t.get("body_b64", ""))}
    shape = om.output_shape
    parsed = parser.parse(response, shape)
    if t["status"] >= 300:
        # as botocore's endpoint does: parse the modeled error members too (endpoint._add_modeled_error_fields)
        error = parsed.get("Error", {})
        code = error.get("QueryErrorCode") or error.get("Code")
        error_shape = om.service_model.shape_for_error_code(code)
        if error_shape is not None:
            parsed.update(parser.parse(response, error_shape))
    parsed.pop("ResponseMetadata", None)
    return parsed


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    task = json.loads(line)
    try:
        out = do_serialize(task) if task["kind"] == "serialize" else do_parse(task)
    except Exception as e:  # reported to the test, which fails with it
        out = {"$error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(out, default=jsonable) + "\n")
    sys.stdout.flush()
