package dev.terrarium.services.s3;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.Struct;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * SelectObjectContent (S3 Select): runs a SQL expression ({@link SelectSql}) over a CSV or JSON object (optionally
 * GZIP compressed) and answers an event stream: Records events with the output (CSV or JSON lines), a Stats event
 * (bytes scanned, processed, returned) and an End event.
 */
final class S3Select {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS_CHUNK = 64 * 1024;

    private final S3State s3;

    S3Select(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("SelectObjectContent")
    public Struct selectObjectContent(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        if (!"SQL".equals(in.string("ExpressionType"))) {
            throw new AwsException("InvalidExpressionType", "The ExpressionType is invalid. Only SQL expressions are supported.", 400);
        }
        Struct input = in.struct("InputSerialization");
        Struct output = in.struct("OutputSerialization");
        if (input == null || output == null) {
            throw missing(input == null ? "InputSerialization" : "OutputSerialization");
        }
        if (input.struct("Parquet") != null) {
            throw new AwsException("NotImplemented", "Parquet input is not supported by Terrarium.", 501);
        }
        Struct csvIn = input.struct("CSV");
        Struct jsonIn = input.struct("JSON");
        if ((csvIn == null) == (jsonIn == null)) {
            throw new AwsException("InvalidRequestParameter",
                    "The input serialization must name exactly one format: CSV, JSON or Parquet.", 400);
        }
        Struct csvOut = output.struct("CSV");
        Struct jsonOut = output.struct("JSON");
        if ((csvOut == null) == (jsonOut == null)) {
            throw new AwsException("InvalidRequestParameter",
                    "The output serialization must name exactly one format: CSV or JSON.", 400);
        }
        String compression = input.string("CompressionType", "NONE");
        if (!compression.equals("NONE") && !compression.equals("GZIP")) {
            throw new AwsException("InvalidCompressionFormat", "The file is not in a supported compression format. Only GZIP and BZIP2 are supported.", 400);
        }
        SelectSql sql = SelectSql.parse(in.string("Expression"));

        S3Object o = s3.readable(call, b, in.string("Key"), null);
        SseC.checkRead(o, in, "");
        byte[] raw = readAll(s3.blobs.open(o.blob));
        byte[] data = compression.equals("GZIP") ? gunzip(raw) : raw;
        Struct scan = in.struct("ScanRange");
        if (scan != null) {
            if (compression.equals("GZIP") || (jsonIn != null && !"LINES".equals(jsonIn.string("Type")))) {
                throw new AwsException("UnsupportedScanRangeInput",
                        "Scan range queries are not supported on this type of object.", 400);
            }
            String delimiter = csvIn != null ? option(csvIn, "RecordDelimiter", "\n") : "\n";
            data = scanRange(data, scan.longValue("Start"), scan.longValue("End"), delimiter.getBytes(StandardCharsets.UTF_8));
            raw = data;
        }

        Iterator<SelectSql.Row> rows = csvIn != null ? csvRows(data, csvIn) : jsonRows(data, jsonIn, sql);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Writer writer = csvOut != null ? csvWriter(csvOut) : jsonWriter(jsonOut);
        if (sql.aggregating()) {
            SelectSql.Aggregates agg = sql.newAggregates();
            while (rows.hasNext()) {
                SelectSql.Row r = rows.next();
                if (sql.matches(r)) {
                    sql.accumulate(r, agg);
                }
            }
            writer.write(out, sql.project(agg));
        } else {
            long n = 0;
            while (rows.hasNext() && (sql.limit == null || n < sql.limit)) {
                SelectSql.Row r = rows.next();
                if (sql.matches(r)) {
                    writer.write(out, sql.project(r));
                    n++;
                }
            }
        }
        byte[] result = out.toByteArray();
        EventStream events = new EventStream();
        for (int at = 0; at < result.length; at += RECORDS_CHUNK) {
            int len = Math.min(RECORDS_CHUNK, result.length - at);
            byte[] chunk = new byte[len];
            System.arraycopy(result, at, chunk, 0, len);
            events.emit("Records", Struct.of("Payload", chunk));
        }
        Struct stats = Struct.of("BytesScanned", (long) raw.length, "BytesProcessed", (long) data.length,
                "BytesReturned", (long) result.length);
        Struct progress = in.struct("RequestProgress");
        if (progress != null && progress.bool("Enabled", false)) {
            events.emit("Progress", Struct.of("Details", stats));
        }
        events.emit("Stats", Struct.of("Details", stats));
        events.emit("End", Struct.empty());
        events.complete();
        return Struct.of("Payload", events);
    }

    /**
     * The records that start within the scan range (Start..End inclusive, from zero; only End: the last End bytes),
     * each whole even when it runs past End.
     */
    static byte[] scanRange(byte[] data, Long start, Long end, byte[] delimiter) {
        long from;
        long to;
        if (start == null && end != null) {
            from = Math.max(0, data.length - end);
            to = data.length - 1;
        } else {
            from = start == null ? 0 : start;
            to = end == null ? data.length - 1 : Math.min(end, data.length - 1);
        }
        if (from < 0 || (start != null && end != null && end < start)) {
            throw new AwsException("InvalidScanRange", "The provided scan range is not valid.", 400);
        }
        int first = (int) Math.min(from, data.length);
        if (first > 0) {
            int d = indexOf(data, delimiter, first - 1);
            first = d < 0 ? data.length : d + delimiter.length;
        }
        if (first > to) {
            return new byte[0];
        }
        int d = indexOf(data, delimiter, (int) Math.max(to, first));
        int last = d < 0 ? data.length : d + delimiter.length;
        byte[] out = new byte[last - first];
        System.arraycopy(data, first, out, 0, out.length);
        return out;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static AwsException missing(String name) {
        return new AwsException("MissingRequiredParameter", "The SelectRequest entity is missing a required parameter: " + name + ".", 400);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gunzip(byte[] raw) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AwsException("InvalidCompressionFormat", "The file is not in a supported compression format. GZIP is not valid.", 400);
        }
    }

    // --- CSV input

    private static String option(Struct s, String name, String fallback) {
        String v = s.string(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static Iterator<SelectSql.Row> csvRows(byte[] data, Struct csv) {
        String text = new String(data, StandardCharsets.UTF_8);
        String header = csv.string("FileHeaderInfo", "NONE");
        String field = option(csv, "FieldDelimiter", ",");
        String record = option(csv, "RecordDelimiter", "\n");
        char quote = option(csv, "QuoteCharacter", "\"").charAt(0);
        String comments = csv.string("Comments");
        List<List<String>> records = parseCsv(text, field, record, quote);
        records.removeIf(r -> comments != null && !comments.isEmpty() && !r.isEmpty() && r.get(0).startsWith(comments));
        List<String> names = null;
        if (!records.isEmpty() && (header.equals("USE") || header.equals("IGNORE"))) {
            List<String> first = records.remove(0);
            if (header.equals("USE")) {
                names = first;
            }
        }
        List<String> columnNames = names;
        Iterator<List<String>> it = records.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public SelectSql.Row next() {
                List<String> r = it.next();
                Map<String, Object> named = new LinkedHashMap<>();
                for (int i = 0; i < r.size(); i++) {
                    String name = columnNames != null && i < columnNames.size() ? columnNames.get(i) : "_" + (i + 1);
                    named.put(name, r.get(i));
                }
                return new SelectSql.Row(named, new ArrayList<>(r));
            }
        };
    }

    static List<List<String>> parseCsv(String text, String field, String record, char quote) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == quote) {
                    if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                        value.append(quote);
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    value.append(c);
                }
                i++;
            } else if (c == quote) {
                quoted = true;
                any = true;
                i++;
            } else if (text.startsWith(field, i)) {
                current.add(value.toString());
                value.setLength(0);
                any = true;
                i += field.length();
            } else if (text.startsWith(record, i) || (record.equals("\n") && text.startsWith("\r\n", i))) {
                current.add(value.toString());
                value.setLength(0);
                out.add(current);
                current = new ArrayList<>();
                any = false;
                i += text.startsWith("\r\n", i) && record.equals("\n") ? 2 : record.length();
            } else {
                value.append(c);
                any = true;
                i++;
            }
        }
        if (any || value.length() > 0) {
            current.add(value.toString());
            out.add(current);
        }
        return out;
    }

    // --- JSON input

    private static Iterator<SelectSql.Row> jsonRows(byte[] data, Struct json, SelectSql sql) {
        String type = json.string("Type", "DOCUMENT");
        List<SelectSql.Row> rows = new ArrayList<>();
        try (JsonParser p = new JsonFactory(JSON).createParser(data)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonNode doc = p.readValueAsTree();
                if (doc == null) {
                    break;
                }
                for (String step : sql.fromPath) {
                    doc = doc == null ? null : doc.get(step);
                }
                if (doc == null) {
                    continue;
                }
                if (doc.isArray() && !sql.fromPath.isEmpty()) {
                    for (JsonNode e : doc) {
                        rows.add(row(e));
                    }
                } else {
                    rows.add(row(doc));
                }
                if (type.equals("DOCUMENT") && t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new AwsException("JSONParsingError", "Encountered an error parsing the JSON file. Check the file and try again.", 400);
        }
        return rows.iterator();
    }

    @SuppressWarnings("unchecked")
    private static SelectSql.Row row(JsonNode n) {
        Object v = value(n);
        Map<String, Object> named = v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("_1", v);
        return new SelectSql.Row(named, null);
    }

    private static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(e -> l.add(value(e)));
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n.asText();
    }

    // --- output

    private interface Writer {
        void write(ByteArrayOutputStream out, Map<String, Object> record);
    }

    private static Writer csvWriter(Struct csv) {
        String field = option(csv, "FieldDelimiter", ",");
        String record = option(csv, "RecordDelimiter", "\n");
        String quote = option(csv, "QuoteCharacter", "\"");
        String escape = option(csv, "QuoteEscapeCharacter", quote);
        boolean always = "ALWAYS".equals(csv.string("QuoteFields"));
        return (out, r) -> {
            StringBuilder line = new StringBuilder();
            boolean first = true;
            for (Object v : r.values()) {
                if (!first) {
                    line.append(field);
                }
                first = false;
                String s = v == null ? "" : v instanceof Map || v instanceof List ? json(v) : SelectSql.text(v);
                boolean needs = always || s.contains(field) || s.contains(quote) || s.contains(record) || s.contains("\n");
                line.append(needs ? quote + s.replace(quote, escape + quote) + quote : s);
            }
            line.append(record);
            out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static Writer jsonWriter(Struct json) {
        String record = option(json, "RecordDelimiter", "\n");
        return (out, r) -> {
            out.writeBytes(json(r).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(record.getBytes(StandardCharsets.UTF_8));
        };
    }

    private static String json(Object v) {
        try {
            Map<String, Object> clean = null;
            if (v instanceof Map<?, ?> m) {
                clean = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (e.getValue() != null) {
                        clean.put(String.valueOf(e.getKey()), e.getValue() instanceof BigDecimal d ? d.stripTrailingZeros() : e.getValue());
                    }
                }
            }
            return JSON.writeValueAsString(clean != null ? clean : v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
