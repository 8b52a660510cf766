package dev.terrarium.core.robustness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded mutation fuzzer: valid requests of every protocol, mutated at the byte level (flips,
 * truncation, insertion) and the structure level (JSON/CBOR trees, form values, paths, headers,
 * methods), sent to the real server. Every answer must be a success or an AWS-shaped error, never a
 * 5xx other than 501 NotImplemented; the server must log no server errors and stay up.
 */
class FuzzTest extends RobustnessSupport {
    static final long SEED = Long.getLong("terrarium.fuzz.seed", 20_250_101L);
    static final int COUNT = Integer.getInteger("terrarium.fuzz.count", 2_000);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final String[] NASTY = {"", "\u0000", "%", "%zz", "%00", "..", "/", "?", "&", "=", "#", ";", "+",
            "\uD83D\uDE00", "\u00e9", "\uFFFF", "\uFEFF", "\\", "\"", "'", "<", ">", "&amp;", "]]>", "${x}", "*", " ",
            "\t", "999999999999999999999", "-1", "0", "1e400", "NaN", "true", "null", "[]", "{}", "x".repeat(300)};

    @Test
    void mutatedValidRequestsNeverCrashTheServer() {
        Random random = new Random(SEED);
        List<Seeds.Seed> seeds = Seeds.all();
        Map<String, String> failures = new LinkedHashMap<>();
        int sent = 0;
        for (int i = 0; i < COUNT; i++) {
            Seeds.Seed seed = seeds.get(random.nextInt(seeds.size()));
            RawHttp.Request r = seed.copy();
            String how = mutate(r, random, seeds);
            if (random.nextInt(4) == 0) {
                how += " + " + mutate(r, random, seeds);
            }
            RawHttp.Reply reply;
            long t0 = System.nanoTime();
            try {
                reply = http.send(r);
                sent++;
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > 200) {
                    System.out.println("slow fuzz request #" + i + " " + ms + "ms: " + how + " on " + seed);
                }
            } catch (RuntimeException e) {
                failures.putIfAbsent("no answer: " + how, seed + " #" + i + " " + e);
                continue;
            }
            try {
                check(r, reply);
            } catch (AssertionError e) {
                String key = how + " on " + seed;
                failures.putIfAbsent(key, "#" + i + " " + firstLine(e.getMessage()));
            }
            if (i % 250 == 249) {
                assertAlive();
            }
        }
        assertAlive();
        assertThat(sent).isGreaterThan(COUNT * 9 / 10);
        assertThat(failures).as("seed %d: distinct failures", SEED).isEmpty();
    }

    private static void check(RawHttp.Request r, RawHttp.Reply reply) {
        if (reply.status() / 100 == 2 || reply.status() / 100 == 3 && reply.body().length == 0) {
            return;
        }
        if (r.method.equals("HEAD")) {
            assertThat(reply.status()).as("HEAD %s", reply).isNotEqualTo(500).isLessThan(502);
            return;
        }
        checkError(r, reply, null, null);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.length() > 700 ? s.substring(0, 700) : s;
    }

    /** Applies one random mutation; returns its name (failures are grouped by it). */
    static String mutate(RawHttp.Request r, Random random, List<Seeds.Seed> seeds) {
        int kind = random.nextInt(14);
        switch (kind) {
            case 0 -> {
                if (r.body.length == 0) {
                    r.body = randomBytes(random, 1 + random.nextInt(64));
                    return "random body";
                }
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    r.body[random.nextInt(r.body.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return "bit flips";
            }
            case 1 -> {
                r.body = java.util.Arrays.copyOf(r.body, r.body.length == 0 ? 0 : random.nextInt(r.body.length));
                return "truncated body";
            }
            case 2 -> {
                int at = r.body.length == 0 ? 0 : random.nextInt(r.body.length);
                byte[] insert = random.nextBoolean() ? randomBytes(random, 1 + random.nextInt(16))
                        : nasty(random).getBytes(StandardCharsets.UTF_8);
                byte[] b = new byte[r.body.length + insert.length];
                System.arraycopy(r.body, 0, b, 0, at);
                System.arraycopy(insert, 0, b, at, insert.length);
                System.arraycopy(r.body, at, b, at + insert.length, r.body.length - at);
                r.body = b;
                return "inserted bytes";
            }
            case 3, 4, 5 -> {
                return mutateStructure(r, random);
            }
            case 6 -> {
                if (r.headers.isEmpty()) {
                    return "no headers";
                }
                String[] h = r.headers.get(random.nextInt(r.headers.size()));
                h[1] = random.nextBoolean() ? nasty(random) : h[1] + nasty(random);
                return "header value " + h[0];
            }
            case 7 -> {
                if (r.headers.isEmpty()) {
                    return "no headers";
                }
                String[] h = r.headers.remove(random.nextInt(r.headers.size()));
                return "dropped header " + h[0];
            }
            case 8 -> {
                String t = new String(r.target, StandardCharsets.UTF_8);
                int at = 1 + random.nextInt(Math.max(1, t.length()));
                t = t.substring(0, Math.min(at, t.length())) + nasty(random) + t.substring(Math.min(at, t.length()));
                r.target = t.getBytes(StandardCharsets.UTF_8);
                return "path/query insertion";
            }
            case 9 -> {
                String t = new String(r.target, StandardCharsets.UTF_8);
                String param = random.nextBoolean() ? "Action=" + nasty(random) : enc(nasty(random)) + "=" + enc(nasty(random));
                r.target = (t + (t.contains("?") ? "&" : "?") + param).getBytes(StandardCharsets.UTF_8);
                return "extra query parameter";
            }
            case 10 -> {
                String[] methods = {"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD"};
                r.method = methods[random.nextInt(methods.length)];
                return "method " + r.method;
            }
            case 11 -> {
                Seeds.Seed other = seeds.get(random.nextInt(seeds.size()));
                r.body = other.request().body.clone();
                return "body of " + other;
            }
            case 12 -> {
                Seeds.Seed other = seeds.get(random.nextInt(seeds.size()));
                other.request().headers.forEach(h -> r.header(h[0], h[1]));
                return "headers of " + other + " added";
            }
            default -> {
                r.header(random.nextBoolean() ? "X-Amz-Target" : "Content-Type", nasty(random));
                return "second routing header";
            }
        }
    }

    /** Structure-aware: a JSON/CBOR tree node or a form value replaced by something of another type. */
    private static String mutateStructure(RawHttp.Request r, Random random) {
        String type = String.valueOf(r.header("Content-Type"));
        try {
            if (type.contains("json")) {
                JsonNode tree = JSON.readTree(r.body);
                r.body = JSON.writeValueAsBytes(mutateTree(tree, random));
                return "json tree";
            }
            if (type.contains("cbor")) {
                JsonNode tree = CBOR.readTree(r.body);
                r.body = CBOR.writeValueAsBytes(mutateTree(tree, random));
                return "cbor tree";
            }
            if (type.contains("form")) {
                String[] pairs = new String(r.body, StandardCharsets.UTF_8).split("&");
                int i = random.nextInt(pairs.length);
                int eq = pairs[i].indexOf('=');
                String key = pairs[i].substring(0, eq);
                pairs[i] = random.nextInt(3) == 0 ? key.replaceAll("\\d+", nasty(random)) + pairs[i].substring(eq)
                        : key + "=" + enc(nasty(random));
                r.body = String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
                return "form value";
            }
            if (type.contains("xml")) {
                String xml = new String(r.body, StandardCharsets.UTF_8);
                int open = xml.indexOf('>', random.nextInt(Math.max(1, xml.length())));
                if (open > 0) {
                    xml = xml.substring(0, open + 1) + xmlNasty(random) + xml.substring(open + 1);
                }
                r.body = xml.getBytes(StandardCharsets.UTF_8);
                return "xml insertion";
            }
        } catch (Exception e) {
            // an earlier mutation already broke the body: fine, send it as it is
        }
        return "structure (unparseable)";
    }

    private static JsonNode mutateTree(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return replacement(random);
        }
        JsonNode c = containers.get(random.nextInt(containers.size()));
        if (c instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(5) == 0) {
                o.remove(name);
            } else {
                o.set(name, replacement(random));
            }
        } else if (c instanceof ArrayNode a && a.size() > 0) {
            a.set(random.nextInt(a.size()), replacement(random));
        } else if (c instanceof ObjectNode o) {
            o.set(nasty(random), replacement(random));
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> into) {
        if (n.isContainerNode()) {
            into.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), into);
            }
        }
    }

    private static JsonNode replacement(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(12)) {
            case 0 -> f.textNode(nasty(random));
            case 1 -> f.numberNode(new BigInteger("9".repeat(1 + random.nextInt(60))));
            case 2 -> f.numberNode(-random.nextLong());
            case 3 -> f.numberNode(random.nextDouble() * 1e300);
            case 4 -> f.booleanNode(random.nextBoolean());
            case 5 -> f.nullNode();
            case 6 -> f.arrayNode().add(nasty(random)).add(random.nextInt());
            case 7 -> f.objectNode().put(nasty(random), nasty(random));
            case 8 -> f.numberNode(new java.math.BigDecimal("1e" + (random.nextInt(800) - 400)));
            case 9 -> f.textNode("1970-01-01T00:00:00Z");
            case 10 -> f.binaryNode(randomBytes(random, random.nextInt(16)));
            default -> {
                ArrayNode deep = f.arrayNode();
                ArrayNode cur = deep;
                for (int i = random.nextInt(300); i > 0; i--) {
                    cur = cur.addArray();
                }
                yield deep;
            }
        };
    }

    private static String xmlNasty(Random random) {
        String[] xml = {"<", "</x>", "<x>", "&", "&#0;", "&#xD800;", "<![CDATA[", "<!--", "<?pi?>", "<!DOCTYPE x>",
                "<a xmlns:p=\"u\"><p:b/></a>", "<Object><Key></Key></Object>", "<Quiet>yes</Quiet>",
                "<LocationConstraint>" + "\u00e9".repeat(50) + "</LocationConstraint>", "\u0000"};
        return xml[random.nextInt(xml.length)];
    }

    private static String nasty(Random random) {
        return NASTY[random.nextInt(NASTY.length)];
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
