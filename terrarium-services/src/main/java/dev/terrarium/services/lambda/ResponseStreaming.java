package dev.terrarium.services.lambda;

import dev.terrarium.core.protocol.EventStreamMessage;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * InvokeWithResponseStream: the answer is an event stream (application/vnd.amazon.eventstream) of PayloadChunk
 * events and a final InvokeComplete. A function that streams (Node's awslambda.streamifyResponse, or any runtime
 * posting its response with Lambda-Runtime-Function-Response-Mode: streaming) has each chunk forwarded as it comes;
 * a function that returns a normal response has it sent as one chunk, as Lambda does.
 */
final class ResponseStreaming {
    private static final int PAYLOAD_LIMIT = 6 * 1024 * 1024;

    private final Functions functions;
    private final Invoker invoker;

    ResponseStreaming(Functions functions, Invoker invoker) {
        this.functions = functions;
        this.invoker = invoker;
    }

    @AwsOperation("InvokeWithResponseStream")
    public Struct invokeWithResponseStream(Call call, Struct in) {
        FunctionNames.Owned named = FunctionNames.parseOwned(in.string("FunctionName"), call.account(), call.region(),
                in.string("Qualifier"));
        String owner = named.account();
        FunctionNames names = named.names();
        LambdaFunction f = functions.require(owner, call.region(), names);
        FunctionVersion v = f.version(names.qualifier(), LambdaService.random());
        if (v == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + names.qualifier());
        }
        byte[] payload = InvokeChecks.payload(in.blob("Payload"), PAYLOAD_LIMIT);
        InvokeChecks.invocable(v, invoker);
        String type = in.string("InvocationType", "RequestResponse");
        if (type.equals("DryRun")) {
            return Struct.of("StatusCode", 204, "ExecutedVersion", v.version);
        }
        String clientContext = null;
        if (in.string("ClientContext") != null) {
            try {
                clientContext = new String(Base64.getDecoder().decode(in.string("ClientContext")), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw LambdaErrors.invalid("Client context must be a valid Base64-encoded JSON object.");
            }
        }
        invoker.reserve(f);
        String invokedArn = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
        Invoker.Target target = new Invoker.Target(owner, call.region(), f, v, invokedArn, call.endpoint());
        boolean tail = "Tail".equals(in.string("LogType"));
        ChunkStream frames = new ChunkStream();
        invoker.invoke(target, payload, clientContext, chunk -> frames.put(chunk(chunk))).thenAccept(o -> {
            InvocationResult r = o.result();
            boolean streamed = frames.count() > 0;
            if (!streamed && r.functionError() == null && r.payload() != null && r.payload().length > 0) {
                frames.put(chunk(r.payload()));
            }
            Map<String, Object> complete = new LinkedHashMap<>();
            if (r.functionError() != null) {
                Map<String, Object> error = Json.object(r.payload());
                Object errorType = error == null ? null : error.get("errorType");
                Object message = error == null ? null : error.get("errorMessage");
                complete.put("ErrorCode", errorType == null ? r.functionError() : errorType.toString());
                complete.put("ErrorDetails", message == null ? new String(r.payload(), StandardCharsets.UTF_8) : message.toString());
            }
            if (tail) {
                complete.put("LogResult", o.tail());
            }
            frames.put(EventStreamMessage.event("InvokeComplete", "application/json",
                    LambdaResourcePolicy.json(complete).getBytes(StandardCharsets.UTF_8)));
            frames.end();
        });
        return Struct.of("StatusCode", 200, "ExecutedVersion", v.version,
                "ResponseStreamContentType", "application/vnd.amazon.eventstream",
                "EventStream", new StreamingBody(frames, -1, "application/vnd.amazon.eventstream"));
    }

    private static byte[] chunk(byte[] bytes) {
        return EventStreamMessage.event("PayloadChunk", "application/octet-stream", bytes);
    }
}
