package dev.terrarium.services.dynamodbstreams;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Pagination;

import java.time.Duration;
import java.time.Instant;

/** Shard iterators: opaque tokens holding stream, shard, next sequence number and when they were issued (they expire after 15 minutes). */
final class ShardIterators {
    static final Duration LIFETIME = Duration.ofMinutes(15);

    record Position(String streamArn, String shardId, long sequence, Instant issued) {
    }

    private ShardIterators() {
    }

    static String encode(Position p) {
        return Pagination.encode(p.streamArn() + "|" + p.shardId() + "|" + p.sequence() + "|" + p.issued().toEpochMilli());
    }

    static Position decode(String iterator, Instant now) {
        String text = iterator == null ? null : Pagination.decode(iterator);
        String[] parts = text == null ? new String[0] : text.split("\\|");
        if (parts.length != 4) {
            throw new AwsException("ValidationException", "Invalid ShardIterator provided", 400);
        }
        Position p = new Position(parts[0], parts[1], Long.parseLong(parts[2]), Instant.ofEpochMilli(Long.parseLong(parts[3])));
        if (p.issued().plus(LIFETIME).isBefore(now)) {
            throw new AwsException("ExpiredIteratorException", "Iterator expired. The iterator was created at time "
                    + p.issued() + " while right now it is " + now + " which is further in the future than the tolerated delay of 900000 milliseconds.");
        }
        return p;
    }
}
