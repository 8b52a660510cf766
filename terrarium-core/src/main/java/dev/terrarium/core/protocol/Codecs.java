package dev.terrarium.core.protocol;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The codec for each protocol, created on first use. */
public final class Codecs {
    private static final Map<Protocol, Supplier<ProtocolCodec>> FACTORIES = new EnumMap<>(Protocol.class);
    private static final Map<Protocol, ProtocolCodec> CODECS = new EnumMap<>(Protocol.class);

    static {
        // each protocol's codec is registered here as it lands
    }

    private Codecs() {
    }

    public static synchronized void register(Protocol protocol, Supplier<ProtocolCodec> factory) {
        FACTORIES.put(protocol, factory);
        CODECS.remove(protocol);
    }

    /** The codec of a protocol, or null when Terrarium has none yet. */
    public static synchronized ProtocolCodec forProtocol(Protocol protocol) {
        ProtocolCodec codec = CODECS.get(protocol);
        if (codec == null) {
            Supplier<ProtocolCodec> f = FACTORIES.get(protocol);
            if (f == null) {
                return null;
            }
            codec = f.get();
            CODECS.put(protocol, codec);
        }
        return codec;
    }

    /** awsJson 1.0 or 1.1 for a JSON service, by its model's jsonVersion. */
    public static Protocol jsonProtocolOf(ServiceInfo info) {
        return "1.0".equals(info.jsonVersion()) ? Protocol.AWS_JSON_1_0 : Protocol.AWS_JSON_1_1;
    }
}
