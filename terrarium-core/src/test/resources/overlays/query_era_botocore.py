"""botocore as the SDKs of SQS's query era drove it, for the overlay tests.

Usage: query_era_botocore.py MODELS_DIR OVERLAYS_DIR < commands.json > answers.json
Loads Terrarium's model resource of each service, with the overlay's xmlName made locationName
(tools/overlays/overlay.py xml_wire_view), and serializes requests / parses responses on the query
wire with botocore's QuerySerializer / QueryParser. Also "client_error": what the current botocore
client (its own JSON model, the real client) raises for an error response.
Needs botocore/bridge.py beside it (its encode and decode_params).
Commands: a JSON list of {"cmd": "serialize" | "parse" | "client_error", "service", "operation", ...}.
"""
import gzip
import json
import os
import sys

from botocore import parsers, serialize
from botocore.awsrequest import AWSResponse, HeadersDict, create_request_object, prepare_request_dict
from botocore.exceptions import ClientError
from botocore.config import Config
from botocore.model import ServiceModel
import botocore.session

MODELS_DIR, OVERLAYS_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, OVERLAYS_DIR)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bridge.py stands beside this script
import overlay  # noqa: E402
from bridge import decode_params, encode  # noqa: E402

_models = {}


def query_model(service):
    if service not in _models:
        with gzip.open(os.path.join(MODELS_DIR, service + ".json.gz"), "rt", encoding="utf-8") as f:
            _models[service] = ServiceModel(overlay.xml_wire_view(json.load(f)), service_name=service)
    return _models[service]


def do_serialize(cmd):
    op = query_model(cmd["service"]).operation_model(cmd["operation"])
    req = serialize.create_serializer("query", include_validation=True).serialize_to_request(
        decode_params(cmd.get("params", {})), op)
    prepare_request_dict(req, endpoint_url="http://localhost:4566")
    prepared = create_request_object(req).prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {"method": prepared.method, "headers": dict(prepared.headers), "body": body.decode("utf-8")}


def do_parse(cmd):
    model = query_model(cmd["service"])
    op = model.operation_model(cmd["operation"])
    response = {"status_code": cmd["status"], "headers": HeadersDict(cmd.get("headers", {})),
                "body": cmd["body"].encode("utf-8")}
    parser = parsers.create_parser("query")
    if cmd["status"] < 300:
        return parser.parse(response, op.output_shape)
    parsed = parser.parse(response, None)
    code = parsed.get("Error", {}).get("Code")
    matches = [s.name for s in model.error_shapes if s.error_code == code]
    parsed["ModeledShape"] = matches[0] if len(matches) == 1 else matches
    return parsed


_clients = {}


def client_for(service):
    """One client per service; its before-send hook answers with the response the current command set."""
    if service not in _clients:
        client = botocore.session.get_session().create_client(
            service, region_name="us-east-1", endpoint_url="http://localhost:4566",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"total_max_attempts": 1}))  # throttling codes would be retried
        client.meta.events.register("before-send", lambda request, **kw: AWSResponse(
            request.url, _answer["status"], HeadersDict(_answer["headers"]), _Raw(_answer["body"].encode())))
        _clients[service] = client
    return _clients[service]


_answer = {}


def do_client_error(cmd):
    """Calls the operation with the current botocore client and answers with our response instead of AWS."""
    _answer.update(cmd)
    try:
        getattr(client_for(cmd["service"]), cmd["method"])(**cmd.get("params", {}))
    except ClientError as e:
        return {"exception": type(e).__name__, "error": e.response.get("Error", {}),
                "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")}
    return {"exception": None}


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self, **kwargs):
        yield self._data


HANDLERS = {"serialize": do_serialize, "parse": do_parse, "client_error": do_client_error}

answers = []
for command in json.load(sys.stdin):
    try:
        answers.append({"ok": HANDLERS[command["cmd"]](command)})
    except Exception as e:  # the test reports it
        answers.append({"error": type(e).__name__ + ": " + str(e)})
print(json.dumps(answers, default=encode))
