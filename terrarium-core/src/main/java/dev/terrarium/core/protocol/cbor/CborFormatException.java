package dev.terrarium.core.protocol.cbor;

/** A CBOR body that is not well-formed, or does not fit the shape it is read as. */
final class CborFormatException extends RuntimeException {
    CborFormatException(String message) {
        super(message, null, false, false);
    }
}
