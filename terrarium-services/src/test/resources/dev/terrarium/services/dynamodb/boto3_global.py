"""boto3 against Terrarium: a global table's replica in another region, and an export to S3 read back with gzip."""
import gzip
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
creds = dict(endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
east = boto3.resource("dynamodb", region_name="us-east-1", **creds)
west = boto3.resource("dynamodb", region_name="eu-west-1", **creds)
client = east.meta.client
s3 = boto3.client("s3", region_name="us-east-1", **creds)

table = east.create_table(
    TableName="Globe", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
table.wait_until_exists()
described = client.update_table(TableName="Globe", ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}])["TableDescription"]
assert described["GlobalTableVersion"] == "2019.11.21", described
table.put_item(Item={"pk": "from-east", "n": 1})
replica = west.Table("Globe")
assert replica.get_item(Key={"pk": "from-east"})["Item"]["n"] == 1
replica.put_item(Item={"pk": "from-west"})
assert "Item" in table.get_item(Key={"pk": "from-west"})

try:
    client.describe_global_table(GlobalTableName="Globe")
    raise AssertionError("a 2019.11.21 global table is no legacy one")
except ClientError as e:
    assert e.response["Error"]["Code"] == "GlobalTableNotFoundException", e.response

client.update_continuous_backups(TableName="Globe", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
s3.create_bucket(Bucket="boto-exports")
arn = client.export_table_to_point_in_time(TableArn=table.table_arn, S3Bucket="boto-exports")["ExportDescription"]["ExportArn"]
export = client.describe_export(ExportArn=arn)["ExportDescription"]
assert export["ExportStatus"] == "COMPLETED", export
summary = json.loads(s3.get_object(Bucket="boto-exports", Key=export["ExportManifest"])["Body"].read())
assert export["ExportManifest"].endswith("/manifest-summary.json"), export
files = s3.get_object(Bucket="boto-exports", Key=summary["manifestFilesS3Key"])["Body"].read().decode().splitlines()
data_key = json.loads(files[0])["dataFileS3Key"]
lines = gzip.decompress(s3.get_object(Bucket="boto-exports", Key=data_key)["Body"].read()).decode().splitlines()
assert sorted(json.loads(l)["Item"]["pk"]["S"] for l in lines) == ["from-east", "from-west"], lines
print("OK")
