package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

/**
 * Log transformers: stored per log group (Put/Get/DeleteTransformer) with AWS's rules, run on every event
 * ingested into the group from then on (PutLogEvents and Lambda's logs alike: the event is stored transformed,
 * the event as sent kept beside it for metric and subscription filters that do not apply on transformed logs),
 * and by TestTransformer on sample messages. The processors themselves are in {@link LogTransformer}.
 */
final class Transformers {
    private final LogStore store;

    Transformers(LogStore store) {
        this.store = store;
    }

    @AwsOperation("PutTransformer")
    public Struct putTransformer(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (!"STANDARD".equals(g.logGroupClass)) {
            throw new AwsException("InvalidOperationException",
                    "Transformers can be created only for log groups in the Standard log class.");
        }
        List<Struct> config = in.structs("transformerConfig");
        LogTransformer.check(config);
        Struct old = g.transformer;
        long now = store.now();
        g.transformer = Struct.of("logGroupIdentifier", in.string("logGroupIdentifier"),
                "creationTime", old == null ? now : old.longValue("creationTime"), "lastModifiedTime", now,
                "transformerConfig", config);
        return null;
    }

    @AwsOperation("GetTransformer")
    public Struct getTransformer(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (g.transformer == null) {
            throw new AwsException("ResourceNotFoundException", "No transformer found for log group " + g.name + ".");
        }
        return g.transformer;
    }

    @AwsOperation("DeleteTransformer")
    public Struct deleteTransformer(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (g.transformer == null) {
            throw new AwsException("ResourceNotFoundException", "No transformer found for log group " + g.name + ".");
        }
        g.transformer = null;
        return null;
    }

    @AwsOperation("TestTransformer")
    public Struct testTransformer(Call call, Struct in) {
        List<Struct> config = in.structs("transformerConfig");
        LogTransformer.check(config);
        List<Struct> out = new ArrayList<>();
        List<String> messages = in.strings("logEventMessages");
        for (int i = 0; i < messages.size(); i++) {
            String transformed = LogTransformer.run(config, messages.get(i));
            out.add(Struct.of("eventNumber", (long) i + 1, "eventMessage", messages.get(i),
                    "transformedEventMessage", transformed));
        }
        return Struct.of("transformedLogs", out);
    }
}
