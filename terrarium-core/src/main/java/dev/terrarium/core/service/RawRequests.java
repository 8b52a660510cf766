package dev.terrarium.core.service;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;

/**
 * Optional for an {@link AwsService}: a look at each of its requests before the operation is resolved,
 * for wire traffic the model does not describe (S3's CORS preflight OPTIONS, website endpoints, browser
 * POST uploads). The service either answers the request itself or returns null to let it take the
 * normal path; it may also add response headers (request.responseExtras()) and return null. An
 * AwsException thrown here is written in the service's protocol like any operation error.
 */
public interface RawRequests {
    /** A request answered outside the model: the name the request log shows, and the response. */
    record Answer(String operation, HttpResponse response) {
    }

    /**
     * request is the request as received (before any S3 virtual-host rewriting); requestId is the id
     * the response must carry. Returns null to continue with normal dispatch.
     */
    Answer answer(HttpRequest request, String requestId);
}
