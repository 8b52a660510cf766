package dev.terrarium.services.iam;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.terrarium.core.testing.AwsErrors.assertFails;

/** The lookups and checks IAM's operation groups share: MFA devices, codes, SAML providers. */
class IamMfaAndLookupsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static IamClient iam;

    @BeforeAll
    static void start() {
        iam = terrarium.client(IamClient::builder);
    }

    @Test
    void resyncAndDeactivateNeedTheDeviceOfThatUserAndSixDigitCodes() {
        // Codes that are not six digits fail the model (pattern, length) before the service sees them.
        iam.createUser(r -> r.userName("bob"));
        iam.createUser(r -> r.userName("eve"));
        String serial = iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("bob-mfa")).virtualMFADevice().serialNumber();
        assertFails(() -> iam.enableMFADevice(r -> r.userName("bob").serialNumber(serial)
                .authenticationCode1("12345").authenticationCode2("654321")), "ValidationError");
        iam.enableMFADevice(r -> r.userName("bob").serialNumber(serial).authenticationCode1("123456").authenticationCode2("654321"));

        iam.resyncMFADevice(r -> r.userName("bob").serialNumber(serial).authenticationCode1("111111").authenticationCode2("222222"));
        assertFails(() -> iam.resyncMFADevice(r -> r.userName("bob").serialNumber(serial)
                .authenticationCode1("111111").authenticationCode2("abcdef")), "ValidationError");
        assertFails(() -> iam.resyncMFADevice(r -> r.userName("eve").serialNumber(serial)
                .authenticationCode1("111111").authenticationCode2("222222")), "NoSuchEntity");
        assertFails(() -> iam.deactivateMFADevice(r -> r.userName("eve").serialNumber(serial)), "NoSuchEntity");

        iam.deactivateMFADevice(r -> r.userName("bob").serialNumber(serial));
        assertThat(iam.listMFADevices(r -> r.userName("bob")).mfaDevices()).isEmpty();
        assertFails(() -> iam.deactivateMFADevice(r -> r.userName("bob").serialNumber(serial)), "NoSuchEntity");
    }

    @Test
    void unknownSamlProvidersAndCertificatesAreNoSuchEntity() {
        String missing = "arn:aws:iam::000000000000:saml-provider/none";
        assertFails(() -> iam.getSAMLProvider(r -> r.samlProviderArn(missing)), "NoSuchEntity");
        assertFails(() -> iam.deleteSAMLProvider(r -> r.samlProviderArn(missing)), "NoSuchEntity");
        assertFails(() -> iam.listSAMLProviderTags(r -> r.samlProviderArn(missing)), "NoSuchEntity");
        assertFails(() -> iam.updateServerCertificate(r -> r.serverCertificateName("none").newServerCertificateName("x")),
                "NoSuchEntity");
        assertFails(() -> iam.deleteServerCertificate(r -> r.serverCertificateName("none")), "NoSuchEntity");
        assertFails(() -> iam.tagInstanceProfile(r -> r.instanceProfileName("none").tags(t -> t.key("k").value("v"))),
                "NoSuchEntity");
    }
}
