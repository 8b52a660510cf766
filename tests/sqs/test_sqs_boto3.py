"""SQS through boto3 (botocore's JSON wire, as current SDKs use it), errors included.

botocore 1.4x does not check SQS's MD5 digests itself (the Java SDK and the aws CLI of old did), so
these tests compute them the way SQS documents and compare.
"""
import hashlib
import struct
import time

import pytest
from botocore.exceptions import ClientError


def md5_of_attributes(attributes):
    """MD5 of message attributes as SQS computes it: per name in sorted order, length-prefixed name,
    data type, a transport byte (1 string, 2 binary) and the value."""
    def field(b):
        return struct.pack(">I", len(b)) + b

    digest = hashlib.md5()
    for name in sorted(attributes):
        a = attributes[name]
        digest.update(field(name.encode()) + field(a["DataType"].encode()))
        if "StringValue" in a:
            digest.update(b"\x01" + field(a["StringValue"].encode()))
        else:
            digest.update(b"\x02" + field(a["BinaryValue"]))
    return digest.hexdigest()


def md5_of_body(body):
    return hashlib.md5(body.encode()).hexdigest()


def error_of(excinfo):
    return excinfo.value.response["Error"]


def counters(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"]),
            int(a["ApproximateNumberOfMessagesDelayed"]))


ATTRIBUTES = {
    "city": {"DataType": "String", "StringValue": "Zürich"},
    "count": {"DataType": "Number", "StringValue": "42.5"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
    "custom": {"DataType": "String.custom", "StringValue": "x"},
}


def test_create_send_receive_delete(sqs, queue_name, queue_url):
    assert queue_url.endswith("/000000000000/" + queue_name)
    assert sqs.get_queue_url(QueueName=queue_name)["QueueUrl"] == queue_url
    assert queue_url in sqs.list_queues(QueueNamePrefix=queue_name)["QueueUrls"]

    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="hello boto3")
    assert sent["MD5OfMessageBody"] == md5_of_body("hello boto3")
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in got] == ["hello boto3"]
    assert got[0]["MessageId"] == sent["MessageId"]
    assert got[0]["MD5OfBody"] == md5_of_body("hello boto3")
    assert got[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    assert counters(sqs, queue_url) == (0, 1, 0)

    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=got[0]["ReceiptHandle"])
    assert counters(sqs, queue_url) == (0, 0, 0)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=0)


def test_message_comes_back_after_its_visibility_timeout(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="again")
    first = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url)
    again = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=3, AttributeNames=["ApproximateReceiveCount"])
    assert again["Messages"][0]["MessageId"] == first["MessageId"]
    assert again["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_long_poll_returns_when_a_message_arrives(sqs, queue_url):
    import threading

    result = {}
    waiter = threading.Thread(target=lambda: result.update(
        sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=10)))
    started = time.monotonic()
    waiter.start()
    time.sleep(0.3)
    sqs.send_message(QueueUrl=queue_url, MessageBody="wake up")
    waiter.join(10)
    assert result["Messages"][0]["Body"] == "wake up"
    assert time.monotonic() - started < 5


def test_message_attributes_and_their_md5(sqs, queue_url):
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="with attributes", MessageAttributes=ATTRIBUTES,
                            MessageSystemAttributes={"AWSTraceHeader": {
                                "DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}})
    assert sent["MD5OfMessageBody"] == md5_of_body("with attributes")
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes(
        {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}})

    m = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"],
                            MessageSystemAttributeNames=["AWSTraceHeader"])["Messages"][0]
    assert m["MessageAttributes"] == ATTRIBUTES
    assert m["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)
    assert m["Attributes"]["AWSTraceHeader"] == "Root=1-5759e988-bd862e3fe1be46a994272793"


def test_only_the_asked_attributes_and_their_md5(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="some", MessageAttributes={
        "geo.city": ATTRIBUTES["city"], "geo.zip": ATTRIBUTES["count"], "geography": ATTRIBUTES["custom"],
        "count": ATTRIBUTES["count"], "blob": ATTRIBUTES["blob"]})
    m = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["geo.*", "count"])["Messages"][0]
    asked = {"geo.city": ATTRIBUTES["city"], "geo.zip": ATTRIBUTES["count"], "count": ATTRIBUTES["count"]}
    assert m["MessageAttributes"] == asked
    assert m["MD5OfMessageAttributes"] == md5_of_attributes(asked)


