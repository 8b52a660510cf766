package dev.terrarium.services.iam;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IamTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String S3_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]}";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension().resetBeforeEach();
    private static IamClient iam;

    @BeforeAll
    static void start() {
        iam = server.client(IamClient::builder);
    }

    @Test
    void users_groups_and_their_errors() {
        var user = iam.createUser(r -> r.userName("bob").path("/team/").tags(t -> t.key("k").value("v"))).user();
        assertThat(user.arn()).isEqualTo("arn:aws:iam::000000000000:user/team/bob");
        assertThat(user.userId()).startsWith("AIDA").hasSize(21);
        assertThat(iam.getUser(r -> r.userName("bob")).user().tags()).hasSize(1);
        assertThatThrownBy(() -> iam.createUser(r -> r.userName("bob")))
                .isInstanceOf(EntityAlreadyExistsException.class).hasMessageContaining("User with name bob already exists.");
        assertThatThrownBy(() -> iam.getUser(r -> r.userName("nobody")))
                .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("The user with name nobody cannot be found.")
                .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(404));
        iam.createGroup(r -> r.groupName("devs"));
        iam.addUserToGroup(r -> r.groupName("devs").userName("bob"));
        assertThat(iam.getGroup(r -> r.groupName("devs")).users()).extracting(u -> u.userName()).containsExactly("bob");
        assertThat(iam.listGroupsForUser(r -> r.userName("bob")).groups()).hasSize(1);
        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("bob"))).isInstanceOf(DeleteConflictException.class);
        iam.removeUserFromGroup(r -> r.groupName("devs").userName("bob"));
        iam.deleteUser(r -> r.userName("bob"));
        assertThat(iam.listUsers().users()).isEmpty();
    }

    @Test
    void users_roles_and_policies_are_tagged_untagged_and_listed_in_the_order_tags_were_added() {
        iam.createUser(r -> r.userName("bob"));
        iam.createRole(r -> r.roleName("app").assumeRolePolicyDocument(TRUST));
        String arn = iam.createPolicy(r -> r.policyName("read").policyDocument(S3_READ)).policy().arn();

        iam.tagUser(r -> r.userName("bob").tags(t -> t.key("z").value("1"), t -> t.key("a").value("2")));
        iam.tagUser(r -> r.userName("bob").tags(t -> t.key("z").value("3")));
        iam.untagUser(r -> r.userName("bob").tagKeys("a", "missing"));
        assertThat(iam.listUserTags(r -> r.userName("bob")).tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("z=3");

        iam.tagRole(r -> r.roleName("app").tags(t -> t.key("z").value("1"), t -> t.key("a").value("2")));
        var roleTags = iam.listRoleTags(r -> r.roleName("app"));
        assertThat(roleTags.tags()).extracting(t -> t.key()).containsExactly("z", "a");
        assertThat(roleTags.isTruncated()).isFalse();
        iam.untagRole(r -> r.roleName("app").tagKeys("z"));
        assertThat(iam.listRoleTags(r -> r.roleName("app")).tags()).extracting(t -> t.key()).containsExactly("a");

        iam.tagPolicy(r -> r.policyArn(arn).tags(t -> t.key("team").value("data")));
        assertThat(iam.listPolicyTags(r -> r.policyArn(arn)).tags()).extracting(t -> t.value()).containsExactly("data");
        iam.untagPolicy(r -> r.policyArn(arn).tagKeys("team"));
        assertThat(iam.listPolicyTags(r -> r.policyArn(arn)).tags()).isEmpty();

        String managed = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        assertThat(iam.listPolicyTags(r -> r.policyArn(managed)).tags()).isEmpty();
        assertThatThrownBy(() -> iam.tagPolicy(r -> r.policyArn(managed).tags(t -> t.key("k").value("v"))))
                .isInstanceOf(IamException.class).hasMessageContaining("Cannot modify an AWS managed policy")
                .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> iam.tagRole(r -> r.roleName("nobody").tags(t -> t.key("k").value("v"))))
                .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("The role with name nobody cannot be found.");
        assertThatThrownBy(() -> iam.untagUser(r -> r.userName("nobody").tagKeys("k")))
                .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("The user with name nobody cannot be found.");
        assertThatThrownBy(() -> iam.listRoleTags(r -> r.roleName("nobody"))).isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> iam.tagUser(r -> r.userName("bob").tags(t -> t.key("aws:x").value("v"))))
                .isInstanceOf(IamException.class).hasMessageContaining("reserved for AWS use");
    }

    @Test
    void paging_with_markers() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            iam.createUser(r -> r.userName("u" + n));
        }
        var first = iam.listUsers(r -> r.maxItems(2));
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.users()).extracting(u -> u.userName()).containsExactly("u0", "u1");
        var second = iam.listUsers(r -> r.maxItems(10).marker(first.marker()));
        assertThat(second.users()).extracting(u -> u.userName()).containsExactly("u2", "u3", "u4");
        assertThat(second.isTruncated()).isFalse();
    }

    @Test
    void roles_with_trust_policies_and_session_duration() {
        Role role = iam.createRole(r -> r.roleName("fn").assumeRolePolicyDocument(TRUST).maxSessionDuration(7200)).role();
        assertThat(role.roleId()).startsWith("AROA");
        assertThat(URLDecoder.decode(iam.getRole(r -> r.roleName("fn")).role().assumeRolePolicyDocument(), StandardCharsets.UTF_8))
                .isEqualTo(TRUST);
        assertThat(iam.getRole(r -> r.roleName("fn")).role().maxSessionDuration()).isEqualTo(7200);
        assertThatThrownBy(() -> iam.createRole(r -> r.roleName("bad").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}")))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("Missing required field Principal");
        assertThatThrownBy(() -> iam.updateRole(r -> r.roleName("fn").maxSessionDuration(50000))).isInstanceOf(IamException.class);
        var slr = iam.createServiceLinkedRole(r -> r.awsServiceName("elasticbeanstalk.amazonaws.com")).role();
        assertThat(slr.path()).isEqualTo("/aws-service-role/elasticbeanstalk.amazonaws.com/");
        assertThat(slr.roleName()).isEqualTo("AWSServiceRoleForElasticbeanstalk");
        assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName(slr.roleName()))).isInstanceOf(IamException.class)
                .hasMessageContaining("Cannot perform the operation on the protected role 'AWSServiceRoleForElasticbeanstalk' - "
                        + "this role is only modifiable by AWS")
                .satisfies(e -> assertThat(((IamException) e).awsErrorDetails().errorCode()).isEqualTo("UnmodifiableEntity"));
        iam.createInstanceProfile(r -> r.instanceProfileName("ip"));
        iam.addRoleToInstanceProfile(r -> r.instanceProfileName("ip").roleName("fn"));
        assertThat(iam.getInstanceProfile(r -> r.instanceProfileName("ip")).instanceProfile().roles()).hasSize(1);
        assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName("fn"))).isInstanceOf(DeleteConflictException.class);
    }

    @Test
    void managed_and_inline_policies() {
        iam.createUser(r -> r.userName("bob"));
        String arn = iam.createPolicy(r -> r.policyName("s3read").policyDocument(S3_READ)).policy().arn();
        assertThat(arn).isEqualTo("arn:aws:iam::000000000000:policy/s3read");
        iam.attachUserPolicy(r -> r.userName("bob").policyArn(arn));
        iam.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/AmazonSQSFullAccess"));
        assertThat(iam.listAttachedUserPolicies(r -> r.userName("bob")).attachedPolicies()).hasSize(2);
        assertThat(iam.getPolicy(r -> r.policyArn(arn)).policy().attachmentCount()).isEqualTo(1);
        assertThat(iam.listEntitiesForPolicy(r -> r.policyArn(arn)).policyUsers()).hasSize(1);
        iam.createPolicyVersion(r -> r.policyArn(arn).policyDocument(S3_READ.replace("s3:List*", "s3:Head*")).setAsDefault(true));
        assertThat(iam.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v2");
        assertThat(iam.listPolicyVersions(r -> r.policyArn(arn)).versions()).hasSize(2);
        assertThatThrownBy(() -> iam.deletePolicyVersion(r -> r.policyArn(arn).versionId("v2"))).isInstanceOf(DeleteConflictException.class);
        assertThatThrownBy(() -> iam.deletePolicy(r -> r.policyArn(arn))).isInstanceOf(DeleteConflictException.class);
        assertThat(iam.getPolicyVersion(r -> r.policyArn("arn:aws:iam::aws:policy/AdministratorAccess").versionId("v1"))
                .policyVersion().document()).contains("%22Action%22%3A%22%2A%22");
        iam.putUserPolicy(r -> r.userName("bob").policyName("inline").policyDocument(S3_READ));
        assertThat(iam.listUserPolicies(r -> r.userName("bob")).policyNames()).containsExactly("inline");
        assertThat(URLDecoder.decode(iam.getUserPolicy(r -> r.userName("bob").policyName("inline")).policyDocument(),
                StandardCharsets.UTF_8)).isEqualTo(S3_READ);
        assertThatThrownBy(() -> iam.putUserPolicy(r -> r.userName("bob").policyName("x").policyDocument("{\"Statement\":[]}")))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("Syntax errors in policy.");
        assertThatThrownBy(() -> iam.getUserPolicy(r -> r.userName("bob").policyName("nope")))
                .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("The user policy with name nope cannot be found.");
        var details = iam.getAccountAuthorizationDetails(r -> { });
        assertThat(details.userDetailList().get(0).userPolicyList()).hasSize(1);
        assertThat(details.policies()).extracting(p -> p.policyName()).contains("s3read", "AmazonSQSFullAccess");
        assertThat(iam.listPolicies(r -> r.scope("AWS").maxItems(1000)).policies()).extracting(p -> p.policyName())
                .contains("AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "AmazonS3FullAccess",
                        "AWSLambdaBasicExecutionRole", "AmazonDynamoDBFullAccess");
    }

    @Test
    void access_keys_sign_requests_until_made_inactive() {
        iam.createUser(r -> r.userName("bob"));
        AccessKey key = iam.createAccessKey(r -> r.userName("bob")).accessKey();
        assertThat(key.accessKeyId()).startsWith("AKIA");
        StsClient sts = server.client(StsClient::builder, AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::000000000000:user/bob");
        StsClient wrongSecret = server.client(StsClient::builder, AwsBasicCredentials.create(key.accessKeyId(), "nope"));
        assertThatThrownBy(wrongSecret::getCallerIdentity).isInstanceOf(StsException.class);
        assertThat(iam.listAccessKeys(r -> r.userName("bob")).accessKeyMetadata()).hasSize(1);
        iam.updateAccessKey(r -> r.userName("bob").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
        assertThat(iam.listAccessKeys(r -> r.userName("bob")).accessKeyMetadata().get(0).status()).isEqualTo(StatusType.INACTIVE);
        assertThat(iam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId())).userName()).isEqualTo("bob");
        iam.deleteAccessKey(r -> r.userName("bob").accessKeyId(key.accessKeyId()));
        assertThatThrownBy(() -> iam.deleteAccessKey(r -> r.userName("bob").accessKeyId(key.accessKeyId())))
                .isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void account_settings_login_profiles_mfa_certificates_and_providers() {
        iam.createUser(r -> r.userName("bob"));
        iam.createAccountAlias(r -> r.accountAlias("my-team"));
        assertThat(iam.listAccountAliases().accountAliases()).containsExactly("my-team");
        assertThatThrownBy(() -> iam.getAccountPasswordPolicy()).isInstanceOf(NoSuchEntityException.class);
        iam.updateAccountPasswordPolicy(r -> r.minimumPasswordLength(12).requireSymbols(true));
        assertThat(iam.getAccountPasswordPolicy().passwordPolicy().minimumPasswordLength()).isEqualTo(12);
        assertThatThrownBy(() -> iam.createLoginProfile(r -> r.userName("bob").password("short")))
                .isInstanceOf(IamException.class).hasMessageContaining("Password does not conform");
        iam.createLoginProfile(r -> r.userName("bob").password("a-long-password!"));
        assertThat(iam.getLoginProfile(r -> r.userName("bob")).loginProfile().userName()).isEqualTo("bob");
        String serial = iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("bob-mfa")).virtualMFADevice().serialNumber();
        iam.enableMFADevice(r -> r.userName("bob").serialNumber(serial).authenticationCode1("123456").authenticationCode2("654321"));
        assertThat(iam.listMFADevices(r -> r.userName("bob")).mfaDevices()).hasSize(1);
        iam.uploadServerCertificate(r -> r.serverCertificateName("web").certificateBody("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")
                .privateKey("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"));
        assertThat(iam.listServerCertificates().serverCertificateMetadataList()).hasSize(1);
        String oidc = iam.createOpenIDConnectProvider(r -> r.url("https://token.actions.githubusercontent.com")
                .clientIDList("sts.amazonaws.com").thumbprintList("6938fd4d98bab03faadb97b34396831e3780aea1")).openIDConnectProviderArn();
        assertThat(oidc).isEqualTo("arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com");
        assertThat(iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(oidc)).clientIDList()).containsExactly("sts.amazonaws.com");
        String saml = iam.createSAMLProvider(r -> r.name("corp").samlMetadataDocument("<EntityDescriptor/>" + "x".repeat(1000))).samlProviderArn();
        assertThat(iam.listSAMLProviders().samlProviderList()).extracting(p -> p.arn()).containsExactly(saml);
        iam.generateCredentialReport();
        String csv = iam.getCredentialReport().content().asUtf8String();
        assertThat(csv).startsWith("user,arn,user_creation_time").contains("\nbob,arn:aws:iam::000000000000:user/bob,");
        assertThat(iam.getAccountSummary().summaryMapAsStrings()).containsEntry("Users", 1);
    }

    @Test
    void simulate_principal_and_custom_policies() {
        iam.createUser(r -> r.userName("bob"));
        iam.putUserPolicy(r -> r.userName("bob").policyName("read").policyDocument(S3_READ));
        List<EvaluationResult> results = iam.simulatePrincipalPolicy(r -> r.policySourceArn("arn:aws:iam::000000000000:user/bob")
                .actionNames("s3:GetObject", "s3:PutObject")).evaluationResults();
        assertThat(results).extracting(EvaluationResult::evalDecisionAsString).containsExactly("allowed", "implicitDeny");
        String ipPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";
        List<EvaluationResult> custom = iam.simulateCustomPolicy(r -> r.policyInputList(ipPolicy).actionNames("s3:GetObject")
                .contextEntries(ContextEntry.builder().contextKeyName("aws:SourceIp").contextKeyType(ContextKeyTypeEnum.IP)
                        .contextKeyValues("192.0.2.1").build())).evaluationResults();
        assertThat(custom.get(0).evalDecisionAsString()).isEqualTo("implicitDeny");
        assertThatThrownBy(() -> iam.simulatePrincipalPolicy(r -> r.policySourceArn("arn:aws:iam::000000000000:user/ghost")
                .actionNames("s3:GetObject"))).isInstanceOf(NoSuchEntityException.class);
    }
}
