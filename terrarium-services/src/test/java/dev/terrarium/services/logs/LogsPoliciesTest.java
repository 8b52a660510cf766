package dev.terrarium.services.logs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.AccountPolicy;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.Destination;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourcePolicy;
import software.amazon.awssdk.services.cloudwatchlogs.model.TransformedLogRecord;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resource, destination, account, data protection and index policies; transformers; deliveries. */
class LogsPoliciesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static CloudWatchLogsClient logs;
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"es.amazonaws.com\"},\"Action\":[\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}";

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    private static String code(Throwable t) {
        return ((CloudWatchLogsException) t).awsErrorDetails().errorCode();
    }

    @Test
    void resourcePolicies() {
        PutResourcePolicyResponse r = logs.putResourcePolicy(b -> b.policyName("es").policyDocument(POLICY));
        assertThat(r.resourcePolicy().policyScopeAsString()).isEqualTo("ACCOUNT");
        assertThat(r.revisionId()).isNotBlank();
        logs.createLogGroup(b -> b.logGroupName("g"));
        String arn = "arn:aws:logs:us-east-1:000000000000:log-group:g";
        logs.putResourcePolicy(b -> b.resourceArn(arn).policyDocument(POLICY));
        assertThat(logs.describeResourcePolicies(b -> { }).resourcePolicies()).hasSize(2);
        List<ResourcePolicy> onGroup = logs.describeResourcePolicies(b -> b.resourceArn(arn)).resourcePolicies();
        assertThat(onGroup).singleElement().satisfies(p -> {
            assertThat(p.policyScopeAsString()).isEqualTo("RESOURCE");
            assertThat(p.resourceArn()).isEqualTo(arn);
        });
        assertThatThrownBy(() -> logs.putResourcePolicy(b -> b.policyName("es").policyDocument(POLICY)
                .expectedRevisionId("stale"))).satisfies(e -> assertThat(code(e)).isEqualTo("OperationAbortedException"));
        logs.putResourcePolicy(b -> b.policyName("es").policyDocument(POLICY).expectedRevisionId(r.revisionId()));
        assertThatThrownBy(() -> logs.putResourcePolicy(b -> b.policyName("bad").policyDocument("not json")))
                .isInstanceOf(InvalidParameterException.class);
        for (int i = 0; i < 9; i++) {
            int n = i;
            logs.putResourcePolicy(b -> b.policyName("p" + n).policyDocument(POLICY));
        }
        assertThatThrownBy(() -> logs.putResourcePolicy(b -> b.policyName("eleventh").policyDocument(POLICY)))
                .isInstanceOf(LimitExceededException.class);
        logs.deleteResourcePolicy(b -> b.policyName("es"));
        assertThatThrownBy(() -> logs.deleteResourcePolicy(b -> b.policyName("es")))
                .isInstanceOf(ResourceNotFoundException.class);
        logs.deleteResourcePolicy(b -> b.resourceArn(arn));
    }

    @Test
    void destinationsAndTheirPolicies() {
        Destination d = logs.putDestination(b -> b.destinationName("central")
                .targetArn("arn:aws:kinesis:us-east-1:000000000000:stream/central")
                .roleArn("arn:aws:iam::000000000000:role/cwl")).destination();
        assertThat(d.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:destination:central");
        assertThat(d.creationTime()).isPositive();
        logs.putDestinationPolicy(b -> b.destinationName("central").accessPolicy(POLICY));
        assertThat(logs.describeDestinations(b -> b.destinationNamePrefix("cen")).destinations()).singleElement()
                .satisfies(x -> assertThat(x.accessPolicy()).isEqualTo(POLICY));
        assertThatThrownBy(() -> logs.putDestination(b -> b.destinationName("x").targetArn("arn:aws:sqs:us-east-1:000000000000:q")
                .roleArn("arn:aws:iam::000000000000:role/cwl"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putDestinationPolicy(b -> b.destinationName("nope").accessPolicy(POLICY)))
                .isInstanceOf(ResourceNotFoundException.class);

        // a subscription filter can target the destination; an unknown one is refused
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("f").filterPattern("").destinationArn(d.arn()));
        assertThatThrownBy(() -> logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("f2").filterPattern("")
                .destinationArn("arn:aws:logs:us-east-1:000000000000:destination:ghost")))
                .isInstanceOf(ResourceNotFoundException.class);
        logs.deleteDestination(b -> b.destinationName("central"));
        assertThatThrownBy(() -> logs.deleteDestination(b -> b.destinationName("central")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void accountDataProtectionAndIndexPolicies() {
        String dp = "{\"Name\":\"dp\",\"Version\":\"2021-06-01\",\"Statement\":[{\"Sid\":\"audit\",\"DataIdentifier\":"
                + "[\"arn:aws:dataprotection::aws:data-identifier/EmailAddress\"],\"Operation\":{\"Audit\":{\"FindingsDestination\":{}}}}]}";
        AccountPolicy p = logs.putAccountPolicy(b -> b.policyName("all").policyType("DATA_PROTECTION_POLICY")
                .policyDocument(dp)).accountPolicy();
        assertThat(p.accountId()).isEqualTo("000000000000");
        assertThat(p.scopeAsString()).isEqualTo("ALL");
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("second").policyType("DATA_PROTECTION_POLICY")
                .policyDocument(dp))).isInstanceOf(LimitExceededException.class);
        logs.putAccountPolicy(b -> b.policyName("idx").policyType("FIELD_INDEX_POLICY").policyDocument("{\"Fields\":[\"requestId\"]}"));
        assertThat(logs.describeAccountPolicies(b -> b.policyType("DATA_PROTECTION_POLICY")).accountPolicies()).hasSize(1);
        logs.deleteAccountPolicy(b -> b.policyName("all").policyType("DATA_PROTECTION_POLICY"));
        assertThatThrownBy(() -> logs.deleteAccountPolicy(b -> b.policyName("all").policyType("DATA_PROTECTION_POLICY")))
                .isInstanceOf(ResourceNotFoundException.class);

        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.putDataProtectionPolicy(b -> b.logGroupIdentifier("g").policyDocument(dp));
        assertThat(logs.getDataProtectionPolicy(b -> b.logGroupIdentifier("g")).policyDocument()).isEqualTo(dp);
        assertThat(logs.describeLogGroups().logGroups().get(0).dataProtectionStatusAsString()).isEqualTo("ACTIVATED");
        assertThatThrownBy(() -> logs.putDataProtectionPolicy(b -> b.logGroupIdentifier("g").policyDocument("{}")))
                .isInstanceOf(InvalidParameterException.class);
        logs.deleteDataProtectionPolicy(b -> b.logGroupIdentifier("g"));
        assertThatThrownBy(() -> logs.deleteDataProtectionPolicy(b -> b.logGroupIdentifier("g")))
                .isInstanceOf(ResourceNotFoundException.class);

        logs.putIndexPolicy(b -> b.logGroupIdentifier("g").policyDocument("{\"Fields\":[\"requestId\",\"status\"]}"));
        assertThat(logs.describeIndexPolicies(b -> b.logGroupIdentifiers("g")).indexPolicies()).singleElement()
                .satisfies(i -> assertThat(i.sourceAsString()).isEqualTo("LOG_GROUP"));
        assertThat(logs.describeFieldIndexes(b -> b.logGroupIdentifiers("g")).fieldIndexes())
                .extracting(f -> f.fieldIndexName()).containsExactly("requestId", "status");
        logs.deleteIndexPolicy(b -> b.logGroupIdentifier("g"));
        assertThatThrownBy(() -> logs.deleteIndexPolicy(b -> b.logGroupIdentifier("g"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void transformers() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.parseJSON(j -> { }),
                p -> p.addKeys(a -> a.entries(e -> e.key("env").value("prod"))),
                p -> p.renameKeys(r -> r.entries(e -> e.key("lvl").renameTo("level"))),
                p -> p.upperCaseString(u -> u.withKeys("level")),
                p -> p.typeConverter(t -> t.entries(e -> e.key("ms").type("integer")))));
        var t = logs.getTransformer(b -> b.logGroupIdentifier("g"));
        assertThat(t.transformerConfig()).hasSize(5);
        assertThat(t.creationTime()).isPositive();

        List<TransformedLogRecord> out = logs.testTransformer(b -> b.transformerConfig(t.transformerConfig())
                .logEventMessages("{\"lvl\":\"warn\",\"ms\":\"12\",\"user\":{\"id\":7}}", "not json")).transformedLogs();
        assertThat(out.get(0).transformedEventMessage())
                .isEqualTo("{\"lvl\":null,\"ms\":12,\"user\":{\"id\":7},\"env\":\"prod\",\"level\":\"WARN\"}".replace("\"lvl\":null,", ""));
        assertThat(out.get(1).transformedEventMessage()).isNull();

        List<TransformedLogRecord> kv = logs.testTransformer(b -> b.transformerConfig(
                p -> p.parseKeyValue(k -> k.fieldDelimiter(" ").keyValueDelimiter("=")),
                p -> p.deleteKeys(d -> d.withKeys("secret")))
                .logEventMessages("user=ann action=login secret=x")).transformedLogs();
        assertThat(kv.get(0).transformedEventMessage()).isEqualTo("{\"user\":\"ann\",\"action\":\"login\"}");

        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.addKeys(a -> a.entries(e -> e.key("k").value("v")))))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("must be a parser");
        logs.deleteTransformer(b -> b.logGroupIdentifier("g"));
        assertThatThrownBy(() -> logs.getTransformer(b -> b.logGroupIdentifier("g"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void deliverySourcesDestinationsAndDeliveries() {
        var source = logs.putDeliverySource(b -> b.name("kb").logType("APPLICATION_LOGS")
                .resourceArn("arn:aws:bedrock:us-east-1:000000000000:knowledge-base/KB12345678")).deliverySource();
        assertThat(source.service()).isEqualTo("bedrock");
        assertThat(source.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:delivery-source:kb");
        var dest = logs.putDeliveryDestination(b -> b.name("bucket").deliveryDestinationConfiguration(
                c -> c.destinationResourceArn("arn:aws:s3:::my-logs"))).deliveryDestination();
        assertThat(dest.deliveryDestinationTypeAsString()).isEqualTo("S3");
        logs.putDeliveryDestinationPolicy(b -> b.deliveryDestinationName("bucket").deliveryDestinationPolicy(POLICY));
        assertThat(logs.getDeliveryDestinationPolicy(b -> b.deliveryDestinationName("bucket")).policy()
                .deliveryDestinationPolicy()).isEqualTo(POLICY);

        var delivery = logs.createDelivery(b -> b.deliverySourceName("kb").deliveryDestinationArn(dest.arn())).delivery();
        assertThat(delivery.id()).hasSize(16);
        assertThat(delivery.deliveryDestinationTypeAsString()).isEqualTo("S3");
        assertThat(logs.getDelivery(b -> b.id(delivery.id())).delivery().deliverySourceName()).isEqualTo("kb");
        assertThatThrownBy(() -> logs.createDelivery(b -> b.deliverySourceName("kb").deliveryDestinationArn(dest.arn())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ConflictException"));
        assertThatThrownBy(() -> logs.deleteDeliverySource(b -> b.name("kb")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ConflictException"));
        logs.updateDeliveryConfiguration(b -> b.id(delivery.id()).recordFields("event_timestamp", "resource_arn"));
        assertThat(logs.describeDeliveries(b -> { }).deliveries().get(0).recordFields())
                .containsExactly("event_timestamp", "resource_arn");
        logs.deleteDelivery(b -> b.id(delivery.id()));
        logs.deleteDeliverySource(b -> b.name("kb"));
        logs.deleteDeliveryDestination(b -> b.name("bucket"));
        assertThatThrownBy(() -> logs.getDeliverySource(b -> b.name("kb"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.getDelivery(b -> b.id("AAAAAAAAAAAAAAAA"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.putDeliveryDestination(b -> b.name("x").deliveryDestinationConfiguration(
                c -> c.destinationResourceArn("arn:aws:sqs:us-east-1:000000000000:q"))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationException"));
    }

    @Test
    void anomalyDetectorsAndLookupTables() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        String arn = logs.createLogAnomalyDetector(b -> b.detectorName("d")
                .logGroupArnList("arn:aws:logs:us-east-1:000000000000:log-group:g").evaluationFrequency("TEN_MIN"))
                .anomalyDetectorArn();
        assertThat(arn).startsWith("arn:aws:logs:us-east-1:000000000000:anomaly-detector:");
        var d = logs.getLogAnomalyDetector(b -> b.anomalyDetectorArn(arn));
        assertThat(d.anomalyDetectorStatusAsString()).isEqualTo("TRAINING");
        assertThat(d.anomalyVisibilityTime()).isEqualTo(21L);
        logs.updateLogAnomalyDetector(b -> b.anomalyDetectorArn(arn).enabled(false));
        assertThat(logs.getLogAnomalyDetector(b -> b.anomalyDetectorArn(arn)).anomalyDetectorStatusAsString()).isEqualTo("PAUSED");
        assertThat(logs.listLogAnomalyDetectors(b -> b.filterLogGroupArn("arn:aws:logs:us-east-1:000000000000:log-group:g"))
                .anomalyDetectors()).hasSize(1);
        assertThat(logs.listAnomalies(b -> b.anomalyDetectorArn(arn)).anomalies()).isEmpty();
        assertThatThrownBy(() -> logs.createLogAnomalyDetector(b -> b.logGroupArnList(
                "arn:aws:logs:us-east-1:000000000000:log-group:nope"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.createLogAnomalyDetector(b -> b.logGroupArnList(
                "arn:aws:logs:us-east-1:000000000000:log-group:g").anomalyVisibilityTime(3L)))
                .satisfies(e -> assertThat(((CloudWatchLogsException) e).statusCode()).isEqualTo(400));
        logs.deleteLogAnomalyDetector(b -> b.anomalyDetectorArn(arn));
        assertThatThrownBy(() -> logs.getLogAnomalyDetector(b -> b.anomalyDetectorArn(arn))).isInstanceOf(ResourceNotFoundException.class);

        String table = logs.createLookupTable(b -> b.lookupTableName("users").tableBody("id,name\n1,ann\n2,bob\n"))
                .lookupTableArn();
        assertThat(logs.describeLookupTables(b -> { }).lookupTables()).singleElement().satisfies(t -> {
            assertThat(t.tableFields()).containsExactly("id", "name");
            assertThat(t.recordsCount()).isEqualTo(2L);
        });
        assertThatThrownBy(() -> logs.createLookupTable(b -> b.lookupTableName("users").tableBody("a\n1")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ResourceAlreadyExistsException"));
        assertThatThrownBy(() -> logs.createLookupTable(b -> b.lookupTableName("bad").tableBody("a,b\n1")))
                .isInstanceOf(InvalidParameterException.class);
        logs.updateLookupTable(b -> b.lookupTableArn(table).tableBody("id,name\n3,cy\n"));
        assertThat(logs.getLookupTable(b -> b.lookupTableArn(table)).tableBody()).isEqualTo("id,name\n3,cy\n");
        logs.deleteLookupTable(b -> b.lookupTableArn(table));
        assertThatThrownBy(() -> logs.getLookupTable(b -> b.lookupTableArn(table))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void dataProtectionMasksWhatIsIngestedAfterThePolicy() {
        logs.createLogGroup(b -> b.logGroupName("pii"));
        logs.createLogStream(b -> b.logGroupName("pii").logStreamName("s"));
        long now = System.currentTimeMillis();
        logs.putLogEvents(b -> b.logGroupName("pii").logStreamName("s").logEvents(
                software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder().timestamp(now - 10)
                        .message("before: ann@example.com").build()));
        String policy = "{\"Name\":\"p\",\"Version\":\"2021-06-01\",\"Configuration\":{\"CustomDataIdentifier\":"
                + "[{\"Name\":\"EmployeeId\",\"Regex\":\"EMP-\\\\d{6}\"}]},\"Statement\":["
                + "{\"Sid\":\"audit\",\"DataIdentifier\":[\"arn:aws:dataprotection::aws:data-identifier/EmailAddress\",\"EmployeeId\"],"
                + "\"Operation\":{\"Audit\":{\"FindingsDestination\":{}}}},"
                + "{\"Sid\":\"mask\",\"DataIdentifier\":[\"arn:aws:dataprotection::aws:data-identifier/EmailAddress\","
                + "\"arn:aws:dataprotection::aws:data-identifier/CreditCardNumber\",\"EmployeeId\"],"
                + "\"Operation\":{\"Deidentify\":{\"MaskConfig\":{}}}}]}";
        logs.putDataProtectionPolicy(b -> b.logGroupIdentifier("pii").policyDocument(policy));
        logs.putLogEvents(b -> b.logGroupName("pii").logStreamName("s").logEvents(
                software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder().timestamp(now)
                        .message("user bob@example.com paid with 4111 1111 1111 1111 as EMP-123456, order 1234567890123").build()));
        List<String> seen = logs.getLogEvents(b -> b.logGroupName("pii").logStreamName("s")).events().stream()
                .map(e -> e.message()).toList();
        assertThat(seen).containsExactly("before: ann@example.com",
                "user *************** paid with ******************* as **********, order 1234567890123");
        assertThat(logs.getLogEvents(b -> b.logGroupName("pii").logStreamName("s").unmask(true)).events().get(1).message())
                .isEqualTo("user bob@example.com paid with 4111 1111 1111 1111 as EMP-123456, order 1234567890123");
        assertThat(logs.filterLogEvents(b -> b.logGroupName("pii").filterPattern("bob")).events()).isEmpty();
        assertThat(logs.filterLogEvents(b -> b.logGroupName("pii").filterPattern("bob").unmask(true)).events()).hasSize(1);
    }
}
