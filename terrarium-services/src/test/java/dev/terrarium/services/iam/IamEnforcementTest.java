package dev.terrarium.services.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.terrarium.services.iam.IamTestUsers.newUser;

/** --enforce-iam: real keys created by IAM, roles assumed through STS, each request evaluated by the policy engine. */
class IamEnforcementTest {
    private static final String ACCOUNT = "000000000000";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true)).resetBeforeEach();
    private static IamClient admin;

    @BeforeAll
    static void start() {
        admin = server.client(IamClient::builder);
    }

    private static AwsCredentials userWithKey(String name) {
        return newUser(admin, name, null);
    }

    private static String policy(String effect, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    @Test
    void implicit_deny_then_allowed_by_a_policy_then_explicit_deny() {
        AwsCredentials bob = userWithKey("bob");
        IamClient asBob = server.client(IamClient::builder, bob);
        assertThatThrownBy(asBob::listUsers).isInstanceOf(IamException.class)
                .satisfies(e -> {
                    IamException x = (IamException) e;
                    assertThat(x.statusCode()).isEqualTo(403);
                    assertThat(x.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(x.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::" + ACCOUNT
                            + ":user/bob is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action");
                });
        admin.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/IAMReadOnlyAccess"));
        assertThat(asBob.listUsers().users()).extracting(u -> u.userName()).containsExactly("bob");
        assertThatThrownBy(() -> asBob.createUser(r -> r.userName("eve"))).isInstanceOf(IamException.class)
                .hasMessageContaining("on resource: arn:aws:iam::" + ACCOUNT + ":user/eve because no identity-based policy allows");
        admin.putUserPolicy(r -> r.userName("bob").policyName("no-list").policyDocument(policy("Deny", "iam:ListUsers", "*")));
        assertThatThrownBy(asBob::listUsers).isInstanceOf(IamException.class)
                .hasMessageContaining("with an explicit deny in an identity-based policy");
        assertThat(asBob.getUser(r -> r.userName("bob")).user().userName()).isEqualTo("bob");
    }

    @Test
    void permissions_boundary_limits_an_admin() {
        AwsCredentials bob = userWithKey("bob");
        admin.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        admin.putUserPermissionsBoundary(r -> r.userName("bob").permissionsBoundary("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        IamClient asBob = server.client(IamClient::builder, bob);
        assertThatThrownBy(asBob::listUsers).isInstanceOf(IamException.class)
                .hasMessageContaining("because no permissions boundary allows the iam:ListUsers action");
        StsClient sts = server.client(StsClient::builder, bob);
        assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(StsException.class);
    }

    @Test
    void denials_are_explained_and_decodable() throws Exception {
        AwsCredentials bob = userWithKey("bob");
        admin.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/AmazonSQSFullAccess"));
        IamClient asBob = server.client(IamClient::builder, bob);
        String requestId = null;
        try {
            asBob.listRoles();
        } catch (IamException e) {
            requestId = e.requestId();
        }
        assertThat(requestId).isNotNull();
        var response = server.raw("GET", "/_terrarium/iam/explain?requestId=" + requestId, null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode explain = new ObjectMapper().readTree(response.body());
        assertThat(explain.get("decision").asText()).isEqualTo("IMPLICIT_DENY");
        assertThat(explain.get("context").get("action").asText()).isEqualTo("iam:ListRoles");
        assertThat(explain.get("trace").get(0).get("policyName").asText()).isEqualTo("arn:aws:iam::aws:policy/AmazonSQSFullAccess");
        assertThat(explain.get("trace").get(0).get("detail").asText()).isEqualTo("action not matched");
        admin.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        String encoded = explain.get("encodedMessage").asText();
        String decoded = server.client(StsClient::builder, bob).decodeAuthorizationMessage(r -> r.encodedMessage(encoded)).decodedMessage();
        assertThat(new ObjectMapper().readTree(decoded).get("allowed").asBoolean()).isFalse();
        assertThat(server.raw("GET", "/_terrarium/iam/explain?requestId=nope", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void assume_role_needs_the_trust_policy_and_respects_max_session_duration() {
        AwsCredentials bob = userWithKey("bob");
        admin.putUserPolicy(r -> r.userName("bob").policyName("assume").policyDocument(policy("Allow", "sts:AssumeRole", "*")));
        String trustBob = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + ACCOUNT + ":user/bob\"},\"Action\":\"sts:AssumeRole\"}]}";
        String trustLambda = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        admin.createRole(r -> r.roleName("reader").assumeRolePolicyDocument(trustBob).maxSessionDuration(3600));
        admin.attachRolePolicy(r -> r.roleName("reader").policyArn("arn:aws:iam::aws:policy/IAMReadOnlyAccess"));
        admin.createRole(r -> r.roleName("fn").assumeRolePolicyDocument(trustLambda));
        StsClient sts = server.client(StsClient::builder, bob);
        Credentials creds = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/reader").roleSessionName("ci")).credentials();
        IamClient asRole = server.client(IamClient::builder, TestServer.session(creds.accessKeyId(), creds.secretAccessKey(),
                creds.sessionToken()));
        assertThat(asRole.listRoles().roles()).hasSize(2);
        assertThatThrownBy(() -> asRole.createUser(r -> r.userName("x"))).isInstanceOf(IamException.class)
                .hasMessageContaining("User: arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/ci is not authorized to perform: iam:CreateUser");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/fn").roleSessionName("ci")))
                .isInstanceOf(StsException.class).hasMessageContaining("because no resource-based policy allows the sts:AssumeRole action");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/ghost").roleSessionName("ci")))
                .isInstanceOf(StsException.class).hasMessageContaining("is not authorized to perform: sts:AssumeRole");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/reader").roleSessionName("ci")
                .durationSeconds(7200))).isInstanceOf(StsException.class).hasMessageContaining("MaxSessionDuration");
    }

    @Test
    void deleted_users_and_inactive_keys_stop_working() {
        AwsCredentials bob = userWithKey("bob");
        admin.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/IAMReadOnlyAccess"));
        IamClient asBob = server.client(IamClient::builder, bob);
        assertThat(asBob.listUsers().users()).hasSize(1);
        admin.updateAccessKey(r -> r.userName("bob").accessKeyId(bob.accessKeyId()).status("Inactive"));
        assertThatThrownBy(asBob::listUsers).isInstanceOf(IamException.class)
                .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(403));
    }
}
