"""boto3 against Terrarium's S3: the resource API, managed transfers with multipart, presigned POST and GET,
paginators, error codes. Prints OK last when every check passed."""
import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request

import boto3
import botocore.exceptions
import requests
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, signature_version="s3v4")
s3 = session.resource("s3", endpoint_url=endpoint, config=config)
client = s3.meta.client


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# resource API: buckets, objects, collections
bucket = s3.create_bucket(Bucket="boto-res")
bucket.put_object(Key="docs/a.txt", Body=b"alpha", ContentType="text/plain", Metadata={"colour": "blue"})
obj = s3.Object("boto-res", "docs/a.txt")
check(obj.get()["Body"].read() == b"alpha", "object body")
check(obj.metadata == {"colour": "blue"}, "user metadata %r" % obj.metadata)
check(obj.content_type == "text/plain", "content type")
check([b.name for b in s3.buckets.all()] == ["boto-res"], "buckets.all")
for i in range(25):
    bucket.put_object(Key="many/%03d" % i, Body=b"x" * i)
check(len(list(bucket.objects.filter(Prefix="many/"))) == 25, "objects.filter")
check(sum(o.size for o in bucket.objects.filter(Prefix="many/")) == sum(range(25)), "sizes")
key = "unicode/ü € 😀 +&=?#%.txt"
bucket.put_object(Key=key, Body=b"odd")
check(s3.Object("boto-res", key).get()["Body"].read() == b"odd", "unicode key")
check(key in [o.key for o in bucket.objects.filter(Prefix="unicode/")], "unicode key listed")

# paginators: 25 keys in pages of 10, with and without delimiter
pages = list(client.get_paginator("list_objects_v2").paginate(Bucket="boto-res", Prefix="many/",
                                                               PaginationConfig={"PageSize": 10}))
check([p["KeyCount"] for p in pages] == [10, 10, 5], "v2 pages %r" % [p["KeyCount"] for p in pages])
v1 = list(client.get_paginator("list_objects").paginate(Bucket="boto-res", PaginationConfig={"PageSize": 7}))
check(sum(len(p.get("Contents", [])) for p in v1) == 27, "v1 pages")
prefixes = [cp["Prefix"] for p in client.get_paginator("list_objects_v2").paginate(Bucket="boto-res", Delimiter="/")
            for cp in p.get("CommonPrefixes", [])]
check(prefixes == ["docs/", "many/", "unicode/"], "common prefixes %r" % prefixes)

# managed transfer: multipart above the threshold, download in ranges
tmp = tempfile.mkdtemp()
src = os.path.join(tmp, "big.bin")
with open(src, "wb") as f:
    f.write(os.urandom(13 * 1024 * 1024))
transfer = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
bucket.upload_file(src, "big.bin", Config=transfer)
etag = s3.Object("boto-res", "big.bin").e_tag
check(etag.endswith('-3"'), "multipart etag %s" % etag)
dst = os.path.join(tmp, "big.out")
bucket.download_file("big.bin", dst, Config=transfer)
digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
check(digest(src) == digest(dst), "download matches upload")

# presigned GET and PUT
url = client.generate_presigned_url("get_object", Params={"Bucket": "boto-res", "Key": "docs/a.txt"}, ExpiresIn=300)
check(urllib.request.urlopen(url).read() == b"alpha", "presigned GET")
put_url = client.generate_presigned_url("put_object", Params={"Bucket": "boto-res", "Key": "put.txt"}, ExpiresIn=300)
check(requests.put(put_url, data=b"by url").status_code == 200, "presigned PUT")
check(s3.Object("boto-res", "put.txt").get()["Body"].read() == b"by url", "presigned PUT stored")
bad = url.replace("Signature=", "Signature=00")
try:
    urllib.request.urlopen(bad)
    check(False, "tampered URL accepted")
except urllib.error.HTTPError as e:
    check(e.code == 403 and b"SignatureDoesNotMatch" in e.read(), "tampered URL refused")

