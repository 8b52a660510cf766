package dev.terrarium.core.arn;

/**
 * An Amazon Resource Name: arn:partition:service:region:account:resource. The resource part
 * keeps its own separators ("role/path/name", "function:name:alias").
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    public static Arn of(String service, String region, String account, String resource) {
        return new Arn("aws", service, region == null ? "" : region, account == null ? "" : account, resource);
    }

    /** Parses an ARN; null when the text is not one. */
    public static Arn parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return null;
        }
        String[] parts = text.split(":", 6);
        if (parts.length < 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            return null;
        }
        return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /** The resource's type for "type/name" or "type:name" resources, else "". */
    public String resourceType() {
        int i = firstSeparator();
        return i < 0 ? "" : resource.substring(0, i);
    }

    /** The last path element of the resource ("role/a/b/Name" -> "Name"). */
    public String resourceName() {
        int slash = resource.lastIndexOf('/');
        if (slash >= 0) {
            return resource.substring(slash + 1);
        }
        int colon = resource.indexOf(':');
        return colon < 0 ? resource : resource.substring(colon + 1);
    }

    /** The resource after its type ("role/a/b/Name" -> "a/b/Name"). */
    public String resourceId() {
        int i = firstSeparator();
        return i < 0 ? resource : resource.substring(i + 1);
    }

    private int firstSeparator() {
        int slash = resource.indexOf('/');
        int colon = resource.indexOf(':');
        if (slash < 0) {
            return colon;
        }
        return colon < 0 ? slash : Math.min(slash, colon);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
