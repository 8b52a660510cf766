package dev.terrarium.core.conformance;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.protocol.Codecs;
import dev.terrarium.core.protocol.ProtocolCodec;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The codec of each protocol: the registered one, else constructed by class name, so that the suite
 * compiles and runs before every codec exists (a missing codec makes its cases skipped, not failed).
 */
final class ConformanceCodecs {
    private static final Map<Protocol, String> CLASS_NAMES = new EnumMap<>(Map.of(
            Protocol.AWS_JSON_1_0, "dev.terrarium.core.protocol.json.AwsJsonCodec",
            Protocol.AWS_JSON_1_1, "dev.terrarium.core.protocol.json.AwsJsonCodec",
            Protocol.REST_JSON_1, "dev.terrarium.core.protocol.json.RestJsonCodec",
            Protocol.REST_XML, "dev.terrarium.core.protocol.xml.RestXmlCodec",
            Protocol.AWS_QUERY, "dev.terrarium.core.protocol.query.AwsQueryCodec",
            Protocol.EC2_QUERY, "dev.terrarium.core.protocol.query.Ec2QueryCodec",
            Protocol.RPC_V2_CBOR, "dev.terrarium.core.protocol.cbor.RpcV2CborCodec"));

    private static final Map<Protocol, Optional<ProtocolCodec>> CACHE = new EnumMap<>(Protocol.class);

    private ConformanceCodecs() {
    }

    static synchronized Optional<ProtocolCodec> forProtocol(Protocol p) {
        return CACHE.computeIfAbsent(p, ConformanceCodecs::create);
    }

    private static Optional<ProtocolCodec> create(Protocol p) {
        ProtocolCodec registered = Codecs.forProtocol(p);
        if (registered != null) {
            return Optional.of(registered);
        }
        try {
            Class<?> type = Class.forName(CLASS_NAMES.get(p));
            try {
                return Optional.of((ProtocolCodec) type.getConstructor(Protocol.class).newInstance(p));
            } catch (NoSuchMethodException e) {
                return Optional.of((ProtocolCodec) type.getConstructor().newInstance());
            }
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct the codec of " + p, e);
        }
    }
}
