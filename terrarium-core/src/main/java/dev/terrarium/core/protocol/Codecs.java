package dev.terrarium.core.protocol;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.protocol.cbor.RpcV2CborCodec;
import dev.terrarium.core.protocol.json.AwsJsonCodec;
import dev.terrarium.core.protocol.json.RestJsonCodec;
import dev.terrarium.core.protocol.query.AwsQueryCodec;
import dev.terrarium.core.protocol.query.Ec2QueryCodec;
import dev.terrarium.core.protocol.xml.RestXmlCodec;
import dev.terrarium.core.model.ServiceInfo;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The codec for each protocol, created on first use. */
public final class Codecs {
    private static final Map<Protocol, Supplier<ProtocolCodec>> FACTORIES = new EnumMap<>(Protocol.class);
    private static final Map<Protocol, ProtocolCodec> CODECS = new EnumMap<>(Protocol.class);

    static {
        register(Protocol.AWS_JSON_1_0, () -> new AwsJsonCodec(Protocol.AWS_JSON_1_0));
        register(Protocol.AWS_JSON_1_1, () -> new AwsJsonCodec(Protocol.AWS_JSON_1_1));
        register(Protocol.REST_JSON_1, RestJsonCodec::new);
        register(Protocol.REST_XML, RestXmlCodec::new);
        register(Protocol.AWS_QUERY, AwsQueryCodec::new);
        register(Protocol.EC2_QUERY, Ec2QueryCodec::new);
        register(Protocol.RPC_V2_CBOR, RpcV2CborCodec::new);
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
