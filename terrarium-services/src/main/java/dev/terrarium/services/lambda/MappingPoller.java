package dev.terrarium.services.lambda;

/** The thread body that feeds one event source mapping's function (SQS queue or DynamoDB stream). */
interface MappingPoller extends Runnable {
    void stop();
}
