package dev.terrarium.services.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The unmodified AWS CLI (botocore, awsQuery wire) against Terrarium. */
class StsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @BeforeAll
    static void start() {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
    }

    @Test
    void getCallerIdentityAnswersForTheDefaultAccount() throws Exception {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), "sts", "get-caller-identity");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode me = JSON.readTree(r.stdout());
        assertThat(me.path("Account").asText()).isEqualTo("000000000000");
        assertThat(me.path("Arn").asText()).isEqualTo("arn:aws:iam::000000000000:root");
    }

    @Test
    void assumedRoleCredentialsWorkFromTheCli() throws Exception {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), "sts", "assume-role",
                "--role-arn", "arn:aws:iam::210987654321:role/ops", "--role-session-name", "cli-session");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode creds = JSON.readTree(r.stdout()).path("Credentials");
        AwsCli.Result me = AwsCli.run(terrarium, Map.of(
                "AWS_ACCESS_KEY_ID", creds.path("AccessKeyId").asText(),
                "AWS_SECRET_ACCESS_KEY", creds.path("SecretAccessKey").asText(),
                "AWS_SESSION_TOKEN", creds.path("SessionToken").asText()), "sts", "get-caller-identity");
        assertThat(me.exitCode()).as(me.stderr()).isZero();
        assertThat(JSON.readTree(me.stdout()).path("Arn").asText())
                .isEqualTo("arn:aws:sts::210987654321:assumed-role/ops/cli-session");
    }

    @Test
    void wrongSecretIsRefusedWithAwsError() {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"), "sts", "get-caller-identity");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("SignatureDoesNotMatch");
    }

    @Test
    void validationErrorsReachTheCli() {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), "sts", "assume-role",
                "--role-arn", "arn:aws:iam::210987654321:role/ops", "--role-session-name", "session",
                "--duration-seconds", "50000");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("ValidationError").contains("durationSeconds");
    }
}
