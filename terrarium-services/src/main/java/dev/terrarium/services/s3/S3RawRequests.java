package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.routing.Router;
import dev.terrarium.core.service.RawRequests;

/**
 * S3 traffic outside the model: website endpoints, CORS preflights, and CORS headers on requests with an Origin.
 */
final class S3RawRequests {
    private final Buckets buckets;
    private final Website website;

    S3RawRequests(Buckets buckets, BlobStore blobs) {
        this.buckets = buckets;
        this.website = new Website(buckets, blobs);
    }

    RawRequests.Answer answer(HttpRequest request, String requestId) {
        String websiteBucket = Website.bucketOf(request.host());
        if (websiteBucket != null) {
            return new RawRequests.Answer("WebsiteRequest", website.serve(websiteBucket, request, requestId));
        }
        String bucketName = bucketOf(request);
        if (request.method().equals("OPTIONS") && bucketName != null) {
            return new RawRequests.Answer("PreflightRequest", Website.withIds(
                    Cors.preflight(buckets.find(bucketName), request), requestId));
        }
        if (bucketName != null && request.header("origin") != null) {
            Cors.decorate(buckets.find(bucketName), request, request.responseExtras());
        }
        return null;
    }

    /** The bucket a REST request addresses: from a virtual host, else the first path segment; null for none. */
    static String bucketOf(HttpRequest request) {
        String fromHost = Router.bucketFromHost(request.host());
        if (fromHost != null) {
            return fromHost;
        }
        String path = request.rawPath();
        if (path.length() <= 1) {
            return null;
        }
        int slash = path.indexOf('/', 1);
        return HttpRequest.decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
    }
}
