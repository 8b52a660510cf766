"""Tests of overlay.py (python3 -m unittest discover -s tools/overlays); ModelOverlayTest runs them."""
import copy
import json
import os
import unittest

import overlay

BASE = {
    "metadata": {"protocol": "json"},
    "operations": {"Get": {"input": {"shape": "GetIn"}, "output": {"shape": "GetOut"}},
                   "Delete": {"input": {"shape": "GetIn"}}},
    "shapes": {
        "GetIn": {"type": "structure", "members": {"Names": {"shape": "NameList"}}},
        "GetOut": {"type": "structure", "members": {"Tags": {"shape": "TagMap", "flattened": True}}},
        "NameList": {"type": "list", "member": {"shape": "String"}, "flattened": True},
        "TagMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}, "flattened": True},
        "String": {"type": "string"},
        "Missing": {"type": "structure", "members": {}, "exception": True},
    },
}


def merged(data):
    return overlay.apply(copy.deepcopy(BASE), data)


class ApplyTest(unittest.TestCase):
    def test_adds_every_allowed_trait(self):
        m = merged({
            "_note": "ignored",
            "metadata": {"xmlNamespace": "http://x/doc/"},
            "operations": {"Get": {"output": {"resultWrapper": "GetResult"}}},
            "shapes": {
                "Missing": {"error": {"code": "AWS.X.Missing", "httpStatusCode": 404, "senderFault": True}},
                "GetIn": {"members": {"Names": {"xmlName": "Name", "flattened": True}}},
                "TagMap": {"key": {"xmlName": "Key"}, "value": {"xmlName": "Value"}},
                "NameList": {"member": {"xmlName": "Item"}},
            },
        })
        self.assertEqual(m["metadata"]["xmlNamespace"], "http://x/doc/")
        self.assertEqual(m["operations"]["Get"]["output"], {"shape": "GetOut", "resultWrapper": "GetResult"})
        self.assertEqual(m["shapes"]["Missing"]["error"]["code"], "AWS.X.Missing")
        self.assertEqual(m["shapes"]["GetIn"]["members"]["Names"], {"shape": "NameList", "xmlName": "Name", "flattened": True})
        self.assertEqual(m["shapes"]["TagMap"]["key"], {"shape": "String", "xmlName": "Key"})
        self.assertNotIn("_note", m)

    def test_refuses_location_name_which_would_rename_the_json_wire(self):
        with self.assertRaisesRegex(overlay.OverlayError, "JSON wire; use xmlName"):
            merged({"shapes": {"GetIn": {"members": {"Names": {"locationName": "Name"}}}}})

    def test_refuses_unknown_shapes_members_operations_and_parts(self):
        for bad, message in [
            ({"shapes": {"Nope": {"members": {}}}}, "no such shape"),
            ({"shapes": {"GetIn": {"members": {"Nope": {"xmlName": "x"}}}}}, "no such member"),
            ({"operations": {"Nope": {"output": {"resultWrapper": "x"}}}}, "no such operation"),
            ({"operations": {"Delete": {"output": {"resultWrapper": "x"}}}}, "has no output"),
            ({"shapes": {"GetIn": {"member": {"xmlName": "x"}}}}, "has no member"),
            ({"shapes": {"GetIn": {"error": {"code": "x"}}}}, "belong on exception shapes"),
            ({"shapes": {"GetIn": {"required": ["Names"]}}}, "not a trait overlays add"),
            ({"metadata": {"protocol": "query"}}, "not one of"),
            ({"operations": {"Get": {"http": {"method": "GET"}}}}, "only add output.resultWrapper"),
            ({"shapez": {}}, "unknown section"),
        ]:
            with self.subTest(bad=bad), self.assertRaisesRegex(overlay.OverlayError, message):
                merged(bad)

    def test_only_adds_never_changes_botocore(self):
        with self.assertRaisesRegex(overlay.OverlayError, "botocore says True; an overlay only adds"):
            merged({"shapes": {"GetOut": {"members": {"Tags": {"flattened": False}}}}})
        same = merged({"shapes": {"GetOut": {"members": {"Tags": {"flattened": True}}}}})
        self.assertEqual(same["shapes"]["GetOut"], BASE["shapes"]["GetOut"])

    def test_xml_wire_view_turns_xml_names_into_location_names_on_a_copy(self):
        m = merged({"shapes": {"GetIn": {"members": {"Names": {"xmlName": "Name"}}},
                               "TagMap": {"key": {"xmlName": "Key"}}}})
        view = overlay.xml_wire_view(m)
        self.assertEqual(view["shapes"]["GetIn"]["members"]["Names"], {"shape": "NameList", "locationName": "Name"})
        self.assertEqual(view["shapes"]["TagMap"]["key"], {"shape": "String", "locationName": "Key"})
        self.assertEqual(m["shapes"]["GetIn"]["members"]["Names"]["xmlName"], "Name")


class ShippedOverlaysTest(unittest.TestCase):
    def test_every_overlay_is_valid_json_with_known_sections(self):
        names = [f for f in os.listdir(overlay.OVERLAY_DIR) if f.endswith(".json")]
        self.assertIn("sqs.json", names)
        for name in names:
            with open(os.path.join(overlay.OVERLAY_DIR, name), encoding="utf-8") as f:
                data = json.load(f)
            self.assertLessEqual({k for k in data if not k.startswith("_")}, {"metadata", "operations", "shapes"})


if __name__ == "__main__":
    unittest.main()
