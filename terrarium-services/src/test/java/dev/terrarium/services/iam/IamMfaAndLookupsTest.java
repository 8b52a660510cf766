package dev.terrarium.services.iam;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lookups and checks IAM's operation groups share: MFA devices, codes, SAML providers. */
class IamMfaAndLookupsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static IamClient iam;

    @BeforeAll
    static void start() {
        iam = terrarium.client(IamClient::builder);
    }

    private static void fails(Runnable r, String code) {
        assertThatThrownBy(r::run).isInstanceOf(IamException.class)
                .satisfies(e -> assertThat(((IamException) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }

    @Test
    void resyncAndDeactivateNeedTheDeviceOfThatUserAndSixDigitCodes() {
        // Codes that are not six digits fail the model (pattern, length) before the service sees them.
        iam.createUser(r -> r.userName("bob"));
        iam.createUser(r -> r.userName("eve"));
        String serial = iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("bob-mfa")).virtualMFADevice().serialNumber();
        fails(() -> iam.enableMFADevice(r -> r.userName("bob").serialNumber(serial)
                .authenticationCode1("12345").authenticationCode2("654321")), "ValidationError");
        iam.enableMFADevice(r -> r.userName("bob").serialNumber(serial).authenticationCode1("123456").authenticationCode2("654321"));

        iam.resyncMFADevice(r -> r.userName("bob").serialNumber(serial).authenticationCode1("111111").authenticationCode2("222222"));
        fails(() -> iam.resyncMFADevice(r -> r.userName("bob").serialNumber(serial)
                .authenticationCode1("111111").authenticationCode2("abcdef")), "ValidationError");
        fails(() -> iam.resyncMFADevice(r -> r.userName("eve").serialNumber(serial)
                .authenticationCode1("111111").authenticationCode2("222222")), "NoSuchEntity");
        fails(() -> iam.deactivateMFADevice(r -> r.userName("eve").serialNumber(serial)), "NoSuchEntity");

        iam.deactivateMFADevice(r -> r.userName("bob").serialNumber(serial));
        assertThat(iam.listMFADevices(r -> r.userName("bob")).mfaDevices()).isEmpty();
        fails(() -> iam.deactivateMFADevice(r -> r.userName("bob").serialNumber(serial)), "NoSuchEntity");
    }

    @Test
    void unknownSamlProvidersAndCertificatesAreNoSuchEntity() {
        String missing = "arn:aws:iam::000000000000:saml-provider/none";
        fails(() -> iam.getSAMLProvider(r -> r.samlProviderArn(missing)), "NoSuchEntity");
        fails(() -> iam.deleteSAMLProvider(r -> r.samlProviderArn(missing)), "NoSuchEntity");
        fails(() -> iam.listSAMLProviderTags(r -> r.samlProviderArn(missing)), "NoSuchEntity");
        fails(() -> iam.updateServerCertificate(r -> r.serverCertificateName("none").newServerCertificateName("x")),
                "NoSuchEntity");
        fails(() -> iam.deleteServerCertificate(r -> r.serverCertificateName("none")), "NoSuchEntity");
        fails(() -> iam.tagInstanceProfile(r -> r.instanceProfileName("none").tags(t -> t.key("k").value("v"))),
                "NoSuchEntity");
    }
}
