package dev.terrarium.core.http;

/**
 * Status and headers a service adds to its response beyond what the model's output shape binds:
 * S3's 206 Partial Content for a ranged GET, CORS headers. The Dispatcher applies them after the codec.
 */
public final class ResponseExtras {
    private int status;
    private final Headers headers = new Headers();

    /** Overrides the status of a successful response; 0 keeps the codec's. */
    public ResponseExtras status(int s) {
        this.status = s;
        return this;
    }

    public int status() { return status; }

    public ResponseExtras header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public Headers headers() { return headers; }

    /** Applies the extras to a response; errorResponse: headers only, the error keeps its status. */
    public void applyTo(HttpResponse response, boolean errorResponse) {
        if (status != 0 && !errorResponse) {
            response.status(status);
        }
        for (String name : headers.names()) {
            for (String value : headers.all(name)) {
                response.header(headers.originalName(name), value);
            }
        }
    }
}
