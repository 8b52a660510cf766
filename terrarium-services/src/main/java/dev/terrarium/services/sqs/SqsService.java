package dev.terrarium.services.sqs;

import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.IamActionProvider;
import dev.terrarium.core.iam.IamResourceProvider;
import dev.terrarium.core.iam.ResourcePolicyProvider;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;
import dev.terrarium.services.events.SqsSend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Amazon Simple Queue Service. */
@Service("sqs")
public final class SqsService implements AwsService, ResourcePolicyProvider, IamActionProvider, IamResourceProvider {
    private static final Set<String> WITHOUT_QUEUE_URL = Set.of("CreateQueue", "GetQueueUrl", "ListQueues",
            "StartMessageMoveTask", "ListMessageMoveTasks", "CancelMessageMoveTask");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqsService.class);
    private final Clock clock;
    private final Queues queues = new Queues();
    private final MessageMoveTasks tasks;
    private final LongPolls polls;

    /** Batch operations are authorized as their single-message actions (sqs:SendMessage for SendMessageBatch...). */
    @Override
    public String iamAction(Call call, Struct in) {
        String op = call.operation().name();
        return op.endsWith("Batch") ? op.substring(0, op.length() - "Batch".length()) : null;
    }

    /** The queue a call names: by URL (its last two parts are the owner and the name), else by name in the caller's account. */
    @Override
    public String resourceArn(Call call, Struct in) {
        String url = in.string("QueueUrl");
        if (url != null) {
            String[] parts = url.split("/");
            if (parts.length >= 2) {
                return "arn:aws:sqs:" + call.region() + ":" + parts[parts.length - 2] + ":" + parts[parts.length - 1];
            }
        }
        return in.string("QueueName") == null ? null : "arn:aws:sqs:" + call.region() + ":" + call.account() + ":" + in.string("QueueName");
    }

    /** The queue a call names (by URL, or by name and owner for GetQueueUrl), its owner and its Policy attribute. */
    @Override
    public ResourcePolicy resourcePolicy(Call call, Struct in) {
        String owner;
        String name;
        QueueUrls.Parsed url = QueueUrls.tryParse(in.string("QueueUrl"));
        if (url != null) {
            owner = url.account();
            name = url.name();
        } else if (call.operation().name().equals("GetQueueUrl")) {
            owner = in.string("QueueOwnerAWSAccountId", call.account());
            name = in.string("QueueName");
        } else {
            return null;
        }
        Queue q = queues.find(owner, call.region(), name);
        if (q == null) {
            return null;
        }
        String json = q.attributes().get("Policy");
        Policy policy = null;
        if (json != null && !json.isEmpty()) {
            try {
                policy = new Policy("arn:aws:sqs:" + q.region + ":" + q.account + ":" + q.name + " queue policy",
                        PolicyDocument.parse(json, PolicyKind.RESOURCE));
            } catch (MalformedPolicyException e) {
                policy = null;
            }
        }
        return new ResourcePolicy(q.account, policy, q.tags());
    }

    public SqsService(ServiceContext context) {
        this.clock = context.clock();
        this.tasks = new MessageMoveTasks(queues, clock);
        this.polls = new LongPolls(clock, tasks::tick);
        context.events().subscribe(SqsSend.TOPIC, this::deliver);
    }

    /** Whether the queue an ARN names exists (S3 checks its notification destinations). */
    public boolean hasQueue(String queueArn) {
        return queues.byArn(queueArn) != null;
    }

    /** A message another service sends to a queue through the events bus (S3 notifications...). */
    private void deliver(Object event) {
        if (!(event instanceof SqsSend send)) {
            return;
        }
        Queue q = queues.byArn(send.queueArn());
        if (q == null) {
            LOG.debug("dropped a message for {}: no such queue", send.queueArn());
            return;
        }
        try {
            String sender = send.senderId() == null ? q.account : send.senderId();
            q.send(SendRules.check(q, sender, send.body(), null, null, null, null, null), clock.millis());
        } catch (AwsException e) {
            LOG.debug("dropped a message for {}: {}", send.queueArn(), e.getMessage());
        }
    }

    @Override
    public void reset() {
        queues.clear();
        tasks.clear();
    }

    /** Query requests posted to a queue URL name the queue by their path instead of a QueueUrl parameter. */
    @Override
    public void completeInput(String operation, HttpRequest request, Struct input) {
        if (!WITHOUT_QUEUE_URL.contains(operation) && input.string("QueueUrl") == null) {
            QueueUrls.Parsed p = QueueUrls.fromPath(request.rawPath());
            if (p != null) {
                String host = request.header("host");
                input.put("QueueUrl", QueueUrls.format("http://" + (host == null ? "localhost:4566" : host), p.account(), p.name()));
            }
        }
    }

    // --- queues

    @AwsOperation("CreateQueue")
    public Struct createQueue(Call call, Struct in) {
        Map<String, String> tags = orEmpty(in.stringMap("tags"));
        new Tags().put(tags, "InvalidParameterValue");
        Map<String, String> attributes = orEmpty(in.stringMap("Attributes"));
        Queue q = queues.create(call.account(), call.region(), in.string("QueueName"), attributes, clock.millis());
        if (!tags.isEmpty() && q.tags().isEmpty()) {
            q.tag(tags);
        }
        return Struct.of("QueueUrl", url(call, q));
    }

    @AwsOperation("GetQueueUrl")
    public Struct getQueueUrl(Call call, Struct in) {
        String owner = in.string("QueueOwnerAWSAccountId", call.account());
        return Struct.of("QueueUrl", url(call, queues.require(owner, call.region(), in.string("QueueName"))));
    }

    @AwsOperation("ListQueues")
    public Struct listQueues(Call call, Struct in) {
        String prefix = in.string("QueueNamePrefix", "");
        List<Queue> matching = new ArrayList<>();
        for (Queue q : queues.list(call.account(), call.region())) {
            if (q.name.startsWith(prefix)) {
                matching.add(q);
            }
        }
        return urlPage(call, in, matching, "QueueUrls");
    }

    @AwsOperation("DeleteQueue")
    public Struct deleteQueue(Call call, Struct in) {
        queues.delete(queue(call, in), clock.millis());
        return null;
    }

    @AwsOperation("PurgeQueue")
    public Struct purgeQueue(Call call, Struct in) {
        queue(call, in).purge(clock.millis());
        return null;
    }

    @AwsOperation("GetQueueAttributes")
    public Struct getQueueAttributes(Call call, Struct in) {
        Queue q = queue(call, in);
        Map<String, String> out = QueueAttributeView.of(q, in.strings("AttributeNames"), clock.millis());
        return out.isEmpty() ? Struct.empty() : Struct.of("Attributes", out);
    }

    @AwsOperation("SetQueueAttributes")
    public Struct setQueueAttributes(Call call, Struct in) {
        Queue q = queue(call, in);
        Map<String, String> changes = orEmpty(in.stringMap("Attributes"));
        synchronized (q) {
            QueueAttributes updated = q.attributes().with(changes, false);
            if (changes.containsKey("RedrivePolicy") && updated.redrivePolicy() != null) {
                queues.checkDeadLetterTarget(q, updated.redrivePolicy());
            }
            q.setAttributes(updated, clock.millis());
        }
        return null;
    }

    @AwsOperation("TagQueue")
    public Struct tagQueue(Call call, Struct in) {
        queue(call, in).tag(orEmpty(in.stringMap("Tags")));
        return null;
    }

    @AwsOperation("UntagQueue")
    public Struct untagQueue(Call call, Struct in) {
        queue(call, in).untag(in.strings("TagKeys"));
        return null;
    }

    @AwsOperation("ListQueueTags")
    public Struct listQueueTags(Call call, Struct in) {
        Map<String, String> tags = queue(call, in).tags();
        return tags.isEmpty() ? Struct.empty() : Struct.of("Tags", tags);
    }

    @AwsOperation("AddPermission")
    public Struct addPermission(Call call, Struct in) {
        Queue q = queue(call, in);
        synchronized (q) {
            String policy = QueuePolicy.add(q.attributes().get("Policy"), q.arn, in.string("Label"),
                    in.strings("AWSAccountIds"), in.strings("Actions"));
            q.setAttributes(q.attributes().with(Map.of("Policy", policy), false), clock.millis());
        }
        return null;
    }

    @AwsOperation("RemovePermission")
    public Struct removePermission(Call call, Struct in) {
        Queue q = queue(call, in);
        synchronized (q) {
            String policy = QueuePolicy.remove(q.attributes().get("Policy"), q.arn, in.string("Label"));
            q.setAttributes(q.attributes().with(Map.of("Policy", policy), false), clock.millis());
        }
        return null;
    }

    @AwsOperation("ListDeadLetterSourceQueues")
    public Struct listDeadLetterSourceQueues(Call call, Struct in) {
        Queue dlq = queue(call, in);
        List<Queue> sources = sourcesOf(dlq);
        return urlPage(call, in, sources, "queueUrls");
    }

    // --- messages

    @AwsOperation("SendMessage")
    public Struct sendMessage(Call call, Struct in) {
        Queue q = queue(call, in);
        SendRequest r = SendRules.check(q, senderId(call), in.string("MessageBody"), in.integer("DelaySeconds"),
                in.map("MessageAttributes"), in.map("MessageSystemAttributes"), in.string("MessageGroupId"),
                in.string("MessageDeduplicationId"));
        SendResult sent = q.send(r, clock.millis());
        return Struct.of("MD5OfMessageBody", sent.bodyMd5(), "MD5OfMessageAttributes", sent.attributesMd5(),
                "MD5OfMessageSystemAttributes", sent.systemAttributesMd5(), "MessageId", sent.messageId(),
                "SequenceNumber", sent.sequenceNumber());
    }

    @AwsOperation("SendMessageBatch")
    public Struct sendMessageBatch(Call call, Struct in) {
        Queue q = queue(call, in);
        List<Struct> entries = BatchEntries.check(in.structs("Entries"), "SendMessageBatchRequestEntry");
        int total = 0;
        for (Struct e : entries) {
            total += MessageAttributes.utf8(e.string("MessageBody"))
                    + MessageAttributes.size(MessageAttributes.sizeView(e.map("MessageAttributes")));
        }
        int max = q.attributes().maximumMessageSize();
        if (total > max) {
            throw new AwsException("BatchRequestTooLong", "Batch requests cannot be longer than " + max
                    + " bytes. You have sent " + total + " bytes.");
        }
        List<Struct> successful = new ArrayList<>();
        List<Struct> failed = new ArrayList<>();
        long now = clock.millis();
        for (Struct e : entries) {
            try {
                SendRequest r = SendRules.check(q, senderId(call), e.string("MessageBody"), e.integer("DelaySeconds"),
                        e.map("MessageAttributes"), e.map("MessageSystemAttributes"), e.string("MessageGroupId"),
                        e.string("MessageDeduplicationId"));
                SendResult sent = q.send(r, now);
                successful.add(Struct.of("Id", e.string("Id"), "MessageId", sent.messageId(),
                        "MD5OfMessageBody", sent.bodyMd5(), "MD5OfMessageAttributes", sent.attributesMd5(),
                        "MD5OfMessageSystemAttributes", sent.systemAttributesMd5(), "SequenceNumber", sent.sequenceNumber()));
            } catch (AwsException ex) {
                failed.add(BatchEntries.failure(e.string("Id"), ex));
            }
        }
        return Struct.of("Successful", successful, "Failed", failed);
    }

    @AwsOperation("ReceiveMessage")
    public CompletionStage<Struct> receiveMessage(Call call, Struct in) {
        Queue q = queue(call, in);
        QueueAttributes a = q.attributes();
        int max = in.integer("MaxNumberOfMessages", 1);
        if (max < 1 || max > 10) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
        }
        int visibility = in.integer("VisibilityTimeout", a.visibilityTimeout());
        if (visibility < 0 || visibility > 43200) {
            throw SqsErrors.invalidParameter("VisibilityTimeout", visibility, "Must be between 0 and 43200, if provided.");
        }
        int wait = in.integer("WaitTimeSeconds", a.receiveWaitSeconds());
        if (wait < 0 || wait > 20) {
            throw SqsErrors.invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
        }
        String attemptId = in.string("ReceiveRequestAttemptId");
        if (attemptId != null && !attemptId.matches("[\\p{Alnum}\\p{Punct}]{1,128}")) {
            throw SqsErrors.invalidParameter("ReceiveRequestAttemptId", attemptId, "ReceiveRequestAttemptId can only "
                    + "include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        ReceivedMessages view = new ReceivedMessages(in.strings("AttributeNames"), in.strings("MessageSystemAttributeNames"),
                in.strings("MessageAttributeNames"));
        return q.receive(new ReceiveRequest(max, visibility, wait, attemptId), clock.millis(), polls)
                .thenApply(view::output);
    }

    @AwsOperation("DeleteMessage")
    public Struct deleteMessage(Call call, Struct in) {
        queue(call, in).delete(in.string("ReceiptHandle"), clock.millis());
        return null;
    }

    @AwsOperation("DeleteMessageBatch")
    public Struct deleteMessageBatch(Call call, Struct in) {
        Queue q = queue(call, in);
        List<Struct> successful = new ArrayList<>();
        List<Struct> failed = new ArrayList<>();
        for (Struct e : BatchEntries.check(in.structs("Entries"), "DeleteMessageBatchRequestEntry")) {
            try {
                q.delete(e.string("ReceiptHandle"), clock.millis());
                successful.add(Struct.of("Id", e.string("Id")));
            } catch (AwsException ex) {
                failed.add(BatchEntries.failure(e.string("Id"), ex));
            }
        }
        return Struct.of("Successful", successful, "Failed", failed);
    }

    @AwsOperation("ChangeMessageVisibility")
    public Struct changeMessageVisibility(Call call, Struct in) {
        queue(call, in).changeVisibility(in.string("ReceiptHandle"), in.integer("VisibilityTimeout"), clock.millis());
        return null;
    }

    @AwsOperation("ChangeMessageVisibilityBatch")
    public Struct changeMessageVisibilityBatch(Call call, Struct in) {
        Queue q = queue(call, in);
        List<Struct> successful = new ArrayList<>();
        List<Struct> failed = new ArrayList<>();
        for (Struct e : BatchEntries.check(in.structs("Entries"), "ChangeMessageVisibilityBatchRequestEntry")) {
            try {
                Integer timeout = e.integer("VisibilityTimeout");
                if (timeout == null) {
                    throw SqsErrors.missingParameter("VisibilityTimeout");
                }
                q.changeVisibility(e.string("ReceiptHandle"), timeout, clock.millis());
                successful.add(Struct.of("Id", e.string("Id")));
            } catch (AwsException ex) {
                failed.add(BatchEntries.failure(e.string("Id"), ex));
            }
        }
        return Struct.of("Successful", successful, "Failed", failed);
    }

    // --- message move tasks

    @AwsOperation("StartMessageMoveTask")
    public Struct startMessageMoveTask(Call call, Struct in) {
        Queue source = queues.byArn(in.string("SourceArn"));
        if (source == null) {
            throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        }
        MessageMoveTasks.Task task = tasks.start(source, in.string("DestinationArn"),
                in.integer("MaxNumberOfMessagesPerSecond"), sourcesOf(source));
        polls.start();
        return Struct.of("TaskHandle", task.handle);
    }

    @AwsOperation("ListMessageMoveTasks")
    public Struct listMessageMoveTasks(Call call, Struct in) {
        Queue source = queues.byArn(in.string("SourceArn"));
        if (source == null) {
            throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        }
        int max = in.integer("MaxResults", 1);
        if (max < 1 || max > 10) {
            throw SqsErrors.invalidParameter("MaxResults", max, "Must be between 1 and 10, if provided.");
        }
        List<Struct> results = new ArrayList<>();
        for (MessageMoveTasks.Task t : tasks.list(source.arn)) {
            if (results.size() < max) {
                results.add(MessageMoveTasks.describe(t));
            }
        }
        return Struct.of("Results", results);
    }

    @AwsOperation("CancelMessageMoveTask")
    public Struct cancelMessageMoveTask(Call call, Struct in) {
        MessageMoveTasks.Task t = tasks.cancel(in.string("TaskHandle"));
        return Struct.of("ApproximateNumberOfMessagesMoved", t.moved);
    }

    // --- direct calls from other services of the server (Lambda's event source mappings and destinations)

    /**
     * Receives up to max messages from the queue named by ARN, waiting up to waitSeconds, with all system and
     * message attributes: the Messages of a ReceiveMessage output (empty when none). Throws
     * QueueDoesNotExist when the queue does not exist.
     */
    public CompletionStage<List<Struct>> receiveByArn(String queueArn, int max, int waitSeconds) {
        Queue q = requireByArn(queueArn);
        ReceivedMessages view = new ReceivedMessages(List.of("All"), List.of("All"), List.of("All"));
        return q.receive(new ReceiveRequest(Math.max(1, Math.min(10, max)), q.attributes().visibilityTimeout(),
                        Math.max(0, Math.min(20, waitSeconds)), null), clock.millis(), polls)
                .thenApply(d -> view.output(d).structs("Messages"))
                .thenApply(l -> l == null ? List.<Struct>of() : l);
    }

    /** Deletes received messages by receipt handle; a handle that is no longer valid is skipped, as a batch delete reports it. */
    public void deleteByArn(String queueArn, List<String> receiptHandles) {
        Queue q = requireByArn(queueArn);
        for (String handle : receiptHandles) {
            try {
                q.delete(handle, clock.millis());
            } catch (AwsException e) {
                LOG.debug("delete on {} failed: {}", queueArn, e.getMessage());
            }
        }
    }

    /**
     * Sends a message to the queue named by ARN, as SendMessage does (messageAttributes in the wire form
     * {Name: Struct {DataType, StringValue}}; may be null). Throws the SQS error the send would answer.
     */
    public void sendByArn(String queueArn, String senderId, String body, Map<String, Object> messageAttributes) {
        Queue q = requireByArn(queueArn);
        q.send(SendRules.check(q, senderId == null ? q.account : senderId, body, null, messageAttributes, null, null, null),
                clock.millis());
    }

    private Queue requireByArn(String queueArn) {
        Queue q = queues.byArn(queueArn);
        if (q == null) {
            throw SqsErrors.queueDoesNotExist();
        }
        return q;
    }

    /** Receives parked on all queues, waiting for messages (for tests and diagnostics). */
    int parkedReceives() {
        int n = 0;
        for (Queue q : queues.all()) {
            n += q.parkedReceives();
        }
        return n;
    }

    // --- helpers

    private Queue queue(Call call, Struct in) {
        QueueUrls.Parsed p = QueueUrls.parse(in.string("QueueUrl"));
        return queues.require(p.account(), call.region(), p.name());
    }

    private List<Queue> sourcesOf(Queue dlq) {
        List<Queue> out = new ArrayList<>();
        for (Queue q : queues.list(dlq.account, dlq.region)) {
            Redrive.Policy p = q.redrivePolicy();
            if (p != null && p.deadLetterTargetArn().equals(dlq.arn)) {
                out.add(q);
            }
        }
        return out;
    }

    /** The queues' URLs under member: the first 1000 without MaxResults, else a page of MaxResults with a NextToken. */
    private static Struct urlPage(Call call, Struct in, List<Queue> sorted, String member) {
        Integer max = in.integer("MaxResults");
        if (max == null) {
            return Struct.of(member, urls(call, sorted.subList(0, Math.min(1000, sorted.size()))));
        }
        Pagination.Page<Queue> page = page(sorted, in.string("NextToken"), max);
        return Struct.of(member, urls(call, page.items()), "NextToken", page.nextToken());
    }

    private static Pagination.Page<Queue> page(List<Queue> sorted, String token, int max) {
        if (max < 1 || max > 1000) {
            throw SqsErrors.invalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
        }
        return Pagination.page(sorted, q -> q.name, token, max, () -> SqsErrors.invalidParameter("Invalid NextToken value."));
    }

    private static String url(Call call, Queue q) {
        return QueueUrls.format(call.endpoint(), q.account, q.name);
    }

    private static List<String> urls(Call call, List<Queue> qs) {
        List<String> out = new ArrayList<>(qs.size());
        qs.forEach(q -> out.add(url(call, q)));
        return out;
    }

    private static String senderId(Call call) {
        String userId = call.identity().userId();
        return userId != null ? userId : call.account();
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }
}
