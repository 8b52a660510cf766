package dev.terrarium.core.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Adapts Jetty's request/response to Terrarium's HttpRequest/HttpResponse and logs one line per request. */
public final class JettyHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger("terrarium.request");

    /** What the exchange produced: the response and the service/operation names for the log line. */
    public record Handled(HttpResponse response, String service, String operation) {
    }

    /** Unread request bodies up to this size are read and dropped before answering (error before the body). */
    private static final long DRAIN_LIMIT = 1024 * 1024;
    private final Function<HttpRequest, CompletionStage<Handled>> application;

    /**
     * application answers each request; the stage it returns is usually complete already. One that
     * completes later (a long poll) holds no thread meanwhile: Jetty keeps the exchange open until then.
     */
    public JettyHandler(Function<HttpRequest, CompletionStage<Handled>> application) {
        this.application = application;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        Headers headers = new Headers();
        for (HttpField field : request.getHeaders()) {
            headers.add(field.getLowerCaseName(), field.getName(), field.getValue());
        }
        String remote = Request.getRemoteAddr(request);
        HttpRequest req = new HttpRequest(request.getMethod(), request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(), headers, Content.Source.asInputStream(request), remote);
        CompletionStage<Handled> stage;
        try {
            stage = application.apply(req);
        } catch (RuntimeException | StackOverflowError e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((handled, failure) -> {
            if (failure != null) {
                LOG.error("unhandled failure for {}", req, failure);
                handled = new Handled(PlainError.response(500, "InternalFailure",
                        "We encountered an internal error. Please try again."), "-", "-");
            }
            HttpResponse res = handled.response();
            // a client still sending a small body it was not asked for would see the connection reset
            req.drainUnread(DRAIN_LIMIT);
            try {
                write(req, res, response, callback);
            } catch (RuntimeException e) {
                callback.failed(e);
            } finally {
                if (LOG.isInfoEnabled()) {
                    LOG.info("{} {} {} {}ms", handled.service(), handled.operation(), res.status(),
                            (System.nanoTime() - start) / 1_000_000);
                }
            }
        });
        return true;
    }

    private static void write(HttpRequest req, HttpResponse res, Response response, Callback callback) {
        response.setStatus(res.status());
        Headers h = res.headers();
        for (String name : h.names()) {
            for (String value : h.all(name)) {
                response.getHeaders().add(h.originalName(name), value);
            }
        }
        boolean head = "HEAD".equals(req.method());
        if (!res.isStreamed()) {
            byte[] body = res.body();
            if (!h.has("content-length")) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            }
            response.write(true, head || body.length == 0 ? null : ByteBuffer.wrap(body), callback);
            return;
        }
        if (res.bodyLength() >= 0 && !h.has("content-length")) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, res.bodyLength());
        }
        if (head) {
            response.write(true, null, callback);
            return;
        }
        try (InputStream in = res.bodyStream(); OutputStream out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out);
            callback.succeeded();
        } catch (Exception e) {
            callback.failed(e);
        }
    }
}
