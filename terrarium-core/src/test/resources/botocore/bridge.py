"""Test bridge to botocore: serializes requests with botocore's serializers and parses responses with
its parsers, one JSON command per stdin line, one JSON answer per stdout line. Its encode (JSON of
datetimes and bytes) and decode_params ("b64:" strings to bytes) also serve overlays/query_era_botocore.py."""
import base64
import datetime
import json
import sys

import botocore.session
from botocore import parsers, serialize
from botocore.awsrequest import HeadersDict, create_request_object, prepare_request_dict

session = botocore.session.get_session()
models = {}


def model(service):
    if service not in models:
        models[service] = session.get_service_model(service)
    return models[service]


def encode(o):
    if isinstance(o, datetime.datetime):
        return o.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')
    if isinstance(o, (bytes, bytearray)):
        return 'b64:' + base64.b64encode(o).decode()
    return str(o)


def decode_params(v):
    if isinstance(v, dict):
        return {k: decode_params(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode_params(x) for x in v]
    if isinstance(v, str) and v.startswith('b64:'):
        return base64.b64decode(v[4:])
    return v


def do_serialize(cmd):
    sm = model(cmd['service'])
    op = sm.operation_model(cmd['operation'])
    protocol = cmd.get('protocol') or sm.metadata['protocol']
    ser = serialize.create_serializer(protocol, include_validation=cmd.get('validate', True))
    req = ser.serialize_to_request(decode_params(cmd.get('params', {})), op)
    prepare_request_dict(req, endpoint_url='http://localhost:4566')
    prepared = create_request_object(req).prepare()
    body = prepared.body
    if body is None:
        body = b''
    if isinstance(body, str):
        body = body.encode('utf-8')
    url = prepared.url[len('http://localhost:4566'):]
    return {'method': prepared.method, 'url': url or '/', 'headers': dict(prepared.headers),
            'body': base64.b64encode(body).decode()}


def do_parse(cmd):
    sm = model(cmd['service'])
    op = sm.operation_model(cmd['operation'])
    protocol = cmd.get('protocol') or sm.metadata['protocol']
    parser = parsers.create_parser(protocol)
    response = {'status_code': cmd['status'], 'headers': HeadersDict(cmd.get('headers', {})),
                'body': base64.b64decode(cmd['body'])}
    if cmd['status'] >= 300:
        parsed = parser.parse(response, None)
        # what the client raises: its modeled error shape, parsed as botocore does
        code = parsed.get('Error', {}).get('Code')
        shape = None
        for s in sm.error_shapes:
            if s.error_code == code or s.name == code:
                shape = s
        if shape is not None:
            modeled = parser.parse(response, shape)
            parsed['Error'].update(modeled)
        return parsed
    return parser.parse(response, op.output_shape)


def main():
    for line in sys.stdin:
        try:
            cmd = json.loads(line)
            out = do_serialize(cmd) if cmd['cmd'] == 'serialize' else do_parse(cmd)
            print(json.dumps({'ok': out}, default=encode), flush=True)
        except Exception as e:  # the test reports it
            print(json.dumps({'error': type(e).__name__ + ': ' + str(e)}), flush=True)


if __name__ == '__main__':
    main()
