package dev.terrarium.core.routing;

import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With no service implementations on the classpath (the core alone), every operation must reach the
 * real AWS CLI as a proper, parseable NotImplemented error on each of the seven wires: routing,
 * signature verification, operation lookup and the error shape of each protocol, end to end.
 */
class UnimplementedOperationsCliTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @BeforeAll
    static void start() {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
    }

    @ParameterizedTest(name = "{0}: aws {1} {2}")
    @CsvSource({
            "awsJson1_0, dynamodb, list-tables, ListTables, dynamodb",
            "awsJson1_0 query-compatible, sqs, list-queues, ListQueues, sqs",
            "awsJson1_1, kinesis, list-streams, ListStreams, kinesis",
            "restJson1, lambda, list-functions, ListFunctions, lambda",
            "restXml, s3api, list-buckets, ListBuckets, s3",
            "restXml, route53, list-hosted-zones, ListHostedZones, route53",
            "awsQuery, iam, list-users, ListUsers, iam",
            "ec2Query, ec2, describe-vpcs, DescribeVpcs, ec2",
            "rpcv2Cbor, cloudwatch, list-metrics, ListMetrics, cloudwatch",
    })
    void everyWireAnswersNotImplementedNamingTheOperation(String wire, String cliService, String command,
                                                          String operation, String model) {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of("AWS_MAX_ATTEMPTS", "1"), cliService, command);
        assertThat(r.exitCode()).as(r.stdout()).isNotZero();
        assertThat(r.stderr())
                .contains("(NotImplemented)")
                .contains("calling the " + operation + " operation")
                .contains("The operation " + operation + " of service " + model + " is not yet implemented");
    }
}
