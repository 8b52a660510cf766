package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Lookup tables (CSV with a header row, for the Insights lookup command): stored, validated and returned. */
final class LookupTables {
    private static final String TABLES = "lookup-table";
    private static final long MAX_BYTES = 10L * 1024 * 1024;

    private final LogStore store;

    LookupTables(LogStore store) {
        this.store = store;
    }

    private Map<String, Struct> tables(Call call) {
        return store.records(TABLES, call.account(), call.region());
    }

    private Struct table(Call call, String arn) {
        Struct t = arn == null ? null : tables(call).get(arn);
        if (t == null) {
            throw new AwsException("ResourceNotFoundException", "The specified lookup table does not exist.");
        }
        return t;
    }

    /** The table's columns and row count from its CSV body; a body without a header row is refused. */
    private static Struct shape(String body) {
        long size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_BYTES) {
            throw LogsErrors.invalidParameter("The lookup table exceeds the maximum size of 10 MB.");
        }
        List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw LogsErrors.invalidParameter("The lookup table must have a header row.");
        }
        List<String> fields = Arrays.stream(lines.get(0).split(",", -1)).map(String::trim).toList();
        if (fields.stream().anyMatch(String::isEmpty) || fields.stream().distinct().count() != fields.size()) {
            throw LogsErrors.invalidParameter("The header row of a lookup table must name each column once.");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).split(",", -1).length != fields.size()) {
                throw LogsErrors.invalidParameter("Row " + i + " of the lookup table does not have " + fields.size() + " columns.");
            }
        }
        return Struct.of("tableFields", fields, "recordsCount", (long) lines.size() - 1, "sizeBytes", size);
    }

    @AwsOperation("CreateLookupTable")
    public Struct createLookupTable(Call call, Struct in) {
        String name = in.string("lookupTableName");
        String arn = "arn:aws:logs:" + call.region() + ":" + call.account() + ":lookup-table:" + name;
        Struct shape = shape(in.string("tableBody"));
        long now = store.now();
        Struct t = Struct.of("lookupTableArn", arn, "lookupTableName", name, "description", in.string("description"),
                "tableBody", in.string("tableBody"), "kmsKeyId", in.string("kmsKeyId"), "lastUpdatedTime", now);
        shape.asMap().forEach(t::put);
        if (tables(call).putIfAbsent(arn, t) != null) {
            throw new AwsException("ResourceAlreadyExistsException", "The specified lookup table already exists.");
        }
        return Struct.of("lookupTableArn", arn, "createdAt", now);
    }

    @AwsOperation("GetLookupTable")
    public Struct getLookupTable(Call call, Struct in) {
        Struct t = table(call, in.string("lookupTableArn"));
        return Struct.of("lookupTableArn", t.string("lookupTableArn"), "lookupTableName", t.string("lookupTableName"),
                "description", t.string("description"), "tableBody", t.string("tableBody"),
                "sizeBytes", t.longValue("sizeBytes"), "lastUpdatedTime", t.longValue("lastUpdatedTime"),
                "kmsKeyId", t.string("kmsKeyId"));
    }

    @AwsOperation("UpdateLookupTable")
    public Struct updateLookupTable(Call call, Struct in) {
        Struct t = table(call, in.string("lookupTableArn")).copy();
        shape(in.string("tableBody")).asMap().forEach(t::put);
        t.put("tableBody", in.string("tableBody"));
        if (in.string("description") != null) {
            t.put("description", in.string("description"));
        }
        if (in.string("kmsKeyId") != null) {
            t.put("kmsKeyId", in.string("kmsKeyId"));
        }
        t.put("lastUpdatedTime", store.now());
        tables(call).put(t.string("lookupTableArn"), t);
        return Struct.of("lookupTableArn", t.string("lookupTableArn"), "lastUpdatedTime", t.longValue("lastUpdatedTime"));
    }

    @AwsOperation("DescribeLookupTables")
    public Struct describeLookupTables(Call call, Struct in) {
        String prefix = in.string("lookupTableNamePrefix");
        List<Struct> matching = tables(call).values().stream()
                .filter(t -> prefix == null || t.string("lookupTableName").startsWith(prefix))
                .map(t -> {
                    Struct s = t.copy();
                    s.put("tableBody", null);
                    return s;
                }).toList();
        Pagination.Page<Struct> page = Pagination.page(matching, t -> t.string("lookupTableName"), in.string("nextToken"),
                in.integer("maxResults", 50), LogsErrors::invalidToken);
        return Struct.of("lookupTables", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DeleteLookupTable")
    public Struct deleteLookupTable(Call call, Struct in) {
        tables(call).remove(table(call, in.string("lookupTableArn")).string("lookupTableArn"));
        return null;
    }
}
