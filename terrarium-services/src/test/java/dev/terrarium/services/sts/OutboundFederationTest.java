package dev.terrarium.services.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import dev.terrarium.services.iam.IamService;
import dev.terrarium.services.iam.OutboundFederation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenResponse;
import software.amazon.awssdk.services.sts.model.StsException;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IAM outbound identity federation and STS GetWebIdentityToken: real JWTs signed with the account's keys. */
class OutboundFederationTest {
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension().resetBeforeEach();
    private static IamClient iam;
    private static StsClient sts;

    @BeforeAll
    static void start() {
        iam = server.client(IamClient::builder);
        sts = server.client(StsClient::builder);
    }

    private static String code(Throwable e) {
        return e instanceof IamException i ? i.awsErrorDetails().errorCode() : ((StsException) e).awsErrorDetails().errorCode();
    }

    private static OutboundFederation keys() {
        return ((IamService) server.server().registry().implementation("iam").service()).outboundFederation("000000000000");
    }

    private static JsonNode part(String jwt, int i) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
    }

    private static boolean verifies(String jwt, String jdkAlgorithm, String jwsAlgorithm) throws Exception {
        String[] parts = jwt.split("\\.");
        Signature s = Signature.getInstance(jdkAlgorithm);
        s.initVerify(keys().keyPair(jwsAlgorithm).getPublic());
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    @Test
    void enable_info_disable_and_their_errors() {
        assertThatThrownBy(() -> iam.getOutboundWebIdentityFederationInfo(r -> { })).satisfies(e -> {
            assertThat(code(e)).isEqualTo("FeatureDisabled");
            assertThat(((IamException) e).statusCode()).isEqualTo(404);
        });
        String issuer = iam.enableOutboundWebIdentityFederation(r -> { }).issuerIdentifier();
        assertThat(issuer).matches("https://[0-9a-f-]{36}\\.tokens\\.sts\\.global\\.api\\.aws");
        assertThatThrownBy(() -> iam.enableOutboundWebIdentityFederation(r -> { })).satisfies(e -> {
            assertThat(code(e)).isEqualTo("FeatureEnabled");
            assertThat(((IamException) e).statusCode()).isEqualTo(409);
        });
        assertThat(iam.getOutboundWebIdentityFederationInfo(r -> { }).issuerIdentifier()).isEqualTo(issuer);
        assertThat(iam.getOutboundWebIdentityFederationInfo(r -> { }).jwtVendingEnabled()).isTrue();
        iam.disableOutboundWebIdentityFederation(r -> { });
        assertThatThrownBy(() -> iam.disableOutboundWebIdentityFederation(r -> { })).satisfies(e -> assertThat(code(e)).isEqualTo("FeatureDisabled"));
        assertThatThrownBy(() -> sts.getWebIdentityToken(r -> r.audience("https://api.example.com").signingAlgorithm("RS256")))
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo("OutboundWebIdentityFederationDisabledException");
                    assertThat(((StsException) e).statusCode()).isEqualTo(403);
                });
        // the issuer stays the account's across disable and enable
        assertThat(iam.enableOutboundWebIdentityFederation(r -> { }).issuerIdentifier()).isEqualTo(issuer);
    }

    @Test
    void rs256_and_es384_tokens_are_signed_and_carry_the_claims() throws Exception {
        String issuer = iam.enableOutboundWebIdentityFederation(r -> { }).issuerIdentifier();
        GetWebIdentityTokenResponse rs = sts.getWebIdentityToken(r -> r.audience("https://api.example.com")
                .signingAlgorithm("RS256").durationSeconds(900).tags(t -> t.key("job").value("42")));
        String jwt = rs.webIdentityToken();
        JsonNode header = part(jwt, 0);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        assertThat(header.path("kid").asText()).isEqualTo(keys().keyId("RS256"));
        JsonNode claims = part(jwt, 1);
        assertThat(claims.path("iss").asText()).isEqualTo(issuer);
        assertThat(claims.path("aud").asText()).isEqualTo("https://api.example.com");
        assertThat(claims.path("sub").asText()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(900);
        assertThat(claims.path("exp").asLong()).isEqualTo(rs.expiration().getEpochSecond());
        JsonNode aws = claims.path("https://sts.amazonaws.com/");
        assertThat(aws.path("aws_account").asText()).isEqualTo("000000000000");
        assertThat(aws.path("source_region").asText()).isEqualTo("us-east-1");
        assertThat(aws.path("request_tags").path("job").asText()).isEqualTo("42");
        assertThat(verifies(jwt, "SHA256withRSA", "RS256")).isTrue();
        String tampered = jwt.substring(0, jwt.lastIndexOf('.') - 2) + "xx" + jwt.substring(jwt.lastIndexOf('.'));
        assertThat(verifies(tampered, "SHA256withRSA", "RS256")).isFalse();

        String es = sts.getWebIdentityToken(r -> r.audience("a", "b").signingAlgorithm("ES384")).webIdentityToken();
        assertThat(part(es, 0).path("alg").asText()).isEqualTo("ES384");
        assertThat(part(es, 1).path("aud")).hasSize(2);
        assertThat(part(es, 1).path("exp").asLong() - part(es, 1).path("iat").asLong()).isEqualTo(300);
        assertThat(Base64.getUrlDecoder().decode(es.split("\\.")[2])).hasSize(96);
        assertThat(verifies(es, "SHA384withECDSAinP1363Format", "ES384")).isTrue();

        assertThatThrownBy(() -> sts.getWebIdentityToken(r -> r.audience("a").signingAlgorithm("HS256")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> sts.getWebIdentityToken(r -> r.audience("a").signingAlgorithm("RS256").durationSeconds(30)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
    }

    @Test
    void a_role_session_token_names_the_role_and_cannot_outlive_the_session() throws Exception {
        iam.enableOutboundWebIdentityFederation(r -> { });
        iam.createRole(r -> r.roleName("worker").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":{\"AWS\":\"000000000000\"},\"Action\":\"sts:AssumeRole\"}]}"));
        Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/worker").roleSessionName("job")
                .durationSeconds(900)).credentials();
        StsClient asRole = server.client(StsClient::builder, TestServer.session(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        String jwt = asRole.getWebIdentityToken(r -> r.audience("x").signingAlgorithm("RS256").durationSeconds(600)).webIdentityToken();
        assertThat(part(jwt, 1).path("sub").asText()).isEqualTo("arn:aws:iam::000000000000:role/worker");
        assertThatThrownBy(() -> asRole.getWebIdentityToken(r -> r.audience("x").signingAlgorithm("RS256").durationSeconds(3600)))
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo("SessionDurationEscalationException");
                    assertThat(((StsException) e).statusCode()).isEqualTo(403);
                });
    }
}
