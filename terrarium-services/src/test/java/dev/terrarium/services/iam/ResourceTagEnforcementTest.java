package dev.terrarium.services.iam;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAbacStatus;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import static dev.terrarium.services.iam.Denials.denied;
import static dev.terrarium.services.iam.IamTestUsers.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * --enforce-iam, through the SDK with keys created by IAM and roles assumed through STS: the tags of the resource a
 * request acts on. S3 objects' tags are s3:ExistingObjectTag/..., S3 buckets' tags are aws:ResourceTag/... once ABAC
 * is enabled on the bucket, IAM roles', users' and policies' tags are aws:ResourceTag/... and iam:ResourceTag/...
 * (for iam:* actions on them and for sts:AssumeRole of a role). And the tags a request gives: an object's are
 * s3:RequestObjectTag/... and s3:RequestObjectTagKeys, a new bucket's aws:RequestTag/... and aws:TagKeys.
 */
class ResourceTagEnforcementTest {
    private static final String A = "000000000000";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true)).resetBeforeEach();

    private static String policy(String... statements) {
        return ("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}").replace('\'', '"');
    }

    private static AwsCredentials user(String name, String inlinePolicy) {
        return newUser(server.client(IamClient::builder), name, inlinePolicy);
    }

    private static S3Client s3(AwsCredentials c) {
        return server.client(() -> S3Client.builder().forcePathStyle(true), c);
    }

    private static String read(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    /** Bucket "docs" with public.txt (classification=public), secret.txt (classification=secret) and plain.txt (no tags). */
    private static S3Client docs() {
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        root.createBucket(r -> r.bucket("docs"));
        root.putObject(r -> r.bucket("docs").key("public.txt").tagging("classification=public"), RequestBody.fromString("p"));
        root.putObject(r -> r.bucket("docs").key("secret.txt").tagging("classification=secret"), RequestBody.fromString("s"));
        root.putObject(r -> r.bucket("docs").key("plain.txt"), RequestBody.fromString("n"));
        return root;
    }

    @Test
    void identity_policy_allows_get_object_only_for_objects_with_the_tag() {
        S3Client root = docs();
        S3Client reader = s3(user("reader", policy(
                "{'Effect':'Allow','Action':['s3:GetObject','s3:GetObjectTagging'],'Resource':'arn:aws:s3:::docs/*',"
                        + "'Condition':{'StringEquals':{'s3:ExistingObjectTag/classification':'public'}}}")));
        assertThat(read(reader, "docs", "public.txt")).isEqualTo("p");
        assertThat(reader.getObjectTagging(r -> r.bucket("docs").key("public.txt")).tagSet()).hasSize(1);
        denied(() -> read(reader, "docs", "secret.txt"),
                "user/reader is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::docs/secret.txt",
                "because no identity-based policy allows");
        denied(() -> read(reader, "docs", "plain.txt"), "s3:GetObject");
        denied(() -> reader.getObjectTagging(r -> r.bucket("docs").key("secret.txt")), "s3:GetObjectTagging");
        // the tags are read at each request: retagging the object changes the decision
        root.putObjectTagging(r -> r.bucket("docs").key("secret.txt").tagging(t -> t.tagSet(s -> s.key("classification").value("public"))));
        assertThat(read(reader, "docs", "secret.txt")).isEqualTo("s");
        root.deleteObjectTagging(r -> r.bucket("docs").key("public.txt"));
        denied(() -> read(reader, "docs", "public.txt"), "s3:GetObject");
    }

    @Test
    void explicit_deny_on_an_object_tag_wins_over_an_allow() {
        docs();
        S3Client user = s3(user("most", policy(
                "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
                "{'Effect':'Deny','Action':'s3:GetObject','Resource':'*','Condition':{'StringEquals':{'s3:ExistingObjectTag/classification':'secret'}}}")));
        assertThat(read(user, "docs", "public.txt")).isEqualTo("p");
        assertThat(read(user, "docs", "plain.txt")).isEqualTo("n");
        denied(() -> read(user, "docs", "secret.txt"), "s3:GetObject", "with an explicit deny in an identity-based policy");
        // HeadObject is authorized as s3:GetObject too (a HEAD answer has no body: the status tells)
        assertThat(user.headObject(r -> r.bucket("docs").key("public.txt")).contentLength()).isEqualTo(1);
        assertThatThrownBy(() -> user.headObject(r -> r.bucket("docs").key("secret.txt")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void bucket_policy_grants_reading_objects_by_their_tag() {
        S3Client root = docs();
        String readerArn = "arn:aws:iam::" + A + ":user/guest";
        S3Client guest = s3(user("guest", null));
        root.putBucketPolicy(r -> r.bucket("docs").policy(policy(
                "{'Effect':'Allow','Principal':{'AWS':'" + readerArn + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::docs/*',"
                        + "'Condition':{'StringEquals':{'s3:ExistingObjectTag/classification':'public'}}}")));
        assertThat(read(guest, "docs", "public.txt")).isEqualTo("p");
        denied(() -> read(guest, "docs", "secret.txt"), "user/guest is not authorized to perform: s3:GetObject");
    }

    @Test
    void a_version_is_judged_by_its_own_tags() {
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        root.createBucket(r -> r.bucket("history"));
        root.putBucketVersioning(r -> r.bucket("history").versioningConfiguration(v -> v.status("Enabled")));
        String v1 = root.putObject(r -> r.bucket("history").key("k").tagging("classification=public"), RequestBody.fromString("one")).versionId();
        String v2 = root.putObject(r -> r.bucket("history").key("k").tagging("classification=secret"), RequestBody.fromString("two")).versionId();
        S3Client reader = s3(user("archivist", policy(
                "{'Effect':'Allow','Action':['s3:GetObject','s3:GetObjectVersion'],'Resource':'arn:aws:s3:::history/*',"
                        + "'Condition':{'StringEquals':{'s3:ExistingObjectTag/classification':'public'}}}")));
        assertThat(reader.getObjectAsBytes(r -> r.bucket("history").key("k").versionId(v1)).asUtf8String()).isEqualTo("one");
        denied(() -> reader.getObjectAsBytes(r -> r.bucket("history").key("k").versionId(v2)), "s3:GetObjectVersion");
        denied(() -> read(reader, "history", "k"), "s3:GetObject");
    }

    @Test
    void existing_object_tags_do_not_govern_overwriting_an_object() {
        docs();
        // AWS: s3:ExistingObjectTag is not supported for PutObject, so this condition never holds for it
        S3Client writer = s3(user("writer", policy(
                "{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::docs/*',"
                        + "'Condition':{'StringEquals':{'s3:ExistingObjectTag/classification':'public'}}}")));
        denied(() -> writer.putObject(r -> r.bucket("docs").key("public.txt"), RequestBody.fromString("x")), "s3:PutObject");
        S3Client careless = s3(user("careless", policy(
                "{'Effect':'Allow','Action':'s3:PutObject','Resource':'arn:aws:s3:::docs/*'}",
                "{'Effect':'Deny','Action':'s3:PutObject','Resource':'*','Condition':{'StringEquals':{'s3:ExistingObjectTag/classification':'secret'}}}")));
        careless.putObject(r -> r.bucket("docs").key("secret.txt"), RequestBody.fromString("overwritten"));
        assertThat(read(s3(TestServer.TEST_CREDENTIALS), "docs", "secret.txt")).isEqualTo("overwritten");
    }

    @Test
    void tags_a_request_gives_an_object_are_its_request_object_tags() {
        s3(TestServer.TEST_CREDENTIALS).createBucket(r -> r.bucket("inbox"));
        S3Client writer = s3(user("tagger", policy(
                "{'Effect':'Allow','Action':['s3:PutObject','s3:PutObjectTagging'],'Resource':'arn:aws:s3:::inbox/*',"
                        + "'Condition':{'StringEquals':{'s3:RequestObjectTag/classification':'public'},"
                        + "'ForAllValues:StringEquals':{'s3:RequestObjectTagKeys':['classification','owner']}}}")));
        writer.putObject(r -> r.bucket("inbox").key("a").tagging("classification=public&owner=me"), RequestBody.fromString("a"));
        denied(() -> writer.putObject(r -> r.bucket("inbox").key("b").tagging("classification=secret"), RequestBody.fromString("b")),
                "user/tagger is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::inbox/b");
        denied(() -> writer.putObject(r -> r.bucket("inbox").key("c"), RequestBody.fromString("c")), "s3:PutObject");
        denied(() -> writer.putObject(r -> r.bucket("inbox").key("d").tagging("classification=public&cost=1"), RequestBody.fromString("d")),
                "s3:PutObject");
        writer.putObjectTagging(r -> r.bucket("inbox").key("a").tagging(t -> t.tagSet(s -> s.key("classification").value("public"))));
        denied(() -> writer.putObjectTagging(r -> r.bucket("inbox").key("a").tagging(t -> t.tagSet(s -> s.key("classification").value("secret")))),
                "s3:PutObjectTagging");
        assertThat(s3(TestServer.TEST_CREDENTIALS).getObjectTagging(r -> r.bucket("inbox").key("a")).tagSet())
                .singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("public"));
    }

    @Test
    void tags_given_at_bucket_creation_are_request_tags() {
        S3Client creator = s3(user("creator", policy(
                "{'Effect':'Allow','Action':'s3:CreateBucket','Resource':'*',"
                        + "'Condition':{'StringEquals':{'aws:RequestTag/team':'blue'},'ForAllValues:StringEquals':{'aws:TagKeys':['team']}}}")));
        creator.createBucket(r -> r.bucket("tagged-blue").createBucketConfiguration(c -> c.tags(t -> t.key("team").value("blue"))));
        denied(() -> creator.createBucket(r -> r.bucket("tagged-red").createBucketConfiguration(c -> c.tags(t -> t.key("team").value("red")))),
                "user/creator is not authorized to perform: s3:CreateBucket");
        denied(() -> creator.createBucket(r -> r.bucket("untagged")), "s3:CreateBucket");
        denied(() -> creator.createBucket(r -> r.bucket("tagged-more").createBucketConfiguration(c -> c.tags(
                t -> t.key("team").value("blue"), t -> t.key("cost").value("1")))), "s3:CreateBucket");
        assertThat(s3(TestServer.TEST_CREDENTIALS).listBuckets().buckets()).extracting(b -> b.name()).containsExactly("tagged-blue");
    }

    @Test
    void bucket_tags_are_resource_tags_once_abac_is_enabled() {
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        for (String team : new String[] {"blue", "red"}) {
            root.createBucket(r -> r.bucket(team + "-bucket"));
            root.putBucketTagging(r -> r.bucket(team + "-bucket").tagging(t -> t.tagSet(s -> s.key("team").value(team))));
        }
        S3Client blue = s3(user("blue", policy(
                "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/team':'blue'}}}")));
        S3Client notRed = s3(user("notred", policy(
                "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'*'}",
                "{'Effect':'Deny','Action':'s3:ListBucket','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/team':'red'}}}")));
        // ABAC is disabled by default: bucket tags serve cost allocation only
        denied(() -> blue.listObjectsV2(r -> r.bucket("blue-bucket")), "s3:ListBucket", "because no identity-based policy allows");
        assertThat(notRed.listObjectsV2(r -> r.bucket("red-bucket")).keyCount()).isZero();
        for (String bucket : new String[] {"blue-bucket", "red-bucket"}) {
            root.putBucketAbac(r -> r.bucket(bucket).abacStatus(a -> a.status(BucketAbacStatus.ENABLED)));
        }
        assertThat(blue.listObjectsV2(r -> r.bucket("blue-bucket")).keyCount()).isZero();
        denied(() -> blue.listObjectsV2(r -> r.bucket("red-bucket")),
                "user/blue is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::red-bucket");
        assertThat(notRed.listObjectsV2(r -> r.bucket("blue-bucket")).keyCount()).isZero();
        denied(() -> notRed.listObjectsV2(r -> r.bucket("red-bucket")), "s3:ListBucket", "with an explicit deny");
        root.putBucketAbac(r -> r.bucket("red-bucket").abacStatus(a -> a.status(BucketAbacStatus.DISABLED)));
        assertThat(notRed.listObjectsV2(r -> r.bucket("red-bucket")).keyCount()).isZero();
    }

    @Test
    void tags_given_at_bucket_creation_are_its_tags() {
        S3Client root = s3(TestServer.TEST_CREDENTIALS);
        root.createBucket(r -> r.bucket("born-blue").createBucketConfiguration(c -> c.tags(t -> t.key("team").value("blue"))));
        root.createBucket(r -> r.bucket("born-red").createBucketConfiguration(c -> c.tags(t -> t.key("team").value("red"))));
        assertThat(root.getBucketTagging(r -> r.bucket("born-blue")).tagSet())
                .singleElement().satisfies(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("team=blue"));
        S3Client blue = s3(user("blue", policy(
                "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/team':'blue'}}}")));
        root.putBucketAbac(r -> r.bucket("born-blue").abacStatus(a -> a.status(BucketAbacStatus.ENABLED)));
        root.putBucketAbac(r -> r.bucket("born-red").abacStatus(a -> a.status(BucketAbacStatus.ENABLED)));
        assertThat(blue.listObjectsV2(r -> r.bucket("born-blue")).keyCount()).isZero();
        denied(() -> blue.listObjectsV2(r -> r.bucket("born-red")), "s3:ListBucket");
        // the same 50-tag and duplicate-key rules as PutBucketTagging
        assertThatThrownBy(() -> root.createBucket(r -> r.bucket("twice").createBucketConfiguration(c -> c.tags(
                t -> t.key("k").value("1"), t -> t.key("k").value("2")))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidTag"));
        assertThat(root.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("twice");
    }

    @Test
    void a_role_session_manages_only_roles_and_users_of_its_own_team() {
        IamClient iam = server.client(IamClient::builder);
        String trust = policy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + A + ":root'},'Action':'sts:AssumeRole'}");
        iam.createRole(r -> r.roleName("operator").assumeRolePolicyDocument(trust).tags(tag("team", "blue")));
        iam.putRolePolicy(r -> r.roleName("operator").policyName("own-team").policyDocument(policy(
                "{'Effect':'Allow','Action':['iam:GetRole','iam:UpdateRoleDescription','iam:GetUser'],'Resource':'*',"
                        + "'Condition':{'StringEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}}",
                "{'Effect':'Allow','Action':'iam:ListUserTags','Resource':'*','Condition':{'StringEquals':{'iam:ResourceTag/team':'blue'}}}")));
        iam.createRole(r -> r.roleName("blue-app").assumeRolePolicyDocument(trust).tags(tag("team", "blue")));
        iam.createRole(r -> r.roleName("red-app").assumeRolePolicyDocument(trust).tags(tag("team", "red")));
        iam.createUser(r -> r.userName("blue-dev").tags(tag("team", "blue")));
        iam.createUser(r -> r.userName("red-dev").tags(tag("team", "red")));
        iam.createUser(r -> r.userName("nobody"));
        Credentials c = server.client(StsClient::builder).assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/operator")
                .roleSessionName("op")).credentials();
        IamClient operator = server.client(IamClient::builder, TerrariumExtension.session(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        assertThat(operator.getRole(r -> r.roleName("blue-app")).role().roleName()).isEqualTo("blue-app");
        operator.updateRoleDescription(r -> r.roleName("blue-app").description("managed by blue"));
        denied(() -> operator.getRole(r -> r.roleName("red-app")),
                "assumed-role/operator/op is not authorized to perform: iam:GetRole on resource: arn:aws:iam::" + A + ":role/red-app");
        denied(() -> operator.updateRoleDescription(r -> r.roleName("red-app").description("x")), "iam:UpdateRoleDescription");
        assertThat(operator.getUser(r -> r.userName("blue-dev")).user().userName()).isEqualTo("blue-dev");
        assertThat(operator.listUserTags(r -> r.userName("blue-dev")).tags()).hasSize(1);
        denied(() -> operator.getUser(r -> r.userName("red-dev")), "iam:GetUser");
        denied(() -> operator.listUserTags(r -> r.userName("red-dev")), "iam:ListUserTags");
        denied(() -> operator.getUser(r -> r.userName("nobody")), "iam:GetUser");
        // a role that was retagged is judged by its new tags
        iam.tagRole(r -> r.roleName("red-app").tags(tag("team", "blue")));
        assertThat(operator.getRole(r -> r.roleName("red-app")).role().roleName()).isEqualTo("red-app");
    }

    @Test
    void explicit_deny_protects_tagged_roles_and_policies() {
        IamClient admin = server.client(IamClient::builder, user("admin", policy(
                "{'Effect':'Allow','Action':'iam:*','Resource':'*'}",
                "{'Effect':'Deny','Action':['iam:DeleteRole','iam:DeletePolicy'],'Resource':'*','Condition':{'StringEquals':{'iam:ResourceTag/protected':'true'}}}")));
        IamClient iam = server.client(IamClient::builder);
        String trust = policy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + A + ":root'},'Action':'sts:AssumeRole'}");
        iam.createRole(r -> r.roleName("keep").assumeRolePolicyDocument(trust).tags(tag("protected", "true")));
        iam.createRole(r -> r.roleName("scratch").assumeRolePolicyDocument(trust));
        String keptPolicy = iam.createPolicy(r -> r.policyName("kept").tags(tag("protected", "true")).policyDocument(policy(
                "{'Effect':'Allow','Action':'s3:ListAllMyBuckets','Resource':'*'}"))).policy().arn();
        admin.deleteRole(r -> r.roleName("scratch"));
        denied(() -> admin.deleteRole(r -> r.roleName("keep")), "iam:DeleteRole", "with an explicit deny in an identity-based policy");
        denied(() -> admin.deletePolicy(r -> r.policyArn(keptPolicy)), "iam:DeletePolicy", "with an explicit deny");
        assertThat(iam.getRole(r -> r.roleName("keep")).role().roleName()).isEqualTo("keep");
        // untagging lifts the protection
        admin.untagRole(r -> r.roleName("keep").tagKeys("protected"));
        admin.deleteRole(r -> r.roleName("keep"));
    }

    @Test
    void assume_role_is_allowed_only_for_roles_tagged_with_the_callers_project() {
        IamClient iam = server.client(IamClient::builder);
        String trust = policy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + A + ":root'},'Action':'sts:AssumeRole'}");
        iam.createRole(r -> r.roleName("alpha-access").assumeRolePolicyDocument(trust).tags(tag("access-project", "alpha")));
        iam.createRole(r -> r.roleName("beta-access").assumeRolePolicyDocument(trust).tags(tag("access-project", "beta")));
        AwsCredentials dev = user("dev", policy(
                "{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'arn:aws:iam::" + A + ":role/*-access',"
                        + "'Condition':{'StringEquals':{'iam:ResourceTag/access-project':'${aws:PrincipalTag/access-project}'}}}"));
        iam.tagUser(r -> r.userName("dev").tags(tag("access-project", "alpha")));
        AwsCredentials ops = user("ops", policy(
                "{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'*'}",
                "{'Effect':'Deny','Action':'sts:AssumeRole','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/access-project':'alpha'}}}"));
        StsClient devSts = server.client(StsClient::builder, dev);
        StsClient opsSts = server.client(StsClient::builder, ops);
        assertThat(devSts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/alpha-access").roleSessionName("dev"))
                .assumedRoleUser().arn()).endsWith(":assumed-role/alpha-access/dev");
        denied(() -> devSts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/beta-access").roleSessionName("dev")),
                "user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + A + ":role/beta-access");
        assertThat(opsSts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/beta-access").roleSessionName("ops"))
                .credentials().accessKeyId()).isNotBlank();
        denied(() -> opsSts.assumeRole(r -> r.roleArn("arn:aws:iam::" + A + ":role/alpha-access").roleSessionName("ops")),
                "sts:AssumeRole", "with an explicit deny");
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
