package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.protocol.xml.RestXmlCodec;
import dev.terrarium.core.service.Struct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The website endpoint (bucket.s3-website.localhost.localstack.cloud, bucket.s3-website-region.amazonaws.com,
 * bucket.s3-website.localhost): index and error documents, redirects and routing rules, HTML errors.
 */
final class Website {
    private static final Pattern HOST = Pattern.compile(
            "^(.+)\\.s3-website(?:\\.localhost(?:\\.localstack\\.cloud)?|[.-][a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?)$");
    private final Buckets buckets;
    private final BlobStore blobs;

    Website(Buckets buckets, BlobStore blobs) {
        this.buckets = buckets;
        this.blobs = blobs;
    }

    /** The bucket a website-endpoint Host names, or null when the host is not a website endpoint. */
    static String bucketOf(String host) {
        Matcher m = HOST.matcher(host.toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(1) : null;
    }

    HttpResponse serve(String bucketName, HttpRequest request, String requestId) {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                    requestId, fields("Method", method, "ResourceType", "OBJECT"), null);
        }
        Bucket b = buckets.find(bucketName);
        if (b == null) {
            return error(404, "NoSuchBucket", "The specified bucket does not exist", requestId,
                    fields("BucketName", bucketName), null);
        }
        Struct config = (Struct) b.configs.get("Website");
        if (config == null) {
            return error(404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration",
                    requestId, fields("BucketName", bucketName), null);
        }
        String key = HttpRequest.decode(request.rawPath()).substring(1);
        Struct all = config.struct("RedirectAllRequestsTo");
        if (all != null) {
            String protocol = all.string("Protocol", "http");
            return redirect(301, protocol + "://" + all.string("HostName") + "/" + key, requestId);
        }
        HttpResponse ruled = applyRules(config, key, null, request, requestId);
        if (ruled != null) {
            return ruled;
        }
        String suffix = config.struct("IndexDocument") == null ? null : config.struct("IndexDocument").string("Suffix");
        String lookup = (key.isEmpty() || key.endsWith("/")) && suffix != null ? key + suffix : key;
        S3Object o = lookup.isEmpty() ? null : b.current(lookup);
        if (o != null && !o.deleteMarker) {
            String location = o.meta.systemHeaders().get("WebsiteRedirectLocation");
            if (location != null) {
                return redirect(301, location, requestId);
            }
            return object(o, 200, request, requestId);
        }
        if (suffix != null && !key.isEmpty() && !key.endsWith("/")) {
            S3Object index = b.current(key + "/" + suffix);
            if (index != null && !index.deleteMarker) {
                return redirect(302, "/" + key + "/", requestId);
            }
        }
        ruled = applyRules(config, key, 404, request, requestId);
        if (ruled != null) {
            return ruled;
        }
        Struct errorDoc = config.struct("ErrorDocument");
        Map<String, String> notFound = fields("Key", lookup);
        if (errorDoc != null) {
            S3Object doc = b.current(errorDoc.string("Key"));
            if (doc != null && !doc.deleteMarker) {
                return object(doc, 404, request, requestId);
            }
            return error(404, "NoSuchKey", "The specified key does not exist.", requestId, notFound,
                    fields("Code", "NoSuchKey", "Message", "The specified key does not exist.", "Key",
                            errorDoc.string("Key")));
        }
        return error(404, "NoSuchKey", "The specified key does not exist.", requestId, notFound, null);
    }

    /** The first routing rule whose condition holds (errorCode null: before the lookup, prefix-only rules). */
    private static HttpResponse applyRules(Struct config, String key, Integer errorCode, HttpRequest request,
                                           String requestId) {
        List<Struct> rules = config.structs("RoutingRules");
        if (rules == null) {
            return null;
        }
        for (Struct rule : rules) {
            Struct cond = rule.struct("Condition");
            String prefix = cond == null ? null : cond.string("KeyPrefixEquals");
            String code = cond == null ? null : cond.string("HttpErrorCodeReturnedEquals");
            if ((errorCode == null) != (code == null)) {
                continue;
            }
            if (code != null && !code.equals(String.valueOf(errorCode))) {
                continue;
            }
            if (prefix != null && !key.startsWith(prefix)) {
                continue;
            }
            Struct r = rule.struct("Redirect");
            String newKey = key;
            if (r.string("ReplaceKeyWith") != null) {
                newKey = r.string("ReplaceKeyWith");
            } else if (r.string("ReplaceKeyPrefixWith") != null) {
                newKey = r.string("ReplaceKeyPrefixWith") + key.substring(prefix == null ? 0 : prefix.length());
            }
            String host = r.string("HostName", request.header("host"));
            String protocol = r.string("Protocol", "http");
            int status = Integer.parseInt(r.string("HttpRedirectCode", "301"));
            return redirect(status, protocol + "://" + host + "/" + newKey, requestId);
        }
        return null;
    }

    private HttpResponse object(S3Object o, int status, HttpRequest request, String requestId) {
        HttpResponse r = new HttpResponse(status);
        ids(r, requestId);
        r.header("Content-Type", o.meta.contentType()).header("ETag", o.etag)
                .header("Last-Modified", Timestamps.rfc822(o.lastModified));
        o.meta.userMetadata().forEach((k, v) -> r.header("x-amz-meta-" + k, v));
        if (request.method().equals("HEAD")) {
            return r.header("Content-Length", String.valueOf(o.size()));
        }
        return r.body(blobs.open(o.blob, 0, o.size()), o.size());
    }

    private static HttpResponse redirect(int status, String location, String requestId) {
        HttpResponse r = new HttpResponse(status).header("Location", location);
        ids(r, requestId);
        return r;
    }

    /** An error page as the website endpoint writes it: HTML, not XML. */
    static HttpResponse error(int status, String code, String message, String requestId, Map<String, String> extra,
                              Map<String, String> errorDocumentError) {
        String title = status + " " + reason(status);
        StringBuilder html = new StringBuilder("<html>\n<head><title>").append(title).append("</title></head>\n<body>\n")
                .append("<h1>").append(title).append("</h1>\n<ul>\n")
                .append("<li>Code: ").append(escape(code)).append("</li>\n")
                .append("<li>Message: ").append(escape(message)).append("</li>\n");
        extra.forEach((k, v) -> html.append("<li>").append(k).append(": ").append(escape(v)).append("</li>\n"));
        html.append("<li>RequestId: ").append(requestId).append("</li>\n")
                .append("<li>HostId: ").append(RestXmlCodec.hostId(requestId)).append("</li>\n</ul>\n");
        if (errorDocumentError != null) {
            html.append("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n");
            errorDocumentError.forEach((k, v) -> html.append("<li>").append(k).append(": ").append(escape(v))
                    .append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("<hr/>\n</body>\n</html>\n");
        HttpResponse r = HttpResponse.text(status, "text/html; charset=utf-8", html.toString());
        ids(r, requestId);
        return r;
    }

    private static void ids(HttpResponse r, String requestId) {
        withIds(r, requestId);
    }

    static HttpResponse withIds(HttpResponse r, String requestId) {
        return r.header("x-amz-request-id", requestId).header("x-amz-id-2", RestXmlCodec.hostId(requestId));
    }

    private static String reason(int status) {
        return switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Error";
        };
    }

    private static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