# presigned POST with a policy: accepted within it, refused outside it
post = client.generate_presigned_post("boto-res", "uploads/${filename}",
                                      Fields={"success_action_status": "201"},
                                      Conditions=[{"success_action_status": "201"},
                                                  ["starts-with", "$key", "uploads/"],
                                                  ["content-length-range", 1, 100]],
                                      ExpiresIn=300)
r = requests.post(post["url"], data=post["fields"], files={"file": ("form.txt", b"posted")})
check(r.status_code == 201 and b"<Key>uploads/form.txt</Key>" in r.content, "presigned POST %s %r" % (r.status_code, r.content))
check(s3.Object("boto-res", "uploads/form.txt").get()["Body"].read() == b"posted", "POST stored")
r = requests.post(post["url"], data=post["fields"], files={"file": ("big.txt", b"y" * 500)})
check(r.status_code == 400 and b"EntityTooLarge" in r.content, "POST over the size range %s %r" % (r.status_code, r.content))

# errors as botocore sees them
try:
    s3.Object("boto-res", "missing").get()
    check(False, "missing key")
except client.exceptions.NoSuchKey as e:
    check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, "404")
try:
    s3.Object("boto-res", "missing").load()
    check(False, "head of missing key")
except botocore.exceptions.ClientError as e:
    check(e.response["Error"]["Code"] == "404", "HEAD 404 code %r" % e.response["Error"])
try:
    bucket.delete()
    check(False, "non-empty bucket deleted")
except botocore.exceptions.ClientError as e:
    check(e.response["Error"]["Code"] == "BucketNotEmpty", "BucketNotEmpty")

# batch delete through the collection, then the bucket goes
bucket.object_versions.delete()
bucket.objects.all().delete()
check(list(bucket.objects.all()) == [], "emptied")
bucket.delete()
check(list(s3.buckets.all()) == [], "bucket deleted")
# the older lifecycle and notification operations, read back in both forms
client.create_bucket(Bucket="boto-legacy")
client.put_bucket_lifecycle(Bucket="boto-legacy", LifecycleConfiguration={"Rules": [
    {"ID": "old", "Prefix": "logs/", "Status": "Enabled", "Expiration": {"Days": 30},
     "Transition": {"Days": 10, "StorageClass": "GLACIER"}}]})
old = client.get_bucket_lifecycle(Bucket="boto-legacy")["Rules"][0]
check(old["Prefix"] == "logs/" and old["Transition"]["StorageClass"] == "GLACIER", "legacy lifecycle %r" % old)
new = client.get_bucket_lifecycle_configuration(Bucket="boto-legacy")["Rules"][0]
check(new["Transitions"][0]["Days"] == 10 and new["Expiration"]["Days"] == 30, "lifecycle as current %r" % new)
sqs = session.client("sqs", endpoint_url=endpoint)
queue_url = sqs.create_queue(QueueName="legacy-events")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
client.put_bucket_notification(Bucket="boto-legacy", NotificationConfiguration={
    "QueueConfiguration": {"Id": "q", "Events": ["s3:ObjectCreated:*"], "Queue": queue_arn}})
got = client.get_bucket_notification(Bucket="boto-legacy")["QueueConfiguration"]
check(got["Queue"] == queue_arn and got["Events"] == ["s3:ObjectCreated:*"], "legacy notification %r" % got)
current = client.get_bucket_notification_configuration(Bucket="boto-legacy")["QueueConfigurations"][0]
check(current["QueueArn"] == queue_arn, "notification as current %r" % current)
sqs.purge_queue(QueueUrl=queue_url)
client.put_object(Bucket="boto-legacy", Key="new.txt", Body=b"x")
messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2, MaxNumberOfMessages=10).get("Messages", [])
check(any("ObjectCreated:Put" in m["Body"] for m in messages), "legacy-configured event delivered %r" % messages)
try:
    client.put_bucket_notification(Bucket="boto-legacy", NotificationConfiguration={
        "QueueConfiguration": {"Events": ["s3:ObjectCreated:*"], "Queue": queue_arn + "-missing"}})
    check(False, "missing queue accepted")
except botocore.exceptions.ClientError as e:
    check(e.response["Error"]["Code"] == "InvalidArgument", "missing queue %r" % e.response["Error"])
print("OK")
