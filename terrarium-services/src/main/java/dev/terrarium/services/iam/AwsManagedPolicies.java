package dev.terrarium.services.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The AWS managed policies (arn:aws:iam::aws:policy/...), shared by every account, read once from the jar. */
final class AwsManagedPolicies {
    private static final Instant CREATED = Instant.parse("2015-02-06T18:39:46Z");
    private static volatile Map<String, Principals.ManagedPolicy> all;

    private AwsManagedPolicies() {
    }

    static Map<String, Principals.ManagedPolicy> all() {
        Map<String, Principals.ManagedPolicy> a = all;
        if (a == null) {
            synchronized (AwsManagedPolicies.class) {
                if (all == null) {
                    all = load();
                }
                a = all;
            }
        }
        return a;
    }

    static Principals.ManagedPolicy get(String arn) {
        return all().get(arn);
    }

    private static Map<String, Principals.ManagedPolicy> load() {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = AwsManagedPolicies.class.getResourceAsStream("aws-managed-policies.json")) {
            JsonNode root = json.readTree(in);
            Map<String, Principals.ManagedPolicy> out = new LinkedHashMap<>();
            for (JsonNode p : root.get("policies")) {
                String name = p.get("name").asText();
                String path = p.get("path").asText();
                String arn = "arn:aws:iam::aws:policy" + path + name;
                Principals.ManagedPolicy mp = new Principals.ManagedPolicy(name, "ANPA" + stableId(arn), arn, path,
                        p.get("description").asText(), CREATED, true);
                mp.versions.put("v1", new Principals.PolicyVersion("v1", json.writeValueAsString(p.get("document")), CREATED));
                out.put(arn, mp);
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stableId(String arn) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        long h = arn.hashCode() * 0x9E3779B97F4A7C15L;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            sb.append(alphabet.charAt((int) ((h >>> (i * 3)) & 31)));
        }
        return sb.toString();
    }
}
