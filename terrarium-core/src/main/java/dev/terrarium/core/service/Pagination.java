package dev.terrarium.core.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Pages through a sorted list with opaque NextTokens, as AWS list operations do. A token encodes
 * the key of the last item returned plus a check, so a token that was tampered with or made up is
 * refused with the service's error instead of being misread.
 */
public final class Pagination {
    private Pagination() {
    }

    /** One page: the items and the token for the next page (null on the last page). */
    public record Page<T>(List<T> items, String nextToken) {
    }

    /**
     * The page of sortedItems after the token's position, at most maxResults long.
     * keyOf gives each item's sort key (unique, in list order). invalidToken is what a bad token throws.
     */
    public static <T> Page<T> page(List<T> sortedItems, Function<T, String> keyOf, String token, int maxResults,
                                   java.util.function.Supplier<AwsException> invalidToken) {
        int start = 0;
        if (token != null && !token.isEmpty()) {
            String after = decode(token);
            if (after == null) {
                throw invalidToken.get();
            }
            start = sortedItems.size();
            for (int i = 0; i < sortedItems.size(); i++) {
                if (keyOf.apply(sortedItems.get(i)).compareTo(after) > 0) {
                    start = i;
                    break;
                }
            }
        }
        int end = Math.min(sortedItems.size(), start + Math.max(1, maxResults));
        List<T> items = sortedItems.subList(start, end);
        String next = end < sortedItems.size() && !items.isEmpty() ? encode(keyOf.apply(items.get(items.size() - 1))) : null;
        return new Page<>(List.copyOf(items), next);
    }

    public static String encode(String position) {
        String body = position + "\n" + Integer.toHexString(check(position));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token stands for, or null when it is not a token Terrarium made. */
    public static String decode(String token) {
        try {
            String body = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int nl = body.lastIndexOf('\n');
            if (nl < 0) {
                return null;
            }
            String position = body.substring(0, nl);
            return Integer.toHexString(check(position)).equals(body.substring(nl + 1)) ? position : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int check(String position) {
        return (position.hashCode() * 31 + 0x7e5a) ^ 0x5bd1e995;
    }
}
