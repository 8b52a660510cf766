package dev.terrarium.services.organizations;

import java.security.SecureRandom;

/** Organizations' identifiers: o-xxxxxxxxxx, r-xxxx, ou-xxxx-xxxxxxxx, p-xxxxxxxx, car-..., 12-digit accounts. */
final class OrgIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

    private OrgIds() {
    }

    static String random(int n, String alphabet) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static String organization() { return "o-" + random(10, LOWER); }
    static String root() { return "r-" + random(4, LOWER); }
    static String ou(String rootId) { return "ou-" + rootId.substring(2) + "-" + random(8, LOWER); }
    static String policy() { return "p-" + random(8, LOWER); }
    static String createAccountRequest() { return "car-" + random(32, "0123456789abcdef"); }
    static String handshake() { return "h-" + random(10, LOWER); }
    static String resourcePolicy() { return "rp-" + random(8, LOWER); }
    static String account() { return (char) ('1' + RANDOM.nextInt(9)) + random(11, "0123456789"); }
}
