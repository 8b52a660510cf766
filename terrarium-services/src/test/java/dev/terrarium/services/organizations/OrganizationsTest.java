package dev.terrarium.services.organizations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Organizations through boto3 (awsJson 1.1): organization, OUs, accounts, policies, delegated admins, tags, errors. */
class OrganizationsTest {
    private static final String SCP_DENY_S3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension().resetBeforeEach();
    private static Boto3 boto;

    @BeforeAll
    static void start() {
        boto = Boto3.startFor(server);
    }

    private static JsonNode ok(String op, Object... params) {
        return boto.ok("organizations", op, params);
    }

    private static void fails(String code, int status, String op, Object... params) {
        JsonNode r = boto.call("organizations", op, params);
        assertThat(r.path("Error").path("Code").asText()).as(op + " -> " + r).isEqualTo(code);
        assertThat(r.path("status").asInt()).isEqualTo(status);
    }

    private static String rootId() {
        return ok("list_roots").path("Roots").get(0).path("Id").asText();
    }

    private static String createAccount(String name) {
        JsonNode status = ok("create_account", "Email", name + "@example.com", "AccountName", name).path("CreateAccountStatus");
        assertThat(status.path("State").asText()).isEqualTo("IN_PROGRESS");
        JsonNode done = ok("describe_create_account_status", "CreateAccountRequestId", status.path("Id").asText())
                .path("CreateAccountStatus");
        assertThat(done.path("State").asText()).isEqualTo("SUCCEEDED");
        return done.path("AccountId").asText();
    }

    @Test
    void organization_lifecycle_and_its_errors() {
        fails("AWSOrganizationsNotInUseException", 400, "describe_organization");
        JsonNode org = ok("create_organization", "FeatureSet", "ALL").path("Organization");
        assertThat(org.path("Id").asText()).matches("o-[a-z0-9]{10}");
        assertThat(org.path("MasterAccountId").asText()).isEqualTo("000000000000");
        assertThat(org.path("Arn").asText()).isEqualTo("arn:aws:organizations::000000000000:organization/" + org.path("Id").asText());
        fails("AlreadyInOrganizationException", 400, "create_organization");
        assertThat(ok("describe_organization").path("Organization").path("Id").asText()).isEqualTo(org.path("Id").asText());
        JsonNode root = ok("list_roots").path("Roots").get(0);
        assertThat(root.path("Id").asText()).matches("r-[a-z0-9]{4}");
        assertThat(root.path("Name").asText()).isEqualTo("Root");
        assertThat(ok("list_accounts").path("Accounts")).hasSize(1);
        createAccount("dev");
        fails("OrganizationNotEmptyException", 400, "delete_organization");
    }

    @Test
    void ous_children_parents_and_moving_accounts() {
        ok("create_organization");
        String root = rootId();
        JsonNode ou = ok("create_organizational_unit", "ParentId", root, "Name", "Workloads").path("OrganizationalUnit");
        String ouId = ou.path("Id").asText();
        assertThat(ouId).matches("ou-" + root.substring(2) + "-[a-z0-9]{8}");
        fails("DuplicateOrganizationalUnitException", 400, "create_organizational_unit", "ParentId", root, "Name", "Workloads");
        fails("ParentNotFoundException", 400, "create_organizational_unit", "ParentId", "ou-zzzz-zzzzzzzz", "Name", "X");
        String nested = ok("create_organizational_unit", "ParentId", ouId, "Name", "Prod").path("OrganizationalUnit").path("Id").asText();
        String account = createAccount("prod");
        assertThat(ok("list_children", "ParentId", root, "ChildType", "ACCOUNT").path("Children").findValuesAsText("Id"))
                .contains(account, "000000000000");
        ok("move_account", "AccountId", account, "SourceParentId", root, "DestinationParentId", nested);
        fails("DuplicateAccountException", 400, "move_account", "AccountId", account, "SourceParentId", nested, "DestinationParentId", nested);
        fails("SourceParentNotFoundException", 400, "move_account", "AccountId", account, "SourceParentId", "ou-zzzz-zzzzzzzz", "DestinationParentId", root);
        fails("AccountNotFoundException", 400, "move_account", "AccountId", "123456789012", "SourceParentId", root, "DestinationParentId", nested);
        assertThat(ok("list_accounts_for_parent", "ParentId", nested).path("Accounts").get(0).path("Id").asText()).isEqualTo(account);
        JsonNode parents = ok("list_parents", "ChildId", account).path("Parents");
        assertThat(parents.get(0).path("Id").asText()).isEqualTo(nested);
        assertThat(parents.get(0).path("Type").asText()).isEqualTo("ORGANIZATIONAL_UNIT");
        assertThat(ok("list_parents", "ChildId", ouId).path("Parents").get(0).path("Type").asText()).isEqualTo("ROOT");
        fails("ChildNotFoundException", 400, "list_parents", "ChildId", "111111111111");
        assertThat(ok("list_organizational_units_for_parent", "ParentId", ouId).path("OrganizationalUnits").get(0)
                .path("Name").asText()).isEqualTo("Prod");
        fails("OrganizationalUnitNotEmptyException", 400, "delete_organizational_unit", "OrganizationalUnitId", ouId);
        ok("update_organizational_unit", "OrganizationalUnitId", nested, "Name", "Production");
        assertThat(ok("describe_organizational_unit", "OrganizationalUnitId", nested).path("OrganizationalUnit")
                .path("Name").asText()).isEqualTo("Production");
        ok("move_account", "AccountId", account, "SourceParentId", nested, "DestinationParentId", root);
        ok("delete_organizational_unit", "OrganizationalUnitId", nested);
        fails("OrganizationalUnitNotFoundException", 400, "describe_organizational_unit", "OrganizationalUnitId", nested);
    }

