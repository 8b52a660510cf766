package dev.terrarium.services.sqs;

/** What a receive asks for, its limits already checked. */
record ReceiveRequest(int maxMessages, int visibilityTimeout, int waitSeconds, String attemptId) {
}
