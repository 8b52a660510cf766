package dev.terrarium.core.model;

/** The "error" trait of an exception shape: the query-protocol code, HTTP status and fault side. */
public record ErrorTrait(String code, int httpStatusCode, boolean senderFault) {
}
