package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.sqs.SqsService;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Receives from and deletes on queues of the SQS service of the same server, by direct calls (no HTTP). */
final class PeerSqsClient implements QueueClient {
    private final Peers peers;

    PeerSqsClient(Peers peers) {
        this.peers = peers;
    }

    private SqsService sqs() {
        SqsService sqs = peers.find("sqs", SqsService.class);
        if (sqs == null) {
            throw new IllegalStateException("the SQS service is not available");
        }
        return sqs;
    }

    @Override
    public List<Message> receive(String queueArn, int max, int waitSeconds) throws Exception {
        List<Struct> received = sqs().receiveByArn(queueArn, max, waitSeconds).toCompletableFuture()
                .get(waitSeconds + 5L, TimeUnit.SECONDS);
        List<Message> out = new ArrayList<>(received.size());
        for (Struct m : received) {
            out.add(new Message(m.asMap()));
        }
        return out;
    }

    @Override
    public void delete(String queueArn, List<String> receiptHandles) {
        if (!receiptHandles.isEmpty()) {
            sqs().deleteByArn(queueArn, receiptHandles);
        }
    }
}
