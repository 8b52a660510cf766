package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The masking a data protection policy asks for: the data identifiers of its Deidentify/MaskConfig statement
 * (AWS managed ones Terrarium knows - EmailAddress, IpAddress, AwsSecretKey, CreditCardNumber with its Luhn
 * check, Ssn-US, PhoneNumber-US - and the policy's custom data identifiers) replaced by asterisks at ingestion.
 */
final class DataProtection {
    private static final String MANAGED = "arn:aws:dataprotection::aws:data-identifier/";
    private static final Map<String, Pattern> KNOWN = Map.of(
            "EmailAddress", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
            "IpAddress", Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?![\\d.])"),
            "AwsSecretKey", Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
            "CreditCardNumber", Pattern.compile("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)"),
            "Ssn-US", Pattern.compile("(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)"),
            "PhoneNumber-US", Pattern.compile("(?<![\\d+])(?:\\+1[ -.]?)?\\(?\\d{3}\\)?[ -.]\\d{3}[ -.]\\d{4}(?!\\d)"));
    private static final Map<String, DataProtection> COMPILED = new ConcurrentHashMap<>();

    private record Identifier(String name, Pattern pattern) {
    }

    private final List<Identifier> identifiers;

    private DataProtection(List<Identifier> identifiers) {
        this.identifiers = identifiers;
    }

    /** The masking of a policy document (compiled once per document). */
    static DataProtection of(String document) {
        return COMPILED.computeIfAbsent(document, DataProtection::compile);
    }

    private static DataProtection compile(String document) {
        JsonNode doc = Policies.document(document, "data protection policy");
        Map<String, Pattern> custom = new java.util.HashMap<>();
        for (JsonNode c : doc.path("Configuration").path("CustomDataIdentifier")) {
            custom.put(c.path("Name").asText(), Pattern.compile(c.path("Regex").asText()));
        }
        List<Identifier> out = new ArrayList<>();
        for (JsonNode st : doc.path("Statement")) {
            if (!st.path("Operation").has("Deidentify")) {
                continue;
            }
            for (JsonNode id : st.path("DataIdentifier")) {
                String name = id.asText();
                Pattern p = name.startsWith(MANAGED) ? KNOWN.get(name.substring(MANAGED.length())) : custom.get(name);
                if (p != null) {
                    out.add(new Identifier(name.startsWith(MANAGED) ? name.substring(MANAGED.length()) : name, p));
                }
            }
        }
        return new DataProtection(out);
    }

    /** The message with every sensitive match masked, or null when nothing in it is sensitive. */
    String mask(String message) {
        String current = message;
        boolean changed = false;
        for (Identifier id : identifiers) {
            Matcher m = id.pattern.matcher(current);
            StringBuilder b = new StringBuilder();
            boolean found = false;
            while (m.find()) {
                if (id.name.equals("CreditCardNumber") && !luhn(m.group())) {
                    continue;
                }
                found = true;
                m.appendReplacement(b, "*".repeat(m.group().length()));
            }
            if (found) {
                m.appendTail(b);
                current = b.toString();
                changed = true;
            }
        }
        return changed ? current : null;
    }

    private static boolean luhn(String number) {
        String digits = number.replaceAll("[^0-9]", "");
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
