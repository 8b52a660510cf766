"""boto3's Table resource and conditions builder against Terrarium; prints OK or fails with an assertion."""
import sys
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
ddb = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test")
table = ddb.create_table(
    TableName="Boto", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
table.wait_until_exists()

with table.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={"pk": "p", "sk": i, "price": Decimal("1.5") * i, "tags": {"a", "b"} if i % 2 else {"a"}})

r = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").between(5, 9), ScanIndexForward=False)
assert [int(i["sk"]) for i in r["Items"]] == [9, 8, 7, 6, 5], r["Items"]
assert r["Items"][0]["price"] == Decimal("13.5"), r["Items"][0]

r = table.scan(FilterExpression=Attr("tags").contains("b") & Attr("price").gt(30))
assert sorted(int(i["sk"]) for i in r["Items"]) == [21, 23, 25, 27, 29], r["Items"]

table.update_item(Key={"pk": "p", "sk": 1}, UpdateExpression="SET price = price + :d REMOVE tags",
                  ExpressionAttributeValues={":d": Decimal("0.25")})
item = table.get_item(Key={"pk": "p", "sk": 1})["Item"]
assert item["price"] == Decimal("1.75") and "tags" not in item, item

try:
    table.put_item(Item={"pk": "p", "sk": 1}, ConditionExpression=Attr("pk").not_exists())
    raise AssertionError("condition should have failed")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ConditionalCheckFailedException", e.response
    assert e.response["Error"]["Message"] == "The conditional request failed", e.response

try:
    table.update_item(Key={"pk": "p", "sk": 1}, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": 1, ":w": 2})
    raise AssertionError("unused value should have failed")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
    assert e.response["Error"]["Message"] == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"

pages = ddb.meta.client.get_paginator("scan").paginate(TableName="Boto", PaginationConfig={"PageSize": 7})
assert sum(len(p["Items"]) for p in pages) == 30
print("OK")
