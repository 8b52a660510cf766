package dev.terrarium.services.sqs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules every batch request shares: 1 to 10 entries with distinct, well-formed ids; and per-entry failures. */
final class BatchEntries {
    static final int MAX_ENTRIES = 10;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private BatchEntries() {
    }

    static List<Struct> check(List<Struct> entries, String entryShape) {
        if (entries == null || entries.isEmpty()) {
            throw new AwsException("EmptyBatchRequest", "There should be at least one " + entryShape + " in the request.");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new AwsException("TooManyEntriesInBatchRequest", "Maximum number of entries per request are "
                    + MAX_ENTRIES + ". You have sent " + entries.size() + ".");
        }
        Set<String> ids = new HashSet<>();
        for (Struct e : entries) {
            String id = e.string("Id");
            if (id == null || !ID.matcher(id).matches()) {
                throw new AwsException("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, "
                        + "hyphens and underscores. It can be at most 80 letters long.");
            }
            if (!ids.add(id)) {
                throw new AwsException("BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
            }
        }
        return entries;
    }

    static Struct failure(String id, AwsException e) {
        return Struct.of("Id", id, "SenderFault", e.senderFault(), "Code", e.code(), "Message", e.getMessage());
    }
}
