package dev.terrarium.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The error answered before any protocol is known (no service can be told, or the HTTP itself is
 * broken): a small awsJson-style body, {@code {"__type": code, "message": ...}}, as AWS's
 * JSON front ends answer, with the code also in x-amzn-ErrorType.
 */
public final class PlainError {
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final JsonFactory JSON = new JsonFactory();

    private PlainError() {
    }

    public static HttpResponse response(int status, String code, String message) {
        return HttpResponse.of(status, CONTENT_TYPE, body(code, message)).header("x-amzn-ErrorType", code);
    }

    /** The JSON body; any message text (control characters included) is escaped properly. */
    public static byte[] body(String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("__type", code);
            g.writeStringField("message", message == null ? "" : message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The code for an HTTP status Jetty answers on its own. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "RequestTimeout";
            case 411 -> "MissingContentLength";
            case 413 -> "RequestEntityTooLarge";
            case 414 -> "RequestURITooLong";
            case 415 -> "UnsupportedMediaType";
            case 431 -> "RequestHeaderFieldsTooLarge";
            case 501 -> "NotImplemented";
            case 505 -> "HttpVersionNotSupported";
            default -> status >= 500 ? "InternalFailure" : "BadRequest";
        };
    }
}