    @Test
    void created_accounts_are_usable_and_members_cannot_administer() {
        ok("create_organization");
        String account = createAccount("sandbox");
        assertThat(account).matches("\\d{12}");
        JsonNode described = ok("describe_account", "AccountId", account).path("Account");
        assertThat(described.path("Email").asText()).isEqualTo("sandbox@example.com");
        assertThat(described.path("JoinedMethod").asText()).isEqualTo("CREATED");
        assertThat(described.path("Status").asText()).isEqualTo("ACTIVE");
        String[] memberRoot = {account, "test", null};
        assertThat(boto.callAs(memberRoot, "sts", "get_caller_identity").path("Account").asText()).isEqualTo(account);
        assertThat(boto.callAs(memberRoot, "iam", "get_role", "RoleName", "OrganizationAccountAccessRole").path("Role")
                .path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole");
        JsonNode assumed = boto.call("sts", "assume_role", "RoleArn", "arn:aws:iam::" + account
                + ":role/OrganizationAccountAccessRole", "RoleSessionName", "admin");
        assertThat(assumed.path("AssumedRoleUser").path("Arn").asText())
                .isEqualTo("arn:aws:sts::" + account + ":assumed-role/OrganizationAccountAccessRole/admin");
        assertThat(boto.callAs(memberRoot, "organizations", "describe_organization").path("Organization")
                .path("MasterAccountId").asText()).isEqualTo("000000000000");
        JsonNode denied = boto.callAs(memberRoot, "organizations", "list_accounts");
        assertThat(denied.path("Error").path("Code").asText()).isEqualTo("AccessDeniedException");
        JsonNode failed = ok("create_account", "Email", "sandbox@example.com", "AccountName", "again").path("CreateAccountStatus");
        assertThat(ok("describe_create_account_status", "CreateAccountRequestId", failed.path("Id").asText())
                .path("CreateAccountStatus").path("FailureReason").asText()).isEqualTo("EMAIL_ALREADY_EXISTS");
        fails("CreateAccountStatusNotFoundException", 400, "describe_create_account_status",
                "CreateAccountRequestId", "car-00000000000000000000000000000000");
        fails("AccountNotFoundException", 400, "describe_account", "AccountId", "999999999999");
        ok("remove_account_from_organization", "AccountId", account);
        assertThat(boto.callAs(memberRoot, "organizations", "describe_organization").path("Error").path("Code").asText())
                .isEqualTo("AWSOrganizationsNotInUseException");
    }

    @Test
    void policies_types_attachments_and_targets() {
        ok("create_organization");
        String root = rootId();
        String account = createAccount("a1");
        fails("MalformedPolicyDocumentException", 400, "create_policy", "Content", "{nope", "Description", "d",
                "Name", "bad", "Type", "SERVICE_CONTROL_POLICY");
        String id = ok("create_policy", "Content", SCP_DENY_S3, "Description", "no s3", "Name", "NoS3",
                "Type", "SERVICE_CONTROL_POLICY").path("Policy").path("PolicySummary").path("Id").asText();
        assertThat(id).matches("p-[a-z0-9]{8}");
        fails("DuplicatePolicyException", 400, "create_policy", "Content", SCP_DENY_S3, "Description", "d", "Name", "NoS3",
                "Type", "SERVICE_CONTROL_POLICY");
        fails("PolicyTypeNotEnabledException", 400, "attach_policy", "PolicyId", id, "TargetId", account);
        JsonNode enabled = ok("enable_policy_type", "RootId", root, "PolicyType", "SERVICE_CONTROL_POLICY").path("Root");
        assertThat(enabled.path("PolicyTypes").get(0).path("Status").asText()).isEqualTo("ENABLED");
        fails("PolicyTypeAlreadyEnabledException", 400, "enable_policy_type", "RootId", root, "PolicyType", "SERVICE_CONTROL_POLICY");
        fails("RootNotFoundException", 400, "enable_policy_type", "RootId", "r-zzzz", "PolicyType", "TAG_POLICY");
        assertThat(ok("list_policies_for_target", "TargetId", account, "Filter", "SERVICE_CONTROL_POLICY").path("Policies")
                .findValuesAsText("Name")).containsExactly("FullAWSAccess");
        ok("attach_policy", "PolicyId", id, "TargetId", account);
        fails("DuplicatePolicyAttachmentException", 400, "attach_policy", "PolicyId", id, "TargetId", account);
        fails("TargetNotFoundException", 400, "attach_policy", "PolicyId", id, "TargetId", "ou-zzzz-zzzzzzzz");
        fails("PolicyNotFoundException", 400, "attach_policy", "PolicyId", "p-zzzzzzzz", "TargetId", account);
        JsonNode targets = ok("list_targets_for_policy", "PolicyId", id).path("Targets");
        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).path("Type").asText()).isEqualTo("ACCOUNT");
        fails("PolicyInUseException", 400, "delete_policy", "PolicyId", id);
        ok("update_policy", "PolicyId", id, "Description", "still no s3");
        assertThat(ok("describe_policy", "PolicyId", id).path("Policy").path("PolicySummary").path("Description").asText())
                .isEqualTo("still no s3");
        fails("InvalidInputException", 400, "update_policy", "PolicyId", "p-FullAWSAccess", "Name", "Mine");
        ok("detach_policy", "PolicyId", id, "TargetId", account);
        fails("PolicyNotAttachedException", 400, "detach_policy", "PolicyId", id, "TargetId", account);
        fails("ConstraintViolationException", 400, "detach_policy", "PolicyId", "p-FullAWSAccess", "TargetId", account);
        ok("delete_policy", "PolicyId", id);
        assertThat(ok("list_policies", "Filter", "SERVICE_CONTROL_POLICY").path("Policies").findValuesAsText("Name"))
                .containsExactly("FullAWSAccess");

