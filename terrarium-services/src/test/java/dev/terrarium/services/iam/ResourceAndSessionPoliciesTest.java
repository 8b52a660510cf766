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
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.terrarium.core.testing.AwsErrors.assertFails;
import static dev.terrarium.services.iam.IamTestUsers.newUser;

/** --enforce-iam: bucket and queue policies (cross-account grants, explicit denies) and STS session policies. */
class ResourceAndSessionPoliciesTest {
    private static final String A = "000000000000";
    private static final String B = "222233334444";
    private static final AwsCredentials B_ROOT = AwsBasicCredentials.create(B, "test");
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true)).resetBeforeEach();

    @BeforeEach
    void reset() {
        server.server().credentials().register(new Credential(B, "test", null, Identity.root(B, B), null));
    }

    private static S3Client s3(AwsCredentials c) {
        return server.client(() -> S3Client.builder().forcePathStyle(true), c);
    }

    /** A user with AdministratorAccess (or no policy) in the account whose root signs with rootCreds. */
    private static AwsCredentials user(AwsCredentials rootCreds, String name, boolean admin) {
        IamClient iam = server.client(IamClient::builder, rootCreds);
        return admin ? newUser(iam, name, null, IamTestUsers.ADMINISTRATOR_ACCESS) : newUser(iam, name, null);
    }

    private static String bucketPolicy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static void denied(Runnable r, String message) {
        assertFails(r, 403, "AccessDenied", message);
    }

    @Test
    void a_bucket_policy_grants_another_account_and_its_explicit_deny_wins() {
        S3Client owner = s3(TestServer.TEST_CREDENTIALS);
        owner.createBucket(r -> r.bucket("shared"));
        owner.putObject(r -> r.bucket("shared").key("report.txt"), RequestBody.fromString("q3"));
        owner.putObject(r -> r.bucket("shared").key("secret.txt"), RequestBody.fromString("s"));
        S3Client carol = s3(user(B_ROOT, "carol", true));
        denied(() -> carol.getObjectAsBytes(r -> r.bucket("shared").key("report.txt")),
                "User: arn:aws:iam::" + B + ":user/carol is not authorized to perform: s3:GetObject on resource: "
                        + "arn:aws:s3:::shared/report.txt because no resource-based policy allows the s3:GetObject action");
        owner.putBucketPolicy(r -> r.bucket("shared").policy(bucketPolicy(
                "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + B + ":root\"},\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws:s3:::shared/*\"}",
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::shared/secret*\"}")));
        assertThat(carol.getObjectAsBytes(r -> r.bucket("shared").key("report.txt")).asUtf8String()).isEqualTo("q3");
        denied(() -> carol.putObject(r -> r.bucket("shared").key("x"), RequestBody.fromString("x")),
                "because no resource-based policy allows the s3:PutObject action");
        denied(() -> carol.getObjectAsBytes(r -> r.bucket("shared").key("secret.txt")),
                "with an explicit deny in a resource-based policy");
        // the deny binds the owner's own administrators too
        S3Client ownAdmin = s3(user(TestServer.TEST_CREDENTIALS, "alice", true));
        assertThat(ownAdmin.getObjectAsBytes(r -> r.bucket("shared").key("report.txt")).asUtf8String()).isEqualTo("q3");
        denied(() -> ownAdmin.getObjectAsBytes(r -> r.bucket("shared").key("secret.txt")), "explicit deny");
        // B's user without identity policies gets nothing, even with the bucket policy naming its account
        S3Client bare = s3(user(B_ROOT, "dan", false));
        denied(() -> bare.getObjectAsBytes(r -> r.bucket("shared").key("report.txt")),
                "because no identity-based policy allows the s3:GetObject action");
    }

    @Test
    void within_an_account_a_bucket_policy_naming_the_user_is_enough() {
        S3Client owner = s3(TestServer.TEST_CREDENTIALS);
        owner.createBucket(r -> r.bucket("team"));
        S3Client dave = s3(user(TestServer.TEST_CREDENTIALS, "dave", false));
        denied(() -> dave.listObjectsV2(r -> r.bucket("team")), "because no identity-based policy allows the s3:ListBucket action");
        owner.putBucketPolicy(r -> r.bucket("team").policy(bucketPolicy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + A + ":user/dave\"},\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::team\"}")));
        assertThat(dave.listObjectsV2(r -> r.bucket("team")).contents()).isEmpty();
    }

    @Test
    void a_queue_policy_grants_another_account() {
        SqsClient owner = server.client(SqsClient::builder);
        String url = owner.createQueue(r -> r.queueName("inbox")).queueUrl();
        SqsClient erin = server.client(SqsClient::builder, user(B_ROOT, "erin", true));
        assertThatThrownBy(() -> erin.sendMessage(r -> r.queueUrl(url).messageBody("hi"))).isInstanceOf(SqsException.class)
                .satisfies(e -> assertThat(((SqsException) e).statusCode()).isEqualTo(403))
                .hasMessageContaining("because no resource-based policy allows the sqs:SendMessage action");
        String policy = bucketPolicy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + B + "\"},\"Action\":\"sqs:SendMessage\","
                + "\"Resource\":\"arn:aws:sqs:us-east-1:" + A + ":inbox\"}");
        owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy)));
        assertThat(erin.sendMessage(r -> r.queueUrl(url).messageBody("hi")).messageId()).isNotBlank();
        assertThat(erin.sendMessageBatch(r -> r.queueUrl(url).entries(e -> e.id("1").messageBody("batched"))).successful()).hasSize(1);
        assertThatThrownBy(() -> erin.receiveMessage(r -> r.queueUrl(url))).isInstanceOf(SqsException.class)
                .hasMessageContaining("sqs:ReceiveMessage");
    }

    @Test
    void assume_role_session_policies_narrow_the_role() {
        AwsCredentials bob = user(TestServer.TEST_CREDENTIALS, "bob", true);
        IamClient admin = server.client(IamClient::builder);
        admin.createRole(r -> r.roleName("ops").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + A + ":user/bob\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.attachRolePolicy(r -> r.roleName("ops").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        StsClient sts = server.client(StsClient::builder, bob);
        String onlyListBuckets = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}";
        Credentials inline = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/ops").roleSessionName("narrow")
                .policy(onlyListBuckets)).credentials();
        AwsCredentials session = TestServer.session(inline.accessKeyId(), inline.secretAccessKey(), inline.sessionToken());
        assertThat(s3(session).listBuckets().buckets()).isEmpty();
        assertThatThrownBy(() -> server.client(IamClient::builder, session).listUsers()).isInstanceOf(IamException.class)
                .hasMessageContaining("because no session policy allows the iam:ListUsers action");

        Credentials managed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/ops").roleSessionName("sqs")
                .policyArns(p -> p.arn("arn:aws:iam::aws:policy/AmazonSQSFullAccess"))).credentials();
        AwsCredentials sqsOnly = TestServer.session(managed.accessKeyId(), managed.secretAccessKey(), managed.sessionToken());
        assertThat(server.client(SqsClient::builder, sqsOnly).listQueues().queueUrls()).isEmpty();
        denied(() -> s3(sqsOnly).listBuckets(), "because no session policy allows the s3:ListAllMyBuckets action");

        Credentials unlimited = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/ops").roleSessionName("full")).credentials();
        assertThat(server.client(IamClient::builder, TestServer.session(unlimited.accessKeyId(), unlimited.secretAccessKey(),
                unlimited.sessionToken())).listUsers().users()).hasSize(1);
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/ops").roleSessionName("bad")
                .policy("{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}")))
                .isInstanceOf(StsException.class)
                .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocument"));
    }

    @Test
    void federation_tokens_have_the_intersection_of_user_and_session_policy() {
        AwsCredentials bob = user(TestServer.TEST_CREDENTIALS, "bob", false);
        IamClient admin = server.client(IamClient::builder);
        admin.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        admin.putUserPolicy(r -> r.userName("bob").policyName("fed").policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"sts:GetFederationToken\",\"Resource\":\"*\"}]}"));
        StsClient sts = server.client(StsClient::builder, bob);
        String everything = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        Credentials fed = sts.getFederationToken(r -> r.name("web").policy(everything)).credentials();
        AwsCredentials web = TestServer.session(fed.accessKeyId(), fed.secretAccessKey(), fed.sessionToken());
        assertThat(s3(web).listBuckets().buckets()).isEmpty();
        assertThatThrownBy(() -> server.client(IamClient::builder, web).listUsers()).isInstanceOf(IamException.class)
                .hasMessageContaining("User: arn:aws:sts::" + A + ":federated-user/web is not authorized to perform: iam:ListUsers "
                        + "because no identity-based policy allows");
        Credentials bare = sts.getFederationToken(r -> r.name("none")).credentials();
        denied(() -> s3(TestServer.session(bare.accessKeyId(), bare.secretAccessKey(), bare.sessionToken())).listBuckets(),
                "because no session policy allows the s3:ListAllMyBuckets action");
        assertThatThrownBy(() -> sts.getFederationToken(r -> r.name("x").policy("not json"))).isInstanceOf(StsException.class);
    }

    @Test
    void web_identity_tokens_obey_audience_and_duration_conditions() {
        IamClient admin = server.client(IamClient::builder);
        admin.enableOutboundWebIdentityFederation(r -> { });
        AwsCredentials bob = user(TestServer.TEST_CREDENTIALS, "bob", false);
        admin.putUserPolicy(r -> r.userName("bob").policyName("jwt").policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"sts:GetWebIdentityToken\",\"Resource\":\"*\",\"Condition\":{"
                + "\"ForAllValues:StringEquals\":{\"sts:IdentityTokenAudience\":\"https://api.example.com\"},"
                + "\"NumericLessThanEquals\":{\"sts:DurationSeconds\":300}}}]}"));
        StsClient sts = server.client(StsClient::builder, bob);
        assertThat(sts.getWebIdentityToken(r -> r.audience("https://api.example.com").signingAlgorithm("RS256"))
                .webIdentityToken()).contains(".");
        assertThatThrownBy(() -> sts.getWebIdentityToken(r -> r.audience("https://evil.example.com").signingAlgorithm("RS256")))
                .isInstanceOf(StsException.class).hasMessageContaining("sts:GetWebIdentityToken");
        assertThatThrownBy(() -> sts.getWebIdentityToken(r -> r.audience("https://api.example.com").signingAlgorithm("RS256")
                .durationSeconds(900))).isInstanceOf(StsException.class).hasMessageContaining("sts:GetWebIdentityToken");
    }

    @Test
    void anonymous_requests_need_a_bucket_policy_for_everyone() {
        S3Client owner = s3(TestServer.TEST_CREDENTIALS);
        owner.createBucket(r -> r.bucket("site"));
        owner.putObject(r -> r.bucket("site").key("index.html"), RequestBody.fromString("<h1>hi</h1>"));
        assertThat(server.raw("GET", "/site/index.html", null, null).statusCode()).isEqualTo(403);
        owner.putBucketPolicy(r -> r.bucket("site").policy(bucketPolicy("{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::site/*\"}")));
        var response = server.raw("GET", "/site/index.html", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("<h1>hi</h1>");
        assertThat(server.raw("PUT", "/site/x.html", "text/html", "x").statusCode()).isEqualTo(403);
    }
}
