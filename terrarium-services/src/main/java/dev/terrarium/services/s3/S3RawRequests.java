package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.routing.Router;
import dev.terrarium.core.service.RawRequests;

/**
 * S3 traffic outside the model: website endpoints, CORS preflights, and CORS headers on requests with an Origin.
 */
final class S3RawRequests {
    private final Buckets buckets;
    private final Website website;
    private final PostHandler post;

    /** Stores a browser POST upload to a bucket and answers it. */
    interface PostHandler {
        HttpResponse post(String bucket, HttpRequest request, String requestId);
    }

    S3RawRequests(Buckets buckets, BlobStore blobs, PostHandler post) {
        this.buckets = buckets;
        this.website = new Website(buckets, blobs);
        this.post = post;
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
        if (PostObject.isPost(request, bucketName) && addressesBucketOnly(request)) {
            return new RawRequests.Answer("PostObject", post.post(bucketName, request, requestId));
        }
        return null;
    }

    private static boolean addressesBucketOnly(HttpRequest request) {
        String path = request.rawPath();
        if (Router.bucketFromHost(request.host()) != null) {
            return path.equals("/") || path.isEmpty();
        }
        int slash = path.indexOf('/', 1);
        return slash < 0 || slash == path.length() - 1;
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
