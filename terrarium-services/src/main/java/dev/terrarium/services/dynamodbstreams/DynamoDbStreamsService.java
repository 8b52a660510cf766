package dev.terrarium.services.dynamodbstreams;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.DynamoDbState;
import dev.terrarium.services.dynamodb.StreamLog;
import dev.terrarium.services.dynamodb.Table;

import java.util.ArrayList;
import java.util.List;

/** Amazon DynamoDB Streams: the change records of tables with a stream, read through shard iterators. */
@Service("dynamodbstreams")
public final class DynamoDbStreamsService implements AwsService {
    private static final int MAX_RECORDS = 1000;
    private final DynamoDbState state;
    private final Clock clock;

    public DynamoDbStreamsService(ServiceContext context) {
        this.state = DynamoDbState.of(context);
        this.clock = context.clock();
    }

    @AwsOperation("ListStreams")
    public Struct listStreams(Call call, Struct in) {
        state.expireItems();
        String tableName = in.string("TableName");
        String after = in.string("ExclusiveStartStreamArn");
        int limit = in.integer("Limit", 100);
        List<Object> streams = new ArrayList<>();
        String last = null;
        for (Table t : state.tables().list(call.account(), call.region())) {
            StreamLog log = t.stream();
            if (log == null || (tableName != null && !tableName.equals(t.name()))) {
                continue;
            }
            if (after != null && log.arn().compareTo(after) <= 0) {
                continue;
            }
            if (streams.size() == limit) {
                break;
            }
            streams.add(Struct.of("StreamArn", log.arn(), "TableName", t.name(), "StreamLabel", log.label()));
            last = log.arn();
        }
        boolean more = streams.size() == limit;
        return Struct.of("Streams", streams, "LastEvaluatedStreamArn", more ? last : null);
    }

    @AwsOperation("DescribeStream")
    public Struct describeStream(Call call, Struct in) {
        Table t = tableOf(call, in.string("StreamArn"));
        StreamLog log = t.stream();
        Struct range = Struct.of("StartingSequenceNumber", StreamLog.sequenceNumber(log.firstSequence()));
        if (!log.enabled()) {
            range.put("EndingSequenceNumber", StreamLog.sequenceNumber(Math.max(log.firstSequence(), log.nextSequence() - 1)));
        }
        Struct shard = Struct.of("ShardId", log.shardId(), "SequenceNumberRange", range);
        String after = in.string("ExclusiveStartShardId");
        List<Object> shards = after != null && after.compareTo(log.shardId()) >= 0 ? List.of() : List.of(shard);
        return Struct.of("StreamDescription", Struct.of("StreamArn", log.arn(), "StreamLabel", log.label(),
                "StreamStatus", log.enabled() ? "ENABLED" : "DISABLED", "StreamViewType", log.viewType(),
                "CreationRequestDateTime", log.created(), "TableName", t.name(),
                "KeySchema", keySchema(t), "Shards", shards));
    }

    @AwsOperation("GetShardIterator")
    public Struct getShardIterator(Call call, Struct in) {
        Table t = tableOf(call, in.string("StreamArn"));
        StreamLog log = t.stream();
        if (!log.shardId().equals(in.string("ShardId"))) {
            throw new AwsException("ResourceNotFoundException", "Requested resource not found: Shard does not exist");
        }
        String type = in.string("ShardIteratorType");
        String sequenceNumber = in.string("SequenceNumber");
        long position = switch (type) {
            case "TRIM_HORIZON" -> log.firstSequence();
            case "LATEST" -> log.nextSequence();
            default -> {
                if (sequenceNumber == null) {
                    throw new AwsException("ValidationException", "Sequence number must be specified for iterator type " + type, 400);
                }
                long seq;
                try {
                    seq = StreamLog.parseSequence(sequenceNumber);
                } catch (NumberFormatException e) {
                    throw new AwsException("ValidationException", "Invalid SequenceNumber: " + sequenceNumber, 400);
                }
                if (seq < log.firstSequence()) {
                    throw new AwsException("TrimmedDataAccessException", "The operation attempted to read past the oldest stream record in a shard.");
                }
                yield "AFTER_SEQUENCE_NUMBER".equals(type) ? seq + 1 : seq;
            }
        };
        return Struct.of("ShardIterator", ShardIterators.encode(
                new ShardIterators.Position(log.arn(), log.shardId(), position, clock.now())));
    }

    @AwsOperation("GetRecords")
    public Struct getRecords(Call call, Struct in) {
        ShardIterators.Position p = ShardIterators.decode(in.string("ShardIterator"), clock.now());
        Table t = tableOf(call, p.streamArn());
        StreamLog log = t.stream();
        if (p.sequence() < log.firstSequence()) {
            throw new AwsException("TrimmedDataAccessException", "The operation attempted to read past the oldest stream record in a shard.");
        }
        List<StreamLog.StreamRecord> records = log.read(p.sequence(), Math.min(in.integer("Limit", MAX_RECORDS), MAX_RECORDS));
        List<Object> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(r.wire()));
        long next = records.isEmpty() ? p.sequence() : records.get(records.size() - 1).sequence() + 1;
        boolean closed = !log.enabled() && next >= log.nextSequence();
        String nextIterator = closed ? null
                : ShardIterators.encode(new ShardIterators.Position(log.arn(), log.shardId(), next, clock.now()));
        return Struct.of("Records", out, "NextShardIterator", nextIterator);
    }

    /** The table whose current stream has this ARN. */
    private Table tableOf(Call call, String streamArn) {
        state.expireItems();
        if (streamArn != null) {
            int at = streamArn.indexOf("/stream/");
            if (at > 0) {
                Table t = state.tables().find(call.account(), call.region(), streamArn.substring(0, at));
                if (t != null && t.stream() != null && t.stream().arn().equals(streamArn)) {
                    return t;
                }
            }
        }
        throw new AwsException("ResourceNotFoundException", "Requested resource not found: Stream: " + streamArn + " not found");
    }

    private static List<Struct> keySchema(Table t) {
        List<Struct> out = new ArrayList<>();
        out.add(Struct.of("AttributeName", t.schema().hashName(), "KeyType", "HASH"));
        if (t.schema().hasRange()) {
            out.add(Struct.of("AttributeName", t.schema().rangeName(), "KeyType", "RANGE"));
        }
        return out;
    }
}
