package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.routing.Router;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What a successful POST upload answers: success_action_redirect, or success_action_status 200/201/204. */
final class PostResponses {
    private PostResponses() {}

    static HttpResponse of(Bucket b, S3Object o, PostObject.Upload u, HttpRequest request, String requestId) {
        String host = request.header("host") == null ? "localhost:4566" : request.header("host");
        String encodedKey = UrlEncoding.encode(o.key);
        String location = Router.bucketFromHost(request.host()) != null ? "http://" + host + "/" + encodedKey
                : "http://" + host + "/" + b.name + "/" + encodedKey;
        HttpResponse r;
        if (u.redirect() != null && !u.redirect().isEmpty()) {
            String target = u.redirect() + (u.redirect().contains("?") ? "&" : "?") + "bucket=" + enc(b.name)
                    + "&key=" + enc(o.key) + "&etag=" + enc(o.etag);
            r = new HttpResponse(303).header("Location", target);
        } else if ("201".equals(u.successStatus())) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>" + escape(location)
                    + "</Location><Bucket>" + escape(b.name) + "</Bucket><Key>" + escape(o.key) + "</Key><ETag>"
                    + escape(o.etag) + "</ETag></PostResponse>";
            r = HttpResponse.text(201, "application/xml", xml);
        } else {
            r = new HttpResponse("200".equals(u.successStatus()) ? 200 : 204);
            r.header("Location", location);
        }
        r.header("ETag", o.etag);
        if (b.everVersioned()) {
            r.header("x-amz-version-id", o.versionId);
        }
        return Website.withIds(r, requestId);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
