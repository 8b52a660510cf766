"""Overlays: what botocore's current models lost and an older wire of the service still needs.

tools/overlays/<service>.json is a fragment of a botocore model ("metadata", "operations", "shapes";
keys starting with "_" are notes) that tools/convert_models.py deep-merges into the converted model.
An overlay may only add, never change what botocore says, and only these traits:

  metadata:                xmlNamespace
  operations.<Op>:         output.resultWrapper
  shapes.<Shape>:          error {code, httpStatusCode, senderFault}   (exception shapes only)
  members.<M> / member / key / value:
                           xmlName, flattened, xmlNamespace, xmlAttribute

xmlName is the name of a member on the query and XML wires only (Smithy's @xmlName): botocore's
locationName would also rename the member on the JSON wire, so an overlay may not set it.
Every shape, member and operation an overlay names must exist in botocore's model, so that a
botocore upgrade that renames something fails the conversion instead of silently dropping a name.
"""
import copy
import json
import os

OVERLAY_DIR = os.path.dirname(os.path.abspath(__file__))

METADATA_KEYS = {"xmlNamespace"}
OPERATION_OUTPUT_KEYS = {"resultWrapper"}
ERROR_KEYS = {"code", "httpStatusCode", "senderFault"}
REF_KEYS = {"xmlName", "flattened", "xmlNamespace", "xmlAttribute"}
SHAPE_KEYS = {"error", "members", "member", "key", "value"}
FORBIDDEN = {
    "locationName": "locationName also renames the member on the JSON wire; use xmlName",
    "jsonName": "an overlay does not change the JSON wire",
}


class OverlayError(Exception):
    pass


def path_of(service):
    return os.path.join(OVERLAY_DIR, service + ".json")


def apply_if_present(model, service):
    """Merges tools/overlays/<service>.json into model (in place) when it exists; returns model."""
    path = path_of(service)
    if not os.path.exists(path):
        return model
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    apply(model, data, service)
    model["metadata"]["terrariumOverlay"] = "tools/overlays/" + service + ".json"
    return model


def apply(model, data, where="overlay"):
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if key == "metadata":
            _merge_keys(model["metadata"], value, METADATA_KEYS, f"{where}: metadata")
        elif key == "operations":
            for name, op in value.items():
                _operation(model, name, op, f"{where}: operations.{name}")
        elif key == "shapes":
            for name, shape in value.items():
                _shape(model, name, shape, f"{where}: shapes.{name}")
        else:
            raise OverlayError(f"{where}: unknown section {key!r}")
    return model


def _operation(model, name, op, where):
    base = model["operations"].get(name)
    if base is None:
        raise OverlayError(f"{where}: botocore's model has no such operation")
    for key, value in op.items():
        if key != "output":
            raise OverlayError(f"{where}: may only add output.resultWrapper, not {key!r}")
        if "output" not in base:
            raise OverlayError(f"{where}: the operation has no output")
        _merge_keys(base["output"], value, OPERATION_OUTPUT_KEYS, where + ".output")


def _shape(model, name, shape, where):
    base = model["shapes"].get(name)
    if base is None:
        raise OverlayError(f"{where}: botocore's model has no such shape")
    for key, value in shape.items():
        if key not in SHAPE_KEYS:
            raise OverlayError(f"{where}: {FORBIDDEN.get(key, f'{key!r} is not a trait overlays add')}")
        if key == "error":
            if not base.get("exception"):
                raise OverlayError(f"{where}: error traits belong on exception shapes")
            base.setdefault("error", {})
            _merge_keys(base["error"], value, ERROR_KEYS, where + ".error")
        elif key == "members":
            for member, traits in value.items():
                ref = base.get("members", {}).get(member)
                if ref is None:
                    raise OverlayError(f"{where}.members.{member}: botocore's shape has no such member")
                _merge_keys(ref, traits, REF_KEYS, f"{where}.members.{member}")
        else:
            if key not in base:
                raise OverlayError(f"{where}.{key}: the shape has no {key}")
            _merge_keys(base[key], value, REF_KEYS, f"{where}.{key}")


def _merge_keys(target, additions, allowed, where):
    if not isinstance(additions, dict):
        raise OverlayError(f"{where}: expected an object")
    for key, value in additions.items():
        if key not in allowed:
            reason = FORBIDDEN.get(key, f"{key!r} is not one of {sorted(allowed)}")
            raise OverlayError(f"{where}: {reason}")
        if key in target and target[key] != value:
            raise OverlayError(f"{where}.{key}: botocore says {target[key]!r}; an overlay only adds")
        target[key] = value


def xml_wire_view(model):
    """A copy of model in which every xmlName is botocore's locationName: how botocore (and the SDKs of
    the query era) serialize and parse the service's query/XML wire."""
    view = copy.deepcopy(model)
    for shape in view.get("shapes", {}).values():
        refs = list(shape.get("members", {}).values())
        refs += [shape[k] for k in ("member", "key", "value") if k in shape]
        for ref in refs:
            if "xmlName" in ref:
                ref["locationName"] = ref.pop("xmlName")
    return view
