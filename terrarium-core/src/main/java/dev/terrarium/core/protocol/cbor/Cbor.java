package dev.terrarium.core.protocol.cbor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

/** The one Jackson CBOR factory the codec uses, set up for untrusted input and RFC 8949 bignums. */
final class Cbor {
    /** Tag 1: epoch-based date/time (RFC 8949 3.4.2). */
    static final int TAG_EPOCH_SECONDS = 1;

    static final CBORFactory FACTORY = CBORFactory.builder()
            // names from the wire are attacker-chosen: never intern them
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .enable(CBORParser.Feature.DECODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
            .enable(CBORGenerator.Feature.ENCODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private Cbor() {
    }
}