def test_bad_message_attributes_are_refused(sqs, queue_url):
    with pytest.raises(ClientError) as e:
        sqs.send_message(QueueUrl=queue_url, MessageBody="x",
                         MessageAttributes={"n": {"DataType": "Number", "StringValue": "not a number"}})
    assert error_of(e)["QueryErrorCode"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        sqs.send_message(QueueUrl=queue_url, MessageBody="x",
                         MessageAttributes={"AWS.reserved": {"DataType": "String", "StringValue": "v"}})
    assert error_of(e)["QueryErrorCode"] == "InvalidParameterValue"


def test_fifo_order_groups_and_deduplication(sqs, queue_name):
    url = sqs.create_queue(QueueName=queue_name + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    try:
        first = sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="a", MessageDeduplicationId="d1")
        duplicate = sqs.send_message(QueueUrl=url, MessageBody="a1 again", MessageGroupId="a",
                                     MessageDeduplicationId="d1")
        assert duplicate["MessageId"] == first["MessageId"]
        assert duplicate["SequenceNumber"] == first["SequenceNumber"]
        second = sqs.send_message(QueueUrl=url, MessageBody="a2", MessageGroupId="a", MessageDeduplicationId="d2")
        assert int(second["SequenceNumber"]) > int(first["SequenceNumber"])
        sqs.send_message(QueueUrl=url, MessageBody="b1", MessageGroupId="b", MessageDeduplicationId="d3")

        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
        assert [m["Body"] for m in got] == ["a1", "a2", "b1"]
        assert got[0]["Attributes"]["MessageGroupId"] == "a"
        assert got[0]["Attributes"]["SequenceNumber"] == first["SequenceNumber"]
        # group a is in flight: nothing more of it until its messages are deleted or come back
        assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        assert counters(sqs, url) == (0, 0, 0)
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_fifo_only_rules(sqs, queue_name, queue_url):
    with pytest.raises(ClientError) as e:
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageDeduplicationId="d")
    assert error_of(e)["QueryErrorCode"] == "InvalidParameterValue"
    url = sqs.create_queue(QueueName=queue_name + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    try:
        with pytest.raises(ClientError) as e:
            sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")  # no dedup id, no content dedup
        assert error_of(e)["QueryErrorCode"] == "InvalidParameterValue"
        with pytest.raises(ClientError) as e:
            sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")  # no group
        assert error_of(e)["QueryErrorCode"] == "MissingParameter"
        with pytest.raises(ClientError) as e:
            sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d",
                             DelaySeconds=5)  # delays are per queue only on FIFO queues
        assert error_of(e)["QueryErrorCode"] == "InvalidParameterValue"
    finally:
        sqs.delete_queue(QueueUrl=url)
    with pytest.raises(ClientError) as e:
        sqs.create_queue(QueueName=queue_name + "-nofifo", Attributes={"FifoQueue": "true"})
    assert error_of(e)["QueryErrorCode"] == "InvalidParameterValue"


def test_batches_report_each_entry(sqs, queue_url):
    sent = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "ok", "MessageBody": "fine", "MessageAttributes": {"k": ATTRIBUTES["city"]}},
        {"Id": "badchar", "MessageBody": "bad \x01 char"},
        {"Id": "baddelay", "MessageBody": "late", "DelaySeconds": 901},
    ])
    assert [s["Id"] for s in sent["Successful"]] == ["ok"]
    assert sent["Successful"][0]["MD5OfMessageBody"] == md5_of_body("fine")
    assert sent["Successful"][0]["MD5OfMessageAttributes"] == md5_of_attributes({"k": ATTRIBUTES["city"]})
    failed = {f["Id"]: f for f in sent["Failed"]}
    assert set(failed) == {"badchar", "baddelay"}
    assert failed["badchar"]["Code"] == "InvalidMessageContents" and failed["badchar"]["SenderFault"] is True
    assert failed["baddelay"]["Code"] == "InvalidParameterValue" and failed["baddelay"]["SenderFault"] is True

    m = sqs.receive_message(QueueUrl=queue_url)["Messages"][0]
    deleted = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "good", "ReceiptHandle": m["ReceiptHandle"]},
        {"Id": "bogus", "ReceiptHandle": "not-a-receipt-handle"},
    ])
    assert [s["Id"] for s in deleted["Successful"]] == ["good"]
    assert deleted["Failed"][0]["Id"] == "bogus"
    assert deleted["Failed"][0]["Code"] == "ReceiptHandleIsInvalid"


@pytest.mark.parametrize("entries, code", [
    ([{"Id": "same", "MessageBody": "1"}, {"Id": "same", "MessageBody": "2"}], "BatchEntryIdsNotDistinct"),
    ([{"Id": f"e{i}", "MessageBody": "x"} for i in range(11)], "TooManyEntriesInBatchRequest"),
    ([], "EmptyBatchRequest"),
    ([{"Id": "bad id!", "MessageBody": "x"}], "InvalidBatchEntryId"),
])
def test_batch_errors(sqs, queue_url, entries, code):
    with pytest.raises(ClientError) as e:
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert error_of(e)["QueryErrorCode"] == code
    assert error_of(e)["Code"] == "AWS.SimpleQueueService." + code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_batch_too_long(sqs, queue_url):
    big = "x" * (600 * 1024)
    with pytest.raises(ClientError) as e:
        sqs.send_message_batch(QueueUrl=queue_url, Entries=[{"Id": "a", "MessageBody": big},
                                                            {"Id": "b", "MessageBody": big}])
    assert error_of(e)["QueryErrorCode"] == "BatchRequestTooLong"


def test_queue_does_not_exist(sqs, endpoint):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as e:
        sqs.get_queue_url(QueueName="no-such-queue")
    # botocore puts the query-era code in Code and the modeled name in QueryErrorCode
    assert error_of(e)["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert error_of(e)["QueryErrorCode"] == "QueueDoesNotExist"
    assert error_of(e)["Type"] == "Sender"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    with pytest.raises(ClientError) as e:
        sqs.send_message(QueueUrl=endpoint + "/000000000000/no-such-queue", MessageBody="x")
    assert error_of(e)["QueryErrorCode"] == "QueueDoesNotExist"


def test_queue_name_exists_with_other_attributes(sqs, queue_name, queue_url):
    assert sqs.create_queue(QueueName=queue_name)["QueueUrl"] == queue_url  # same attributes: same queue
    with pytest.raises(ClientError) as e:
        sqs.create_queue(QueueName=queue_name, Attributes={"VisibilityTimeout": "7"})
    assert error_of(e)["QueryErrorCode"] == "QueueNameExists"


def test_purge_once_a_minute(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="x")
    sqs.purge_queue(QueueUrl=queue_url)
    assert counters(sqs, queue_url) == (0, 0, 0)
    with pytest.raises(ClientError) as e:
        sqs.purge_queue(QueueUrl=queue_url)
    assert error_of(e)["QueryErrorCode"] == "PurgeQueueInProgress"
