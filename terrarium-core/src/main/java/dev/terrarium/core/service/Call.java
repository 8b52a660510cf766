package dev.terrarium.core.service;

import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Operation;

import java.time.Instant;

/** One call of an operation: who, where (account and region), when, and the request it came in. */
public record Call(String service, Operation operation, Identity identity, String region, String requestId,
                   Instant receivedAt, HttpRequest request) {

    public String account() { return identity.accountId(); }

    /** "http://host:port" as the client addressed us, for URLs that services hand out (queue URLs...). */
    public String endpoint() {
        String host = request.header("host");
        return "http://" + (host == null ? "localhost:4566" : host);
    }
}
