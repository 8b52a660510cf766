package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;

import static dev.terrarium.services.iam.IamTestUsers.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --enforce-iam: capacity provider operations are authorized against the capacity provider's ARN. */
class LambdaCapacityProvidersIamTest {
    private static final String ARN = LambdaCapacityProvidersTest.PROVIDER_ARN;
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true))
            .resetBeforeEach();

    @Test
    void aUserReachesOnlyTheProvidersItsPolicyNames() {
        LambdaClient admin = server.client(LambdaClient::builder);
        admin.createCapacityProvider(b -> b.capacityProviderName("fleet")
                .vpcConfig(v -> v.subnetIds("subnet-1").securityGroupIds("sg-1"))
                .permissionsConfig(p -> p.capacityProviderOperatorRoleArn(LambdaCapacityProvidersTest.OPERATOR)));
        LambdaClient reader = server.client(LambdaClient::builder, newUser(server.client(IamClient::builder), "reader",
                ("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'lambda:GetCapacityProvider',"
                        + "'Resource':'" + ARN + "fleet'}]}").replace('\'', '"')));

        assertThat(reader.getCapacityProvider(b -> b.capacityProviderName("fleet")).capacityProvider().capacityProviderArn())
                .isEqualTo(ARN + "fleet");
        assertThatThrownBy(() -> reader.getCapacityProvider(b -> b.capacityProviderName("other")))
                .isInstanceOf(LambdaException.class).satisfies(e -> {
                    LambdaException x = (LambdaException) e;
                    assertThat(x.statusCode()).isEqualTo(403);
                    assertThat(x.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(x.awsErrorDetails().errorMessage()).contains("lambda:GetCapacityProvider", ARN + "other");
                });
        assertThatThrownBy(() -> reader.deleteCapacityProvider(b -> b.capacityProviderName("fleet")))
                .isInstanceOf(LambdaException.class)
                .satisfies(e -> assertThat(((LambdaException) e).awsErrorDetails().errorMessage())
                        .contains("lambda:DeleteCapacityProvider", ARN + "fleet"));
        assertThat(admin.getCapacityProvider(b -> b.capacityProviderName("fleet")).capacityProvider()).isNotNull();
    }
}
