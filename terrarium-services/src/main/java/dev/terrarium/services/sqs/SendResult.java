package dev.terrarium.services.sqs;

/** What a sender is told: the message's id, digests and (FIFO) sequence number. */
record SendResult(String messageId, String bodyMd5, String attributesMd5, String systemAttributesMd5,
                  String sequenceNumber) {
}
