package dev.terrarium.services.organizations;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.services.iam.IamTestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessDetail;
import software.amazon.awssdk.services.iam.model.GetOrganizationsAccessReportResponse;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRootResponse;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.terrarium.core.testing.AwsErrors.assertFails;
import static dev.terrarium.services.iam.IamTestUsers.newUser;

/**
 * --enforce-iam with an organization, through the SDK: SCPs do not bind service-linked roles; AssumeRoot only from the
 * management account or IAM's delegated administrator, scoped by AWS's root-task policies; the organizations access
 * report; CreateGovCloudAccount's refusal.
 */
class OrganizationAccessTest {
    private static final String MANAGEMENT = "000000000000";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true));

    private static Boto3 boto;

    @BeforeAll
    static void start() {
        boto = Boto3.startFor(server);
    }

    /** An Organizations call through boto3 (the SDK for Java's Organizations client is not on the test classpath). */
    private static JsonNode orgs(String op, Object... params) {
        return boto.ok("organizations", op, params);
    }

    /** The organization with all features and SCPs enabled; returns {organization id, root id}. */
    private static String[] organization() {
        String orgId = orgs("create_organization", "FeatureSet", "ALL").path("Organization").path("Id").asText();
        String root = orgs("list_roots").path("Roots").get(0).path("Id").asText();
        orgs("enable_policy_type", "RootId", root, "PolicyType", "SERVICE_CONTROL_POLICY");
        return new String[]{orgId, root};
    }

    private static String newAccount(String name) {
        String requestId = orgs("create_account", "Email", name + "@example.com", "AccountName", name)
                .path("CreateAccountStatus").path("Id").asText();
        return orgs("describe_create_account_status", "CreateAccountRequestId", requestId).path("CreateAccountStatus")
                .path("AccountId").asText();
    }

    private static String scp(String name, String effect, String action) {
        return orgs("create_policy", "Name", name, "Description", name, "Type", "SERVICE_CONTROL_POLICY", "Content",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                        + "\",\"Resource\":\"*\"}]}").path("Policy").path("PolicySummary").path("Id").asText();
    }

    private static AwsCredentials admin(AwsCredentials root, String name) {
        return newUser(server.client(IamClient::builder, root), name, null, IamTestUsers.ADMINISTRATOR_ACCESS);
    }

    /** Credentials of a session of a role, as the service (or whoever the trust policy names) would get them. */
    private static AwsCredentials roleSession(String account, String roleName, String keyId) {
        String token = "token-" + keyId;
        server.server().credentials().register(new Credential(keyId, "secret-" + keyId, token, new Identity(account, keyId,
                "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/svc", "AROAEXAMPLE:svc", Identity.Kind.ASSUMED_ROLE, token), null));
        return TerrariumExtension.session(keyId, "secret-" + keyId, token);
    }

    @Test
    void scps_do_not_affect_service_linked_roles() {
        server.reset();
        organization();
        String member = newAccount("workload");
        orgs("attach_policy", "PolicyId", scp("DenyS3", "Deny", "s3:*"), "TargetId", member);
        IamClient memberIam = server.client(IamClient::builder, AwsBasicCredentials.create(member, "test"));
        String slr = memberIam.createServiceLinkedRole(r -> r.awsServiceName("elasticbeanstalk.amazonaws.com")).role().roleName();
        memberIam.createRole(r -> r.roleName("app").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        memberIam.attachRolePolicy(r -> r.roleName("app").policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));

        S3Client asService = server.client(() -> S3Client.builder().forcePathStyle(true), roleSession(member, slr, "ASIASLRSESSION000001"));
        S3Client asApp = server.client(() -> S3Client.builder().forcePathStyle(true), roleSession(member, "app", "ASIAAPPSESSION000001"));
        // the ordinary role is stopped by the SCP; the service-linked role (whose permissions only AWS may set, none
        // here) is stopped by its own identity policies alone: the SCP's explicit deny does not reach it
        assertFails(asApp::listBuckets, 403, "AccessDenied", "assumed-role/app/svc is not authorized to perform: s3:ListAllMyBuckets "
                + "with an explicit deny in a service control policy");
        assertFails(asService::listBuckets, 403, "AccessDenied", "assumed-role/" + slr + "/svc is not authorized to perform: "
                + "s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action");
        assertFails(() -> memberIam.attachRolePolicy(r -> r.roleName(slr).policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")),
                400, "UnmodifiableEntity", "this role is only modifiable by AWS");
        // what the SCP leaves alone, the service-linked role may do as far as its (empty) policies go; the app role too
        server.client(IamClient::builder, AwsBasicCredentials.create(member, "test")).putRolePolicy(r -> r.roleName("app")
                .policyName("list").policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"sqs:ListQueues\",\"Resource\":\"*\"}]}"));
        assertThat(server.client(SqsClient::builder, roleSession(member, "app", "ASIAAPPSESSION000002")).listQueues().queueUrls()).isEmpty();
    }

    @Test
    void assume_root_only_from_the_management_account_or_delegated_admin_with_a_root_task_policy() {
        server.reset();
        organization();
        String member = newAccount("member");
        String security = newAccount("security");
        AwsCredentials memberRoot = AwsBasicCredentials.create(member, "test");
        S3Client memberS3 = server.client(() -> S3Client.builder().forcePathStyle(true), memberRoot);
        memberS3.createBucket(r -> r.bucket("locked"));
        memberS3.putBucketPolicy(r -> r.bucket("locked").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + member + ":root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::locked/*\"}]}"));

        String unlock = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy";
        StsClient rootSts = server.client(StsClient::builder);
        assertFails(() -> rootSts.assumeRoot(r -> r.targetPrincipal(member).taskPolicyArn(p -> p.arn(unlock))), 403, "AccessDenied",
                "Root user credentials cannot call AssumeRoot");
        StsClient adminSts = server.client(StsClient::builder, admin(dev.terrarium.core.testing.TestServer.TEST_CREDENTIALS, "admin"));
        assertFails(() -> adminSts.assumeRoot(r -> r.targetPrincipal(member).taskPolicyArn(p -> p.arn(unlock))), 403, "AccessDenied",
                "Centralized root access (root sessions) is not enabled");
        orgs("enable_aws_service_access", "ServicePrincipal", "iam.amazonaws.com");
        server.client(IamClient::builder).enableOrganizationsRootSessions(r -> { });
        assertFails(() -> adminSts.assumeRoot(r -> r.targetPrincipal(member).taskPolicyArn(p -> p.arn("arn:aws:iam::aws:policy/AdministratorAccess"))),
                400, "ValidationError", "TaskPolicyArn arn:aws:iam::aws:policy/AdministratorAccess is not valid");
        assertFails(() -> adminSts.assumeRoot(r -> r.targetPrincipal(MANAGEMENT).taskPolicyArn(p -> p.arn(unlock))), 403, "AccessDenied",
                "is not a member account of organization");
        assertFails(() -> adminSts.assumeRoot(r -> r.targetPrincipal("123456789012").taskPolicyArn(p -> p.arn(unlock))), 403, "AccessDenied",
                "is not a member account of organization");
        // another member account's administrator may not
        StsClient securitySts = server.client(StsClient::builder, admin(AwsBasicCredentials.create(security, "test"), "sec"));
        assertFails(() -> securitySts.assumeRoot(r -> r.targetPrincipal(member).taskPolicyArn(p -> p.arn(unlock))), 403, "AccessDenied",
                "only be called from the management account");

        AssumeRootResponse session = adminSts.assumeRoot(r -> r.targetPrincipal(member).taskPolicyArn(p -> p.arn(unlock)).durationSeconds(900));
        S3Client asRoot = server.client(() -> S3Client.builder().forcePathStyle(true), TerrariumExtension.session(
                session.credentials().accessKeyId(), session.credentials().secretAccessKey(), session.credentials().sessionToken()));
        assertThat(asRoot.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("locked");
        asRoot.deleteBucketPolicy(r -> r.bucket("locked"));
        assertFails(() -> asRoot.createBucket(r -> r.bucket("other")), 403, "AccessDenied",
                "because no session policy allows the s3:CreateBucket action");

        // once IAM's delegated administrator, the security account may
        orgs("register_delegated_administrator", "AccountId", security, "ServicePrincipal", "iam.amazonaws.com");
        assertThat(securitySts.assumeRoot(r -> r.targetPrincipal(member).taskPolicyArn(p -> p.arn(
                "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"))).credentials().accessKeyId()).startsWith("ASIA");
    }

    @Test
    void the_organizations_access_report_shows_what_scps_allow_and_when_accounts_last_used_it() {
        server.reset();
        String[] o = organization();
        String orgId = o[0];
        String root = o[1];
        String member = newAccount("reporting");
        String denyDynamo = scp("DenyDynamoDB", "Deny", "dynamodb:*");
        orgs("attach_policy", "PolicyId", denyDynamo, "TargetId", member);
        AwsCredentials user = admin(AwsBasicCredentials.create(member, "test"), "worker");
        server.client(() -> S3Client.builder().forcePathStyle(true), user).listBuckets();
        server.client(SqsClient::builder, user).listQueues();

        IamClient iam = server.client(IamClient::builder);
        String path = orgId + "/" + root + "/" + member;
        String job = iam.generateOrganizationsAccessReport(r -> r.entityPath(path)).jobId();
        GetOrganizationsAccessReportResponse report = iam.getOrganizationsAccessReport(r -> r.jobId(job).maxItems(1000));
        assertThat(report.jobStatusAsString()).isEqualTo("COMPLETED");
        Map<String, AccessDetail> byService = report.accessDetails().stream()
                .collect(Collectors.toMap(AccessDetail::serviceNamespace, d -> d));
        assertThat(byService).containsKeys("s3", "sqs", "iam").doesNotContainKey("dynamodb");
        assertThat(byService.get("s3").lastAuthenticatedTime()).isNotNull();
        assertThat(byService.get("s3").entityPath()).isEqualTo(path);
        assertThat(byService.get("s3").totalAuthenticatedEntities()).isEqualTo(1);
        assertThat(byService.get("iam").lastAuthenticatedTime()).isNull();
        assertThat(report.numberOfServicesAccessible()).isEqualTo(report.accessDetails().size());
        assertThat(report.numberOfServicesNotAccessed()).isEqualTo(report.accessDetails().size() - 2);
        // sorted by last use, most recent first
        assertThat(iam.getOrganizationsAccessReport(r -> r.jobId(job).sortKey("LAST_AUTHENTICATED_TIME_DESCENDING").maxItems(2))
                .accessDetails()).extracting(AccessDetail::serviceNamespace).containsExactlyInAnyOrder("s3", "sqs");
        // the report of one SCP: a deny-only policy allows nothing
        String onlyDeny = iam.generateOrganizationsAccessReport(r -> r.entityPath(orgId + "/" + root).organizationsPolicyId(denyDynamo)).jobId();
        assertThat(iam.getOrganizationsAccessReport(r -> r.jobId(onlyDeny)).numberOfServicesAccessible()).isZero();

        assertFails(() -> iam.generateOrganizationsAccessReport(r -> r.entityPath(orgId + "/" + root + "/ou-zzzz-zzzzzzzz")), 400,
                "InvalidInput", "does not name an entity of organization " + orgId);
        assertFails(() -> server.client(IamClient::builder, AwsBasicCredentials.create(member, "test"))
                .generateOrganizationsAccessReport(r -> r.entityPath(path)), 400, "InvalidInput", "only be generated from the management account");
        assertFails(() -> iam.getOrganizationsAccessReport(r -> r.jobId("00000000-0000-0000-0000-000000000000")), 404, "NoSuchEntity", "does not exist");
    }

    @Test
    void govcloud_accounts_need_a_govcloud_enabled_management_account() {
        server.reset();
        organization();
        JsonNode r = boto.call("organizations", "create_gov_cloud_account", "Email", "gov@example.com", "AccountName", "gov");
        assertThat(r.path("Error").path("Code").asText()).isEqualTo("ConstraintViolationException");
        assertThat(r.path("status").asInt()).isEqualTo(400);
        assertThat(r.path("Reason").asText()).isEqualTo("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED");
        assertThat(orgs("list_accounts").path("Accounts")).hasSize(1);
    }

    @Test
    void responsibility_transfers_follow_their_handshake() {
        server.reset();
        organization();
        String other = "444455556666";
        server.server().credentials().register(new Credential(other, "test", null, Identity.root(other, other), null));
        String[] otherRoot = {other, "test", null};
        assertThat(boto.callAs(otherRoot, "organizations", "create_organization", "FeatureSet", "ALL").has("Error")).isFalse();

        JsonNode invite = orgs("invite_organization_to_transfer_responsibility", "Type", "BILLING",
                "Target", Map.of("Id", other, "Type", "ACCOUNT"), "StartTimestamp", "2026-12-01T00:00:00Z", "SourceName", "billing to us");
        assertThat(invite.path("Handshake").path("Action").asText()).isEqualTo("TRANSFER_RESPONSIBILITY");
        String handshake = invite.path("Handshake").path("Id").asText();
        JsonNode inbound = orgs("list_inbound_responsibility_transfers", "Type", "BILLING").path("ResponsibilityTransfers");
        assertThat(inbound).hasSize(1);
        String id = inbound.get(0).path("Id").asText();
        assertThat(inbound.get(0).path("Status").asText()).isEqualTo("REQUESTED");
        assertThat(inbound.get(0).path("ActiveHandshakeId").asText()).isEqualTo(handshake);
        assertThat(inbound.get(0).path("Arn").asText()).contains(":transfer/").contains("/billing/inbound/" + id);
        JsonNode duplicate = boto.call("organizations", "invite_organization_to_transfer_responsibility", "Type", "BILLING",
                "Target", Map.of("Id", other, "Type", "ACCOUNT"), "StartTimestamp", "2026-12-01T00:00:00Z", "SourceName", "again");
        assertThat(duplicate.path("Error").path("Code").asText()).isEqualTo("DuplicateHandshakeException");

        assertThat(boto.callAs(otherRoot, "organizations", "accept_handshake", "HandshakeId", handshake)
                .path("Handshake").path("State").asText()).isEqualTo("ACCEPTED");
        JsonNode outbound = boto.callAs(otherRoot, "organizations", "list_outbound_responsibility_transfers", "Type", "BILLING")
                .path("ResponsibilityTransfers");
        assertThat(outbound).hasSize(1);
        assertThat(outbound.get(0).path("Status").asText()).isEqualTo("ACCEPTED");
        assertThat(outbound.get(0).path("Source").path("ManagementAccountId").asText()).isEqualTo(MANAGEMENT);
        assertThat(outbound.get(0).path("Target").path("ManagementAccountId").asText()).isEqualTo(other);
        assertThat(orgs("update_responsibility_transfer", "Id", id, "Name", "renamed").path("ResponsibilityTransfer")
                .path("Name").asText()).isEqualTo("renamed");
        assertThat(orgs("terminate_responsibility_transfer", "Id", id).path("ResponsibilityTransfer").path("Status").asText())
                .isEqualTo("WITHDRAWN");
        JsonNode again = boto.call("organizations", "terminate_responsibility_transfer", "Id", id);
        assertThat(again.path("Error").path("Code").asText()).isEqualTo("ResponsibilityTransferAlreadyInStatusException");

        // a declined transfer cannot be terminated; strangers do not see transfers
        String second = orgs("invite_organization_to_transfer_responsibility", "Type", "BILLING",
                "Target", Map.of("Id", other, "Type", "ACCOUNT"), "StartTimestamp", "2027-01-01T00:00:00Z", "SourceName", "second")
                .path("Handshake").path("Id").asText();
        boto.callAs(otherRoot, "organizations", "decline_handshake", "HandshakeId", second);
        String declined = orgs("list_inbound_responsibility_transfers", "Type", "BILLING").path("ResponsibilityTransfers").findValues("Id")
                .stream().map(JsonNode::asText).filter(x -> !x.equals(id)).findFirst().orElseThrow();
        assertThat(orgs("describe_responsibility_transfer", "Id", declined).path("ResponsibilityTransfer").path("Status").asText())
                .isEqualTo("DECLINED");
        assertThat(boto.call("organizations", "terminate_responsibility_transfer", "Id", declined).path("Error").path("Code").asText())
                .isEqualTo("InvalidResponsibilityTransferTransitionException");
        String stranger = newAccount("stranger");
        JsonNode hidden = boto.callAs(new String[]{stranger, "test", null}, "organizations", "describe_responsibility_transfer", "Id", id);
        assertThat(hidden.path("Error").path("Code").asText()).isEqualTo("ResponsibilityTransferNotFoundException");
    }
}
