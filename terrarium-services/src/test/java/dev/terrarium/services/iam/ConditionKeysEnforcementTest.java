package dev.terrarium.services.iam;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.terrarium.services.iam.Denials.denied;
import static dev.terrarium.services.iam.IamTestUsers.newUser;

/**
 * --enforce-iam, through the SDK with keys created by IAM and roles assumed through STS: the condition keys each
 * request carries (aws:SourceIp, aws:CurrentTime on the virtual clock, aws:PrincipalTag, aws:RequestTag,
 * aws:ResourceTag, aws:TagKeys, s3:prefix, aws:SecureTransport) and cross-account access that needs both sides.
 */
class ConditionKeysEnforcementTest {
    private static final String A = "000000000000";
    private static final String B = "222233334444";
    private static final AwsCredentials B_ROOT = AwsBasicCredentials.create(B, "test");
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true).withVirtualClock(true)).resetBeforeEach();

    @BeforeEach
    void accountB() {
        server.server().credentials().register(new Credential(B, "test", null, Identity.root(B, B), null));
    }

    private static String policy(String... statements) {
        return ("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}").replace('\'', '"');
    }

    /** A user of the account whose root signs with root, with the given inline policy (none when null). */
    private static AwsCredentials user(AwsCredentials root, String name, String inlinePolicy) {
        return newUser(server.client(IamClient::builder, root), name, inlinePolicy);
    }

    private static S3Client s3(AwsCredentials c) {
        return server.client(() -> S3Client.builder().forcePathStyle(true), c);
    }

    @Test
    void source_ip_is_the_loopback_address_the_server_sees() {
        SqsClient root = server.client(SqsClient::builder);
        root.createQueue(r -> r.queueName("jobs"));
        SqsClient local = server.client(SqsClient::builder, user(TestServer.TEST_CREDENTIALS, "local", policy(
                "{'Effect':'Allow','Action':'sqs:ListQueues','Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':'127.0.0.0/8'}}}")));
        SqsClient office = server.client(SqsClient::builder, user(TestServer.TEST_CREDENTIALS, "office", policy(
                "{'Effect':'Allow','Action':'sqs:ListQueues','Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','10.0.0.0/8']}}}")));
        SqsClient notLocal = server.client(SqsClient::builder, user(TestServer.TEST_CREDENTIALS, "notlocal", policy(
                "{'Effect':'Allow','Action':'sqs:ListQueues','Resource':'*'}",
                "{'Effect':'Deny','Action':'*','Resource':'*','Condition':{'NotIpAddress':{'aws:SourceIp':'192.0.2.0/24'}}}")));
        assertThat(local.listQueues().queueUrls()).hasSize(1);
        denied(office::listQueues, "user/office is not authorized to perform: sqs:ListQueues",
                "because no identity-based policy allows");
        denied(notLocal::listQueues, "with an explicit deny in an identity-based policy");
    }

    @Test
    void current_time_follows_the_virtual_clock() {
        Instant now = server.server().clock().now();
        String inAnHour = now.plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        root.createBucket(r -> r.bucket("timed"));
        // allowed until an hour from now; another user only after that hour
        S3Client early = s3(user(TestServer.TEST_CREDENTIALS, "early", policy(
                "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::timed','Condition':{'DateLessThan':{'aws:CurrentTime':'" + inAnHour + "'}}}")));
        S3Client late = s3(user(TestServer.TEST_CREDENTIALS, "late", policy(
                "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::timed','Condition':{'DateGreaterThan':{'aws:CurrentTime':'" + inAnHour + "'}}}")));
        assertThat(early.listObjectsV2(r -> r.bucket("timed")).keyCount()).isZero();
        denied(() -> late.listObjectsV2(r -> r.bucket("timed")), "s3:ListBucket");
        assertThat(server.raw("POST", "/_terrarium/clock/advance?seconds=7200", null, null).statusCode()).isEqualTo(200);
        denied(() -> early.listObjectsV2(r -> r.bucket("timed")), "s3:ListBucket", "because no identity-based policy allows");
        assertThat(late.listObjectsV2(r -> r.bucket("timed")).keyCount()).isZero();
    }

    @Test
    void principal_tags_of_roles_and_sessions_meet_resource_tags_of_queues() {
        IamClient iam = server.client(IamClient::builder);
        SqsClient root = server.client(SqsClient::builder);
        String blue = root.createQueue(r -> r.queueName("blue-jobs").tags(Map.of("team", "blue"))).queueUrl();
        String red = root.createQueue(r -> r.queueName("red-jobs").tags(Map.of("team", "red"))).queueUrl();
        iam.createRole(r -> r.roleName("worker").tags(t -> t.key("team").value("blue")).assumeRolePolicyDocument(policy(
                "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + A + ":root'},'Action':['sts:AssumeRole','sts:TagSession']}")));
        iam.putRolePolicy(r -> r.roleName("worker").policyName("own-team").policyDocument(policy(
                "{'Effect':'Allow','Action':['sqs:SendMessage','sqs:GetQueueAttributes'],'Resource':'*',"
                        + "'Condition':{'StringEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}}")));
        StsClient sts = server.client(StsClient::builder);
        Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/worker").roleSessionName("w1")).credentials();
        SqsClient worker = server.client(SqsClient::builder, TerrariumExtension.session(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        assertThat(worker.sendMessage(r -> r.queueUrl(blue).messageBody("x")).messageId()).isNotBlank();
        denied(() -> worker.sendMessage(r -> r.queueUrl(red).messageBody("x")),
                "assumed-role/worker/w1 is not authorized to perform: sqs:SendMessage");
        // a session tag overrides the role's tag of the same key
        Credentials s = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/worker").roleSessionName("w2")
                .tags(t -> t.key("team").value("red"))).credentials();
        SqsClient redWorker = server.client(SqsClient::builder, TerrariumExtension.session(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
        assertThat(redWorker.sendMessage(r -> r.queueUrl(red).messageBody("x")).messageId()).isNotBlank();
        denied(() -> redWorker.sendMessage(r -> r.queueUrl(blue).messageBody("x")), "sqs:SendMessage");
    }

    @Test
    void request_tags_and_tag_keys_govern_tagging() {
        String creatorPolicy = policy(
                "{'Effect':'Allow','Action':['iam:CreateUser','iam:TagUser'],'Resource':'*',"
                        + "'Condition':{'StringEquals':{'aws:RequestTag/team':'blue'},'ForAllValues:StringEquals':{'aws:TagKeys':['team','env']}}}",
                "{'Effect':'Allow','Action':'sqs:CreateQueue','Resource':'*','Condition':{'StringEquals':{'aws:RequestTag/cost-center':'42'}}}",
                "{'Effect':'Allow','Action':'sqs:UntagQueue','Resource':'*','Condition':{'ForAllValues:StringEquals':{'aws:TagKeys':['scratch']}}}",
                "{'Effect':'Allow','Action':'sqs:TagQueue','Resource':'*'}");
        AwsCredentials creator = user(TestServer.TEST_CREDENTIALS, "creator", creatorPolicy);
        IamClient iam = server.client(IamClient::builder, creator);
        iam.createUser(r -> r.userName("ok").tags(t -> t.key("team").value("blue"), t -> t.key("env").value("dev")));
        denied(() -> iam.createUser(r -> r.userName("wrong-team").tags(t -> t.key("team").value("red"))), "iam:CreateUser");
        denied(() -> iam.createUser(r -> r.userName("untagged")), "iam:CreateUser");
        denied(() -> iam.createUser(r -> r.userName("extra-key").tags(t -> t.key("team").value("blue"), t -> t.key("owner").value("x"))),
                "iam:CreateUser");
        SqsClient sqs = server.client(SqsClient::builder, creator);
        String url = sqs.createQueue(r -> r.queueName("billed").tags(Map.of("cost-center", "42"))).queueUrl();
        denied(() -> sqs.createQueue(r -> r.queueName("unbilled")), "sqs:CreateQueue");
        sqs.tagQueue(r -> r.queueUrl(url).tags(Map.of("scratch", "1", "keep", "1")));
        sqs.untagQueue(r -> r.queueUrl(url).tagKeys("scratch"));
        denied(() -> sqs.untagQueue(r -> r.queueUrl(url).tagKeys("keep")), "sqs:UntagQueue");
        assertThat(server.client(SqsClient::builder).listQueueTags(r -> r.queueUrl(url)).tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cost-center", "42", "keep", "1"));
    }

    @Test
    void s3_prefix_limits_list_objects_v2_to_a_home_folder() {
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        root.createBucket(r -> r.bucket("homes"));
        root.putObject(r -> r.bucket("homes").key("home/kim/notes.txt"), RequestBody.fromString("n"));
        root.putObject(r -> r.bucket("homes").key("home/lee/diary.txt"), RequestBody.fromString("d"));
        S3Client kim = s3(user(TestServer.TEST_CREDENTIALS, "kim", policy(
                "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::homes',"
                        + "'Condition':{'StringLike':{'s3:prefix':['','home/','home/${aws:username}/*']}}}")));
        assertThat(kim.listObjectsV2(r -> r.bucket("homes").prefix("home/kim/")).contents()).extracting(o -> o.key())
                .containsExactly("home/kim/notes.txt");
        assertThat(kim.listObjectsV2(r -> r.bucket("homes").prefix("home/").delimiter("/")).commonPrefixes()).hasSize(2);
        denied(() -> kim.listObjectsV2(r -> r.bucket("homes").prefix("home/lee/")), "s3:ListBucket");
        denied(() -> kim.listObjectsV2(r -> r.bucket("homes").prefix("h")), "s3:ListBucket");
    }

    @Test
    void secure_transport_is_false_over_plain_http() {
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        root.createBucket(r -> r.bucket("tls-only"));
        root.putObject(r -> r.bucket("tls-only").key("k"), RequestBody.fromString("v"));
        S3Client alice = s3(user(TestServer.TEST_CREDENTIALS, "alice", policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}")));
        assertThat(alice.getObjectAsBytes(r -> r.bucket("tls-only").key("k")).asUtf8String()).isEqualTo("v");
        root.putBucketPolicy(r -> r.bucket("tls-only").policy(policy(
                "{'Sid':'TLSOnly','Effect':'Deny','Principal':'*','Action':'s3:*','Resource':['arn:aws:s3:::tls-only','arn:aws:s3:::tls-only/*'],"
                        + "'Condition':{'Bool':{'aws:SecureTransport':'false'}}}")));
        denied(() -> alice.getObjectAsBytes(r -> r.bucket("tls-only").key("k")), "with an explicit deny in a resource-based policy");
        // a Bool true condition never holds over http
        S3Client bob = s3(user(TestServer.TEST_CREDENTIALS, "bob", policy(
                "{'Effect':'Allow','Action':'s3:ListAllMyBuckets','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'true'}}}")));
        denied(bob::listBuckets, "s3:ListAllMyBuckets");
    }

    @Test
    void cross_account_s3_needs_the_bucket_policy_and_the_identity_policy() {
        S3Client owner = s3(TestServer.TEST_CREDENTIALS);
        owner.createBucket(r -> r.bucket("exchange"));
        owner.putObject(r -> r.bucket("exchange").key("in/a.csv"), RequestBody.fromString("a"));
        String readExchange = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::exchange/*'}");
        S3Client withIdentity = s3(user(B_ROOT, "reader", readExchange));
        S3Client withoutIdentity = s3(user(B_ROOT, "nobody", null));
        // identity side only
        denied(() -> withIdentity.getObjectAsBytes(r -> r.bucket("exchange").key("in/a.csv")),
                "user/reader is not authorized", "because no resource-based policy allows the s3:GetObject action");
        owner.putBucketPolicy(r -> r.bucket("exchange").policy(policy(
                "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + B + ":root'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::exchange/in/*'}")));
        // both sides agree
        assertThat(withIdentity.getObjectAsBytes(r -> r.bucket("exchange").key("in/a.csv")).asUtf8String()).isEqualTo("a");
        // resource side only
        denied(() -> withoutIdentity.getObjectAsBytes(r -> r.bucket("exchange").key("in/a.csv")),
                "because no identity-based policy allows the s3:GetObject action");
        // the identity policy allows exchange/*, the bucket policy only in/*
        owner.putObject(r -> r.bucket("exchange").key("out/b.csv"), RequestBody.fromString("b"));
        denied(() -> withIdentity.getObjectAsBytes(r -> r.bucket("exchange").key("out/b.csv")),
                "because no resource-based policy allows");
    }

    @Test
    void cross_account_sqs_needs_the_queue_policy_and_the_identity_policy() {
        SqsClient owner = server.client(SqsClient::builder);
        String url = owner.createQueue(r -> r.queueName("orders")).queueUrl();
        String queueArn = "arn:aws:sqs:us-east-1:" + A + ":orders";
        SqsClient sender = server.client(SqsClient::builder, user(B_ROOT, "sender", policy(
                "{'Effect':'Allow','Action':'sqs:SendMessage','Resource':'" + queueArn + "'}")));
        SqsClient bare = server.client(SqsClient::builder, user(B_ROOT, "bare", null));
        denied(() -> sender.sendMessage(r -> r.queueUrl(url).messageBody("1")), "because no resource-based policy allows the sqs:SendMessage action");
        owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy(
                "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + B + ":user/sender'},'Action':['sqs:SendMessage','sqs:ReceiveMessage'],'Resource':'" + queueArn + "'}",
                "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + B + ":user/bare'},'Action':'sqs:SendMessage','Resource':'" + queueArn + "'}"))));
        assertThat(sender.sendMessage(r -> r.queueUrl(url).messageBody("1")).messageId()).isNotBlank();
        denied(() -> bare.sendMessage(r -> r.queueUrl(url).messageBody("2")), "user/bare", "because no identity-based policy allows");
        // the queue policy allows ReceiveMessage, the sender's identity policy does not
        denied(() -> sender.receiveMessage(r -> r.queueUrl(url)), "sqs:ReceiveMessage", "because no identity-based policy allows");
        assertThat(owner.receiveMessage(r -> r.queueUrl(url)).messages()).extracting(m -> m.body()).containsExactly("1");
    }
}
