package dev.terrarium.services.lambda;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.charset.StandardCharsets;

import static dev.terrarium.services.iam.IamTestUsers.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * --enforce-iam: a function of account A invoked by a user of account B, by ARN, needs both sides to agree: the
 * user's identity policy and the function's resource policy (AddPermission), as on AWS.
 */
class LambdaCrossAccountTest {
    private static final String B = "222233334444";
    private static final AwsCredentials B_ROOT = AwsBasicCredentials.create(B, "test");
    private static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:shared";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true))
            .resetBeforeEach();

    @BeforeEach
    void accountB() {
        server.server().credentials().register(new Credential(B, "test", null, Identity.root(B, B), null));
    }

    private static String policy(String statement) {
        return ("{'Version':'2012-10-17','Statement':[" + statement + "]}").replace('\'', '"');
    }

    private static void denied(Runnable call, String... parts) {
        assertThatThrownBy(call::run).isInstanceOf(LambdaException.class).satisfies(e -> {
            LambdaException x = (LambdaException) e;
            assertThat(x.statusCode()).isEqualTo(403);
            assertThat(x.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            for (String part : parts) {
                assertThat(x.awsErrorDetails().errorMessage()).contains(part);
            }
        });
    }

    private static String invoke(LambdaClient lambda, String qualifier) {
        return lambda.invoke(b -> b.functionName(ARN).qualifier(qualifier)
                .payload(SdkBytes.fromString("{\"n\":1}", StandardCharsets.UTF_8))).payload().asUtf8String();
    }

    @Test
    void anotherAccountInvokesOnlyWhenTheFunctionPolicyAndItsIdentityPolicyAgree() {
        LambdaClient owner = server.client(LambdaClient::builder);
        owner.createFunction(b -> b.functionName("shared").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", "def handler(event, context):\n    return event\n")))));
        IamClient iamB = server.client(IamClient::builder, B_ROOT);
        LambdaClient caller = server.client(LambdaClient::builder, newUser(iamB, "caller",
                policy("{'Effect':'Allow','Action':'lambda:InvokeFunction','Resource':'" + ARN + "*'}")));
        LambdaClient bare = server.client(LambdaClient::builder, newUser(iamB, "bare", null));

        // identity side only
        denied(() -> invoke(caller, null), "user/caller", "lambda:InvokeFunction",
                "because no resource-based policy allows");
        owner.addPermission(b -> b.functionName("shared").statementId("b").action("lambda:InvokeFunction")
                .principal(B));
        // both sides agree
        assertThat(invoke(caller, null)).isEqualTo("{\"n\": 1}");
        // resource side only
        denied(() -> invoke(bare, null), "user/bare", "because no identity-based policy allows");
        // a version has its own policy: the function's statement does not cover it
        owner.publishVersion(b -> b.functionName("shared"));
        denied(() -> invoke(caller, "1"), "because no resource-based policy allows");
        owner.addPermission(b -> b.functionName("shared").qualifier("1").statementId("b1")
                .action("lambda:InvokeFunction").principal(B));
        assertThat(invoke(caller, "1")).isEqualTo("{\"n\": 1}");
        // GetFunction is another action, not granted by the function's policy
        denied(() -> caller.getFunction(b -> b.functionName(ARN)));
    }
}
