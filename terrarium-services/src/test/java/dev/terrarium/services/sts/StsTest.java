package dev.terrarium.services.sts;

import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.Tag;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/app/Deployer";
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();
    private static StsClient sts;

    @BeforeAll
    static void start() {
        sts = terrarium.client(StsClient::builder);
    }

    private static StsClient as(Credentials c) {
        return terrarium.client(StsClient::builder,
                TestServer.session(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }

    @Test
    void callerIdentityOfTestKeysIsTheDefaultAccountRoot() {
        GetCallerIdentityResponse me = sts.getCallerIdentity();
        assertThat(me.account()).isEqualTo("000000000000");
        assertThat(me.arn()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(me.userId()).isEqualTo("000000000000");
    }

    @Test
    void twelveDigitAccessKeyIsThatAccount() {
        try (StsClient other = terrarium.client(StsClient::builder,
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("111122223333", "whatever"))) {
            assertThat(other.getCallerIdentity().account()).isEqualTo("111122223333");
        }
    }

    @Test
    void assumedRoleCredentialsSignRequestsAsTheRoleSession() {
        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("ci-run").durationSeconds(900));
        Credentials c = assumed.credentials();
        assertThat(c.accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(c.secretAccessKey()).hasSize(40);
        assertThat(c.sessionToken()).isNotBlank();
        assertThat(c.expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/Deployer/ci-run");
        assertThat(assumed.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z0-9]{17}:ci-run");

        try (StsClient asRole = as(c)) {
            GetCallerIdentityResponse me = asRole.getCallerIdentity();
            assertThat(me.account()).isEqualTo("123456789012");
            assertThat(me.arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/Deployer/ci-run");
            assertThat(me.userId()).isEqualTo(assumed.assumedRoleUser().assumedRoleId());
            assertThat(asRole.getAccessKeyInfo(r -> r.accessKeyId(c.accessKeyId())).account()).isEqualTo("123456789012");
        }
    }

    @Test
    void roleChainingIsLimitedToOneHour() {
        Credentials c = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("first")).credentials();
        try (StsClient asRole = as(c)) {
            assertThatThrownBy(() -> asRole.assumeRole(r -> r.roleArn(ROLE).roleSessionName("second").durationSeconds(7200)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("role chaining");
                    });
            assertThat(asRole.assumeRole(r -> r.roleArn(ROLE).roleSessionName("second")).assumedRoleUser().arn())
                    .endsWith("assumed-role/Deployer/second");
        }
    }

    @Test
    void sessionTokenKeepsTheCallerAndCannotBeChained() {
        Credentials c = sts.getSessionToken(r -> r.durationSeconds(900)).credentials();
        try (StsClient session = as(c)) {
            assertThat(session.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::000000000000:root");
            assertThatThrownBy(session::getSessionToken).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot call GetSessionToken with session credentials");
                assertThat(e.statusCode()).isEqualTo(403);
            });
            assertThatThrownBy(() -> session.getFederationToken(r -> r.name("Bob"))).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot call GetFederationToken with session credentials");
                assertThat(e.statusCode()).isEqualTo(403);
            });
        }
    }

    @Test
    void federationTokenNamesTheFederatedUser() {
        var fed = sts.getFederationToken(r -> r.name("Bob").durationSeconds(900)
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        assertThat(fed.federatedUser().arn()).isEqualTo("arn:aws:sts::000000000000:federated-user/Bob");
        assertThat(fed.federatedUser().federatedUserId()).isEqualTo("000000000000:Bob");
        assertThat(fed.packedPolicySize()).isBetween(1, 100);
        try (StsClient bob = as(fed.credentials())) {
            assertThat(bob.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::000000000000:federated-user/Bob");
        }
    }

    @Test
    void webIdentityTokenClaimsComeBack() {
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String claims = b64("{\"sub\":\"user-42\",\"aud\":\"my-client\",\"iss\":\"https://idp.example.com\",\"exp\":" + exp + "}");
        var resp = sts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("web")
                .webIdentityToken(header + "." + claims + ".c2ln"));
        assertThat(resp.subjectFromWebIdentityToken()).isEqualTo("user-42");
        assertThat(resp.audience()).isEqualTo("my-client");
        assertThat(resp.provider()).isEqualTo("idp.example.com");
        assertThat(resp.assumedRoleUser().arn()).endsWith(":assumed-role/Deployer/web");

        assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("web")
                .webIdentityToken("not-a-jwt")))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidIdentityToken"));
    }

    @Test
    void samlAssertionGivesSubjectIssuerAndSession() {
        String xml = """
                <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
                  <saml:Issuer>https://idp.example.com/saml</saml:Issuer>
                  <saml:Assertion>
                    <saml:Issuer>https://idp.example.com/saml</saml:Issuer>
                    <saml:Subject>
                      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice</saml:NameID>
                      <saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation>
                    </saml:Subject>
                    <saml:AttributeStatement>
                      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>alice@example.com</saml:AttributeValue></saml:Attribute>
                    </saml:AttributeStatement>
                  </saml:Assertion>
                </samlp:Response>""";
        var resp = sts.assumeRoleWithSAML(r -> r.roleArn(ROLE)
                .principalArn("arn:aws:iam::123456789012:saml-provider/Corp")
                .samlAssertion(Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8))));
        assertThat(resp.subject()).isEqualTo("alice");
        assertThat(resp.subjectType()).isEqualTo("persistent");
        assertThat(resp.issuer()).isEqualTo("https://idp.example.com/saml");
        assertThat(resp.audience()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(resp.nameQualifier()).isNotBlank();
        assertThat(resp.assumedRoleUser().arn()).endsWith(":assumed-role/Deployer/alice@example.com");
    }

    @Test
    void badInputGetsAwsErrors() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:s3:::not-a-role-at-all").roleSessionName("x1")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("x1").policy("{not json")))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocument"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("x1")
                .tags(Tag.builder().key("team").value("a").build(), Tag.builder().key("TEAM").value("b").build())))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sts.decodeAuthorizationMessage(r -> r.encodedMessage("garbage")))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAuthorizationMessageException"));
        // still serving
        assertThat(sts.getCallerIdentity().account()).isEqualTo("000000000000");
    }

    @Test
    void decodesAuthorizationMessagesItIssued() {
        String encoded = AuthorizationMessages.encode("{\"allowed\":false}");
        assertThat(sts.decodeAuthorizationMessage(r -> r.encodedMessage(encoded)).decodedMessage())
                .isEqualTo("{\"allowed\":false}");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
