package dev.terrarium.core.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * What Jetty answers by itself (HTTP it cannot parse, header sections too large, a failure outside
 * Terrarium's handler): {@link PlainError}'s JSON instead of Jetty's HTML page, and never a stack trace.
 */
public final class JettyErrorHandler extends ErrorHandler {
    private static final String INTERNAL = "We encountered an internal error. Please try again.";

    public JettyErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Jetty writes bodies only for GET/POST/HEAD errors; AWS answers every method with its error body. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PlainError.CONTENT_TYPE);
        response.getHeaders().put("x-amzn-ErrorType", PlainError.codeFor(code));
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, PlainError.CONTENT_TYPE);
        fields.put("x-amzn-ErrorType", PlainError.codeFor(status));
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String message) {
        String text = status >= 500 && status != 501 && status != 505 ? INTERNAL
                : message != null && !message.isBlank() ? message : HttpStatus.getMessage(status);
        return PlainError.body(PlainError.codeFor(status), text);
    }
}