        String tagPolicy = "{\"tags\":{\"costcenter\":{\"tag_key\":{\"@@assign\":\"CostCenter\"}}}}";
        String tp = ok("create_policy", "Content", tagPolicy, "Description", "tags", "Name", "Tags", "Type", "TAG_POLICY")
                .path("Policy").path("PolicySummary").path("Id").asText();
        ok("enable_policy_type", "RootId", root, "PolicyType", "TAG_POLICY");
        ok("attach_policy", "PolicyId", tp, "TargetId", root);
        assertThat(ok("describe_effective_policy", "PolicyType", "TAG_POLICY", "TargetId", account).path("EffectivePolicy")
                .path("PolicyContent").asText()).contains("costcenter");
        ok("disable_policy_type", "RootId", root, "PolicyType", "TAG_POLICY");
        assertThat(ok("list_targets_for_policy", "PolicyId", tp).path("Targets")).isEmpty();
        fails("PolicyTypeNotEnabledException", 400, "disable_policy_type", "RootId", root, "PolicyType", "TAG_POLICY");
    }

    @Test
    void delegated_administrators_service_access_tags_and_paging() {
        ok("create_organization");
        String account = createAccount("sec");
        fails("ConstraintViolationException", 400, "register_delegated_administrator", "AccountId", "000000000000",
                "ServicePrincipal", "guardduty.amazonaws.com");
        ok("register_delegated_administrator", "AccountId", account, "ServicePrincipal", "guardduty.amazonaws.com");
        fails("AccountAlreadyRegisteredException", 400, "register_delegated_administrator", "AccountId", account,
                "ServicePrincipal", "guardduty.amazonaws.com");
        assertThat(ok("list_delegated_administrators").path("DelegatedAdministrators").get(0).path("Id").asText()).isEqualTo(account);
        assertThat(ok("list_delegated_services_for_account", "AccountId", account).path("DelegatedServices").get(0)
                .path("ServicePrincipal").asText()).isEqualTo("guardduty.amazonaws.com");
        // a delegated administrator may read the organization
        assertThat(boto.callAs(new String[]{account, "test", null}, "organizations", "list_accounts").path("Accounts")).hasSize(2);
        ok("deregister_delegated_administrator", "AccountId", account, "ServicePrincipal", "guardduty.amazonaws.com");
        fails("AccountNotRegisteredException", 400, "deregister_delegated_administrator", "AccountId", account,
                "ServicePrincipal", "guardduty.amazonaws.com");
        fails("InvalidInputException", 400, "enable_aws_service_access", "ServicePrincipal", "nonsense");
        ok("enable_aws_service_access", "ServicePrincipal", "config.amazonaws.com");
        assertThat(ok("list_aws_service_access_for_organization").path("EnabledServicePrincipals").get(0)
                .path("ServicePrincipal").asText()).isEqualTo("config.amazonaws.com");

        ok("tag_resource", "ResourceId", account, "Tags", List.of(Boto3.tag("team", "sec"), Boto3.tag("env", "prod")));
        ok("untag_resource", "ResourceId", account, "TagKeys", List.of("env"));
        JsonNode tags = ok("list_tags_for_resource", "ResourceId", account).path("Tags");
        assertThat(tags).hasSize(1);
        assertThat(tags.get(0).path("Key").asText()).isEqualTo("team");
        fails("TargetNotFoundException", 400, "list_tags_for_resource", "ResourceId", "123456789012");

        for (int i = 0; i < 3; i++) {
            createAccount("extra" + i);
        }
        List<String> seen = new ArrayList<>();
        JsonNode page = ok("list_accounts", "MaxResults", 2);
        page.path("Accounts").forEach(a -> seen.add(a.path("Id").asText()));
        page = ok("list_accounts", "MaxResults", 2, "NextToken", page.path("NextToken").asText());
        page.path("Accounts").forEach(a -> seen.add(a.path("Id").asText()));
        page = ok("list_accounts", "MaxResults", 2, "NextToken", page.path("NextToken").asText());
        page.path("Accounts").forEach(a -> seen.add(a.path("Id").asText()));
        assertThat(page.has("NextToken")).isFalse();
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        fails("InvalidInputException", 400, "list_accounts", "NextToken", "garbage");
    }

    @Test
    void centralized_root_access_features_need_trusted_access_and_the_management_account() {
        assertThat(boto.call("iam", "list_organizations_features").path("Error").path("Code").asText())
                .isEqualTo("OrganizationNotFoundException");
        ok("create_organization");
        assertThat(boto.call("iam", "enable_organizations_root_sessions").path("Error").path("Code").asText())
                .isEqualTo("ServiceAccessNotEnabledException");
        ok("enable_aws_service_access", "ServicePrincipal", "iam.amazonaws.com");
        JsonNode enabled = boto.call("iam", "enable_organizations_root_sessions");
        assertThat(enabled.path("EnabledFeatures").get(0).asText()).isEqualTo("RootSessions");
        assertThat(enabled.path("OrganizationId").asText()).isEqualTo(ok("describe_organization").path("Organization").path("Id").asText());
        boto.call("iam", "enable_organizations_root_credentials_management");
        String member = createAccount("security");
        String[] memberRoot = {member, "test", null};
        assertThat(boto.callAs(memberRoot, "iam", "list_organizations_features").path("Error").path("Code").asText())
                .isEqualTo("AccountNotManagementOrDelegatedAdministratorException");
        ok("register_delegated_administrator", "AccountId", member, "ServicePrincipal", "iam.amazonaws.com");
        assertThat(boto.callAs(memberRoot, "iam", "list_organizations_features").path("EnabledFeatures")).hasSize(2);
        assertThat(boto.callAs(memberRoot, "iam", "enable_organizations_root_sessions").path("Error").path("Code").asText())
                .isEqualTo("CallerIsNotManagementAccountException");
        assertThat(boto.callAs(memberRoot, "iam", "disable_organizations_root_sessions").path("EnabledFeatures").get(0).asText())
                .isEqualTo("RootCredentialsManagement");
    }

    @Test
    void invitations_join_existing_accounts_and_follow_the_handshake_states() {
        ok("create_organization");
        String[] invited = {"111122223333", "test", null};
        String[] other = {"444455556666", "test", null};
        JsonNode h = ok("invite_account_to_organization", "Target", Map.of("Id", "111122223333", "Type", "ACCOUNT"),
                "Notes", "join us").path("Handshake");
        assertThat(h.path("Id").asText()).matches("h-[a-z0-9]{10}");
        assertThat(h.path("State").asText()).isEqualTo("OPEN");
        assertThat(h.path("Action").asText()).isEqualTo("INVITE");
        fails("DuplicateHandshakeException", 400, "invite_account_to_organization", "Target", Map.of("Id", "111122223333", "Type", "ACCOUNT"));
        String id = h.path("Id").asText();
        assertThat(boto.callAs(invited, "organizations", "list_handshakes_for_account").path("Handshakes")).hasSize(1);
        assertThat(boto.callAs(other, "organizations", "describe_handshake", "HandshakeId", id).path("Error").path("Code").asText())
                .isEqualTo("HandshakeNotFoundException");
        JsonNode accepted = boto.callAs(invited, "organizations", "accept_handshake", "HandshakeId", id);
        assertThat(accepted.path("Handshake").path("State").asText()).as(accepted.toString()).isEqualTo("ACCEPTED");
        assertThat(ok("describe_account", "AccountId", "111122223333").path("Account").path("JoinedMethod").asText()).isEqualTo("INVITED");
        assertThat(boto.callAs(invited, "organizations", "accept_handshake", "HandshakeId", id).path("Error").path("Code").asText())
                .isEqualTo("HandshakeAlreadyInStateException");
        fails("HandshakeConstraintViolationException", 400, "invite_account_to_organization", "Target", Map.of("Id", "111122223333", "Type", "ACCOUNT"));

        String second = ok("invite_account_to_organization", "Target", Map.of("Id", "444455556666", "Type", "ACCOUNT"))
                .path("Handshake").path("Id").asText();
        assertThat(boto.callAs(other, "organizations", "decline_handshake", "HandshakeId", second).path("Handshake").path("State").asText())
                .isEqualTo("DECLINED");
        fails("InvalidHandshakeTransitionException", 400, "cancel_handshake", "HandshakeId", second);
        assertThat(boto.callAs(other, "organizations", "decline_handshake", "HandshakeId", second).path("Error").path("Code").asText())
                .isEqualTo("HandshakeAlreadyInStateException");
        String third = ok("invite_account_to_organization", "Target", Map.of("Id", "555566667777", "Type", "ACCOUNT"))
                .path("Handshake").path("Id").asText();
        assertThat(ok("cancel_handshake", "HandshakeId", third).path("Handshake").path("State").asText()).isEqualTo("CANCELED");
        fails("HandshakeAlreadyInStateException", 400, "cancel_handshake", "HandshakeId", third);
        assertThat(ok("list_handshakes_for_organization").path("Handshakes")).hasSize(3);
        assertThat(boto.callAs(other, "organizations", "describe_organization").path("Error").path("Code").asText())
                .isEqualTo("AWSOrganizationsNotInUseException");
    }

    @Test
    void the_organization_resource_policy() {
        ok("create_organization");
        fails("ResourcePolicyNotFoundException", 400, "describe_resource_policy");
        fails("InvalidInputException", 400, "put_resource_policy", "Content", "{\"Statement\":[]");
        String content = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"organizations:DescribeOrganization\",\"Resource\":\"*\"}]}";
        JsonNode rp = ok("put_resource_policy", "Content", content).path("ResourcePolicy");
        assertThat(rp.path("ResourcePolicySummary").path("Id").asText()).matches("rp-[a-z0-9]{8}");
        assertThat(ok("describe_resource_policy").path("ResourcePolicy").path("Content").asText()).isEqualTo(content);
        ok("delete_resource_policy");
        fails("ResourcePolicyNotFoundException", 400, "delete_resource_policy");
    }
}
