package dev.terrarium.services.sqs;

/** A message as one receive delivered it: the message and its delivery state at that moment. */
record Delivery(Message message, String receiptHandle, int receiveCount, long firstReceivedAt) {
}
