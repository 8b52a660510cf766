package dev.terrarium.services.organizations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --enforce-iam with an organization: SCPs of every level bound member accounts, and the access role works. */
class ServiceControlPoliciesTest {
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true));
    private static Boto3 boto;

    @BeforeAll
    static void start() {
        boto = Boto3.startFor(server);
    }

    private static JsonNode ok(String op, Object... params) {
        return boto.ok("organizations", op, params);
    }

    private static String scp(String effect, String action) {
        String content = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                + "\",\"Resource\":\"*\"}]}";
        return ok("create_policy", "Content", content, "Description", effect + " " + action, "Name", effect + action.replace(":", "").replace("*", "All"),
                "Type", "SERVICE_CONTROL_POLICY").path("Policy").path("PolicySummary").path("Id").asText();
    }

    private static void s3Denied(S3Client s3, String reason) {
        assertThatThrownBy(s3::listBuckets).isInstanceOf(S3Exception.class).satisfies(e -> {
            assertThat(((S3Exception) e).statusCode()).isEqualTo(403);
            assertThat(((S3Exception) e).awsErrorDetails().errorMessage()).contains(reason);
        });
    }

    @Test
    void scps_on_root_ou_and_account_bound_member_accounts_only() {
        server.reset();
        ok("create_organization");
        String root = ok("list_roots").path("Roots").get(0).path("Id").asText();
        ok("enable_policy_type", "RootId", root, "PolicyType", "SERVICE_CONTROL_POLICY");
        String ou = ok("create_organizational_unit", "ParentId", root, "Name", "Sandbox").path("OrganizationalUnit").path("Id").asText();
        String requestId = ok("create_account", "Email", "m@example.com", "AccountName", "member")
                .path("CreateAccountStatus").path("Id").asText();
        String member = ok("describe_create_account_status", "CreateAccountRequestId", requestId)
                .path("CreateAccountStatus").path("AccountId").asText();
        ok("move_account", "AccountId", member, "SourceParentId", root, "DestinationParentId", ou);

        AwsCredentials memberRoot = AwsBasicCredentials.create(member, "test");
        IamClient memberIam = server.client(IamClient::builder, memberRoot);
        memberIam.createUser(r -> r.userName("mallory"));
        memberIam.attachUserPolicy(r -> r.userName("mallory").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        AccessKey key = memberIam.createAccessKey(r -> r.userName("mallory")).accessKey();
        AwsCredentials mallory = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        S3Client malloryS3 = server.client(() -> S3Client.builder().forcePathStyle(true), mallory);
        assertThat(malloryS3.listBuckets().buckets()).isEmpty();

        String denyS3 = scp("Deny", "s3:*");
        ok("attach_policy", "PolicyId", denyS3, "TargetId", ou);
        s3Denied(malloryS3, "User: arn:aws:iam::" + member + ":user/mallory is not authorized to perform: s3:ListAllMyBuckets "
                + "with an explicit deny in a service control policy");
        assertThat(server.client(IamClient::builder, mallory).listUsers().users()).hasSize(1);
        // the member's root is bound too; the management account is not
        s3Denied(server.client(() -> S3Client.builder().forcePathStyle(true), memberRoot), "explicit deny in a service control policy");
        ok("attach_policy", "PolicyId", denyS3, "TargetId", root);
        assertThat(server.client(() -> S3Client.builder().forcePathStyle(true)).listBuckets().buckets()).isEmpty();
        ok("detach_policy", "PolicyId", denyS3, "TargetId", root);
        ok("detach_policy", "PolicyId", denyS3, "TargetId", ou);
        assertThat(malloryS3.listBuckets().buckets()).isEmpty();

        // every level must allow: an account whose only SCP allows IAM loses S3 by implicit deny
        String iamOnly = scp("Allow", "iam:*");
        ok("attach_policy", "PolicyId", iamOnly, "TargetId", member);
        ok("detach_policy", "PolicyId", "p-FullAWSAccess", "TargetId", member);
        s3Denied(malloryS3, "because no service control policy allows the s3:ListAllMyBuckets action");
        assertThat(server.client(IamClient::builder, mallory).listUsers().users()).hasSize(1);
        ok("attach_policy", "PolicyId", "p-FullAWSAccess", "TargetId", member);
        assertThat(malloryS3.listBuckets().buckets()).isEmpty();
    }

    @Test
    void the_management_account_assumes_the_access_role_and_others_cannot() {
        server.reset();
        ok("create_organization");
        String requestId = ok("create_account", "Email", "w@example.com", "AccountName", "workload")
                .path("CreateAccountStatus").path("Id").asText();
        String member = ok("describe_create_account_status", "CreateAccountRequestId", requestId)
                .path("CreateAccountStatus").path("AccountId").asText();
        String roleArn = "arn:aws:iam::" + member + ":role/OrganizationAccountAccessRole";
        Credentials c = server.client(StsClient::builder).assumeRole(r -> r.roleArn(roleArn).roleSessionName("ops")).credentials();
        IamClient asRole = server.client(IamClient::builder, TestServer.session(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        asRole.createUser(r -> r.userName("from-management"));
        assertThat(server.client(IamClient::builder, AwsBasicCredentials.create(member, "test")).listUsers().users())
                .extracting(u -> u.userName()).containsExactly("from-management");

        // a user of the management account needs sts:AssumeRole; the trust policy names the management account
        IamClient admin = server.client(IamClient::builder);
        admin.createUser(r -> r.userName("ops"));
        AccessKey key = admin.createAccessKey(r -> r.userName("ops")).accessKey();
        StsClient asOps = server.client(StsClient::builder, AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        assertThatThrownBy(() -> asOps.assumeRole(r -> r.roleArn(roleArn).roleSessionName("xx"))).isInstanceOf(StsException.class)
                .hasMessageContaining("because no identity-based policy allows the sts:AssumeRole action");
        admin.attachUserPolicy(r -> r.userName("ops").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        assertThat(asOps.assumeRole(r -> r.roleArn(roleArn).roleSessionName("xx")).assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + member + ":assumed-role/OrganizationAccountAccessRole/xx");

        // another member account is not trusted
        String other = ok("describe_create_account_status", "CreateAccountRequestId", ok("create_account", "Email",
                "o@example.com", "AccountName", "other").path("CreateAccountStatus").path("Id").asText())
                .path("CreateAccountStatus").path("AccountId").asText();
        StsClient asOther = server.client(StsClient::builder, AwsBasicCredentials.create(other, "test"));
        assertThatThrownBy(() -> asOther.assumeRole(r -> r.roleArn(roleArn).roleSessionName("xx"))).isInstanceOf(StsException.class)
                .hasMessageContaining("because no resource-based policy allows the sts:AssumeRole action");
    }

    @Test
    void bucket_policies_can_grant_a_whole_organization_by_principal_org_id() {
        server.reset();
        String orgId = ok("create_organization").path("Organization").path("Id").asText();
        String member = ok("describe_create_account_status", "CreateAccountRequestId", ok("create_account", "Email",
                "d@example.com", "AccountName", "data").path("CreateAccountStatus").path("Id").asText())
                .path("CreateAccountStatus").path("AccountId").asText();
        S3Client owner = server.client(() -> S3Client.builder().forcePathStyle(true));
        owner.createBucket(r -> r.bucket("org-shared"));
        owner.putBucketPolicy(r -> r.bucket("org-shared").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:ListBucket\",\"s3:GetObjectVersion\"],"
                + "\"Resource\":[\"arn:aws:s3:::org-shared\",\"arn:aws:s3:::org-shared/*\"],"
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"" + orgId + "\"}}}]}"));
        owner.putObject(r -> r.bucket("org-shared").key("k"), software.amazon.awssdk.core.sync.RequestBody.fromString("v"));
        S3Client memberRoot = server.client(() -> S3Client.builder().forcePathStyle(true), AwsBasicCredentials.create(member, "test"));
        assertThat(memberRoot.listObjectsV2(r -> r.bucket("org-shared")).contents()).hasSize(1);
        // s3:GetObject (no version id) is not granted; s3:GetObjectVersion is
        assertThatThrownBy(() -> memberRoot.getObjectAsBytes(r -> r.bucket("org-shared").key("k"))).isInstanceOf(S3Exception.class)
                .hasMessageContaining("s3:GetObject on resource: arn:aws:s3:::org-shared/k");
        assertThat(memberRoot.getObjectAsBytes(r -> r.bucket("org-shared").key("k").versionId("null")).asUtf8String()).isEqualTo("v");
        ok("remove_account_from_organization", "AccountId", member);
        assertThatThrownBy(() -> memberRoot.listObjectsV2(r -> r.bucket("org-shared"))).isInstanceOf(S3Exception.class)
                .hasMessageContaining("is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::org-shared "
                        + "because no resource-based policy allows the s3:ListBucket action");
    }
}
