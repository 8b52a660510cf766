package dev.terrarium.services.sqs;

import java.net.URI;

/**
 * Queue URLs: {@code http://<host>:<port>/<account>/<name>} as Terrarium hands them out. Any URL
 * whose path ends in /account/name is understood (AWS's sqs.region.amazonaws.com URLs included).
 */
final class QueueUrls {
    private QueueUrls() {
    }

    record Parsed(String account, String name) {
    }

    static String format(String endpoint, String account, String name) {
        return endpoint + "/" + account + "/" + name;
    }

    /** The account and name a queue URL names; InvalidAddress when it names none. */
    static Parsed parse(String url) {
        Parsed p = tryParse(url);
        if (p == null) {
            throw SqsErrors.invalidAddress(url);
        }
        return p;
    }

    static Parsed tryParse(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        String path;
        try {
            path = url.contains("://") ? URI.create(url).getRawPath() : url;
        } catch (IllegalArgumentException e) {
            return null;
        }
        return fromPath(path);
    }

    /** /account/name (a request posted to a queue URL), or null. */
    static Parsed fromPath(String path) {
        if (path == null) {
            return null;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.indexOf('/');
        if (slash <= 0 || p.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String account = p.substring(0, slash);
        String name = p.substring(slash + 1);
        if (!account.matches("\\d{12}") || name.isEmpty()) {
            return null;
        }
        return new Parsed(account, name);
    }
}
