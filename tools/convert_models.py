#!/usr/bin/env python3
"""Convert botocore's service-2.json models into Terrarium's compact model resources.

Usage: tools/convert_models.py [--out DIR] [--check] [service ...]

Each model keeps botocore's structure (metadata, operations, shapes) with documentation,
examples and other client-only fields stripped, written as gzip'd compact JSON with a fixed
gzip timestamp so that regeneration is byte-for-byte reproducible. models/index.json lists,
per service, what routing needs without loading the whole model.

Where botocore's model lost what an older wire of the service needs (SQS's query wire), the
overlay tools/overlays/<service>.json adds it: see tools/overlays/overlay.py. The resource is then
botocore + overlay, and its metadata names the overlay (terrariumOverlay).
"""
import argparse
import gzip
import io
import json
import os
import sys

import botocore

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "overlays"))
import overlay  # noqa: E402  (tools/overlays/overlay.py)

SERVICES = [
    "sts", "iam", "organizations", "s3", "s3control", "dynamodb", "dynamodbstreams", "sqs",
    "sns", "lambda", "logs", "cloudwatch", "events", "scheduler", "kinesis", "firehose", "kms",
    "secretsmanager", "ssm", "cloudformation", "apigateway", "apigatewayv2", "stepfunctions",
    "cognito-idp", "cognito-identity", "ses", "sesv2", "acm", "route53", "ec2", "elbv2", "elb",
    "autoscaling", "ecs", "ecr", "eks", "rds", "elasticache", "cloudtrail", "config", "xray",
    "appsync", "wafv2", "shield", "codecommit", "codebuild", "codedeploy", "codepipeline",
    "elasticbeanstalk", "swf", "mq", "glue", "athena", "efs", "cloudfront",
    "resourcegroupstaggingapi",
]

DROP_KEYS = {"documentation", "documentationUrl", "examples", "deprecatedMessage",
             "deprecatedSince", "sensitive", "awsQueryError_doc"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "terrarium-core", "src", "main", "resources", "models")


def botocore_data_dir():
    return os.path.join(os.path.dirname(botocore.__file__), "data")


def latest_model_path(service):
    base = os.path.join(botocore_data_dir(), service)
    versions = sorted(v for v in os.listdir(base) if os.path.isdir(os.path.join(base, v)))
    for version in reversed(versions):
        path = os.path.join(base, version, "service-2.json.gz")
        if os.path.exists(path):
            return path
        path = os.path.join(base, version, "service-2.json")
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no service-2.json for {service}")


def load_json(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def compact(service):
    model = strip(load_json(latest_model_path(service)))
    model["metadata"]["terrariumSource"] = f"botocore {botocore.__version__}"
    overlay.apply_if_present(model, service)
    return model


def gzip_bytes(text):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def serialize(model):
    return json.dumps(model, separators=(",", ":"), sort_keys=False, ensure_ascii=False)


def index_entry(service, model):
    meta = model["metadata"]
    entry = {
        "apiVersion": meta.get("apiVersion"),
        "endpointPrefix": meta.get("endpointPrefix"),
        "signingName": meta.get("signingName", meta.get("endpointPrefix")),
        "protocol": meta.get("protocol"),
        "protocols": meta.get("protocols", [meta.get("protocol")]),
        "serviceId": meta.get("serviceId"),
        "globalEndpoint": meta.get("globalEndpoint"),
    }
    for key in ("targetPrefix", "jsonVersion", "xmlNamespace", "awsQueryCompatible"):
        if key in meta:
            entry[key] = meta[key]
    return {k: v for k, v in entry.items() if v is not None}


def index_mismatches(out_dir, entries):
    """The services whose entry in the committed models/index.json differs from a fresh one."""
    path = os.path.join(out_dir, "index.json")
    if not os.path.exists(path):
        return ["index.json (missing)"]
    committed = load_json(path).get("services", {})
    return [f"index.json[{name}]" for name, entry in entries.items() if committed.get(name) != entry]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a committed resource differs from a fresh conversion")
    parser.add_argument("services", nargs="*")
    args = parser.parse_args()
    services = args.services or SERVICES
    os.makedirs(args.out, exist_ok=True)
    index = {"source": f"botocore {botocore.__version__}", "services": {}}
    mismatched = []
    for service in services:
        model = compact(service)
        data = gzip_bytes(serialize(model))
        target = os.path.join(args.out, f"{service}.json.gz")
        if args.check:
            with open(target, "rb") as f:
                if f.read() != data:
                    mismatched.append(service)
        else:
            with open(target, "wb") as f:
                f.write(data)
        index["services"][service] = index_entry(service, model)
    if args.check:
        mismatched += index_mismatches(args.out, index["services"])
        if mismatched:
            print("differs from botocore " + botocore.__version__ + " (+ overlays): " + ", ".join(mismatched))
            return 1
        return 0
    if not args.services:
        with open(os.path.join(args.out, "index.json"), "w", encoding="utf-8") as f:
            json.dump(index, f, indent=1, sort_keys=True)
            f.write("\n")
    print(f"converted {len(services)} services from botocore {botocore.__version__} into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
