package dev.terrarium.services.iam;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ServiceLastAccessed;
import software.amazon.awssdk.services.iam.model.ServiceSpecificCredential;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.terrarium.core.testing.AwsErrors.assertFails;

/** Signing certificates, SSH keys, service-specific credentials, lesser resources' tags, and the access advisor. */
class IamCredentialsAndAdvisorTest {
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBsigning\n-----END CERTIFICATE-----";
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true)).resetBeforeEach();
    private static IamClient iam;

    @BeforeAll
    static void start() {
        iam = server.client(IamClient::builder);
    }

    @BeforeEach
    void reset() {
        iam.createUser(r -> r.userName("bob"));
    }

    private static String code(Throwable e) {
        return ((IamException) e).awsErrorDetails().errorCode();
    }

    private static String sshRsa(RSAPublicKey key) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] part : new byte[][]{"ssh-rsa".getBytes(), key.getPublicExponent().toByteArray(), key.getModulus().toByteArray()}) {
            out.writeInt(part.length);
            out.write(part);
        }
        return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " bob@laptop";
    }

    @Test
    void signing_certificates_and_ssh_keys() throws Exception {
        var cert = iam.uploadSigningCertificate(r -> r.userName("bob").certificateBody(CERT)).certificate();
        assertThat(cert.certificateId()).hasSize(28);
        assertThat(cert.statusAsString()).isEqualTo("Active");
        assertFails(() -> iam.uploadSigningCertificate(r -> r.userName("bob").certificateBody(CERT)), "DuplicateCertificate");
        assertFails(() -> iam.uploadSigningCertificate(r -> r.userName("bob").certificateBody("nope")), "MalformedCertificate");
        assertFails(() -> iam.uploadSigningCertificate(r -> r.userName("ghost").certificateBody(CERT)), "NoSuchEntity");
        iam.updateSigningCertificate(r -> r.userName("bob").certificateId(cert.certificateId()).status("Inactive"));
        assertThat(iam.listSigningCertificates(r -> r.userName("bob")).certificates()).singleElement()
                .satisfies(c -> assertThat(c.statusAsString()).isEqualTo("Inactive"));
        assertFails(() -> iam.deleteUser(r -> r.userName("bob")), "DeleteConflict");
        iam.deleteSigningCertificate(r -> r.userName("bob").certificateId(cert.certificateId()));
        assertFails(() -> iam.deleteSigningCertificate(r -> r.userName("bob").certificateId(cert.certificateId())), "NoSuchEntity");

        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey pub = (RSAPublicKey) g.generateKeyPair().getPublic();
        String body = sshRsa(pub);
        var key = iam.uploadSSHPublicKey(r -> r.userName("bob").sshPublicKeyBody(body)).sshPublicKey();
        assertThat(key.sshPublicKeyId()).startsWith("APKA").hasSize(20);
        assertThat(key.fingerprint()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
        assertFails(() -> iam.uploadSSHPublicKey(r -> r.userName("bob").sshPublicKeyBody(body)), "DuplicateSSHPublicKey");
        assertFails(() -> iam.uploadSSHPublicKey(r -> r.userName("bob").sshPublicKeyBody("ssh-rsa notbase64!")), "InvalidPublicKey");
        assertThat(iam.getSSHPublicKey(r -> r.userName("bob").sshPublicKeyId(key.sshPublicKeyId()).encoding("SSH"))
                .sshPublicKey().sshPublicKeyBody()).isEqualTo(body);
        String pem = iam.getSSHPublicKey(r -> r.userName("bob").sshPublicKeyId(key.sshPublicKeyId()).encoding("PEM"))
                .sshPublicKey().sshPublicKeyBody();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----").contains(Base64.getMimeEncoder().encodeToString(pub.getEncoded()).substring(0, 60));
        iam.updateSSHPublicKey(r -> r.userName("bob").sshPublicKeyId(key.sshPublicKeyId()).status("Inactive"));
        assertThat(iam.listSSHPublicKeys(r -> r.userName("bob")).sshPublicKeys()).singleElement()
                .satisfies(k -> assertThat(k.statusAsString()).isEqualTo("Inactive"));
        iam.deleteSSHPublicKey(r -> r.userName("bob").sshPublicKeyId(key.sshPublicKeyId()));
        assertThat(iam.listSSHPublicKeys(r -> r.userName("bob")).sshPublicKeys()).isEmpty();
    }

    @Test
    void service_specific_credentials() {
        ServiceSpecificCredential c = iam.createServiceSpecificCredential(r -> r.userName("bob")
                .serviceName("codecommit.amazonaws.com")).serviceSpecificCredential();
        assertThat(c.serviceUserName()).isEqualTo("bob-at-000000000000");
        assertThat(c.servicePassword()).isNotBlank();
        assertThat(c.serviceSpecificCredentialId()).startsWith("ACCA");
        assertFails(() -> iam.createServiceSpecificCredential(r -> r.userName("bob").serviceName("s3.amazonaws.com")), "NotSupportedService");
        iam.createServiceSpecificCredential(r -> r.userName("bob").serviceName("codecommit.amazonaws.com"));
        assertFails(() -> iam.createServiceSpecificCredential(r -> r.userName("bob").serviceName("codecommit.amazonaws.com")), "LimitExceeded");
        ServiceSpecificCredential bedrock = iam.createServiceSpecificCredential(r -> r.userName("bob")
                .serviceName("bedrock.amazonaws.com").credentialAgeDays(30)).serviceSpecificCredential();
        assertThat(bedrock.serviceCredentialSecret()).startsWith("ABSK");
        assertThat(bedrock.expirationDate()).isEqualTo(bedrock.createDate().plusSeconds(30L * 86400));
        String reset = iam.resetServiceSpecificCredential(r -> r.userName("bob").serviceSpecificCredentialId(c.serviceSpecificCredentialId()))
                .serviceSpecificCredential().servicePassword();
        assertThat(reset).isNotEqualTo(c.servicePassword());
        iam.updateServiceSpecificCredential(r -> r.userName("bob").serviceSpecificCredentialId(c.serviceSpecificCredentialId()).status("Inactive"));
        var listed = iam.listServiceSpecificCredentials(r -> r.userName("bob").serviceName("codecommit.amazonaws.com")).serviceSpecificCredentials();
        assertThat(listed).hasSize(2);
        assertThat(listed).filteredOn(m -> m.serviceSpecificCredentialId().equals(c.serviceSpecificCredentialId()))
                .singleElement().satisfies(m -> assertThat(m.statusAsString()).isEqualTo("Inactive"));
        iam.deleteServiceSpecificCredential(r -> r.userName("bob").serviceSpecificCredentialId(c.serviceSpecificCredentialId()));
        assertFails(() -> iam.resetServiceSpecificCredential(r -> r.userName("bob").serviceSpecificCredentialId(c.serviceSpecificCredentialId())),
                "NoSuchEntity");
    }

    @Test
    void tags_of_lesser_resources_and_provider_updates() {
        iam.createInstanceProfile(r -> r.instanceProfileName("web"));
        iam.tagInstanceProfile(r -> r.instanceProfileName("web").tags(Tag.builder().key("env").value("prod").build()));
        assertThat(iam.listInstanceProfileTags(r -> r.instanceProfileName("web")).tags()).extracting(Tag::key).containsExactly("env");
        iam.untagInstanceProfile(r -> r.instanceProfileName("web").tagKeys("env"));
        assertThat(iam.listInstanceProfileTags(r -> r.instanceProfileName("web")).tags()).isEmpty();
        assertFails(() -> iam.listInstanceProfileTags(r -> r.instanceProfileName("nope")), "NoSuchEntity");

        String oidc = iam.createOpenIDConnectProvider(r -> r.url("https://token.example.com").clientIDList("a")
                .thumbprintList("0".repeat(40))).openIDConnectProviderArn();
        iam.addClientIDToOpenIDConnectProvider(r -> r.openIDConnectProviderArn(oidc).clientID("b"));
        iam.removeClientIDFromOpenIDConnectProvider(r -> r.openIDConnectProviderArn(oidc).clientID("a"));
        iam.updateOpenIDConnectProviderThumbprint(r -> r.openIDConnectProviderArn(oidc).thumbprintList("1".repeat(40)));
        iam.tagOpenIDConnectProvider(r -> r.openIDConnectProviderArn(oidc).tags(Tag.builder().key("k").value("v").build()));
        var provider = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(oidc));
        assertThat(provider.clientIDList()).containsExactly("b");
        assertThat(provider.thumbprintList()).containsExactly("1".repeat(40));
        assertThat(provider.tags()).extracting(Tag::key).containsExactly("k");

        iam.uploadServerCertificate(r -> r.serverCertificateName("site").certificateBody(CERT).privateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----"));
        iam.tagServerCertificate(r -> r.serverCertificateName("site").tags(Tag.builder().key("owner").value("web").build()));
        iam.updateServerCertificate(r -> r.serverCertificateName("site").newServerCertificateName("site2").newPath("/prod/"));
        assertThat(iam.listServerCertificateTags(r -> r.serverCertificateName("site2")).tags()).extracting(Tag::value).containsExactly("web");
        assertThat(iam.getServerCertificate(r -> r.serverCertificateName("site2")).serverCertificate().serverCertificateMetadata().arn())
                .isEqualTo("arn:aws:iam::000000000000:server-certificate/prod/site2");
        assertFails(() -> iam.listServerCertificateTags(r -> r.serverCertificateName("site")), "NoSuchEntity");

        String serial = iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("bob-mfa")).virtualMFADevice().serialNumber();
        iam.enableMFADevice(r -> r.userName("bob").serialNumber(serial).authenticationCode1("123456").authenticationCode2("654321"));
        iam.tagMFADevice(r -> r.serialNumber(serial).tags(Tag.builder().key("t").value("1").build()));
        assertThat(iam.listMFADeviceTags(r -> r.serialNumber(serial)).tags()).hasSize(1);
        assertThat(iam.getMFADevice(r -> r.serialNumber(serial)).userName()).isEqualTo("bob");
        assertFails(() -> iam.getMFADevice(r -> r.serialNumber("arn:aws:iam::000000000000:mfa/none")), "NoSuchEntity");

        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"},\"StringLike\":{\"s3:prefix\":\"home/\"}}}]}";
        assertThat(iam.getContextKeysForCustomPolicy(r -> r.policyInputList(policy)).contextKeyNames())
                .containsExactly("aws:SourceIp", "s3:prefix");
        iam.putUserPolicy(r -> r.userName("bob").policyName("p").policyDocument(policy));
        assertThat(iam.getContextKeysForPrincipalPolicy(r -> r.policySourceArn("arn:aws:iam::000000000000:user/bob"))
                .contextKeyNames()).containsExactly("aws:SourceIp", "s3:prefix");
    }

    @Test
    void access_advisor_reports_allowed_services_and_last_use() {
        iam.attachUserPolicy(r -> r.userName("bob").policyArn("arn:aws:iam::aws:policy/AmazonS3FullAccess"));
        iam.putUserPolicy(r -> r.userName("bob").policyName("sqs").policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"));
        AccessKey key = iam.createAccessKey(r -> r.userName("bob")).accessKey();
        S3Client s3 = server.client(() -> S3Client.builder().forcePathStyle(true),
                AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        s3.listBuckets();
        String job = iam.generateServiceLastAccessedDetails(r -> r.arn("arn:aws:iam::000000000000:user/bob")).jobId();
        var details = iam.getServiceLastAccessedDetails(r -> r.jobId(job));
        assertThat(details.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(details.servicesLastAccessed()).extracting(ServiceLastAccessed::serviceNamespace).contains("s3", "sqs")
                .doesNotContain("iam");
        ServiceLastAccessed s3Row = details.servicesLastAccessed().stream().filter(x -> x.serviceNamespace().equals("s3")).findFirst().orElseThrow();
        assertThat(s3Row.lastAuthenticated()).isNotNull();
        assertThat(s3Row.lastAuthenticatedEntity()).isEqualTo("arn:aws:iam::000000000000:user/bob");
        assertThat(s3Row.totalAuthenticatedEntities()).isEqualTo(1);
        ServiceLastAccessed sqsRow = details.servicesLastAccessed().stream().filter(x -> x.serviceNamespace().equals("sqs")).findFirst().orElseThrow();
        assertThat(sqsRow.lastAuthenticated()).isNull();

        String policyJob = iam.generateServiceLastAccessedDetails(r -> r.arn("arn:aws:iam::aws:policy/AmazonS3FullAccess")).jobId();
        var entities = iam.getServiceLastAccessedDetailsWithEntities(r -> r.jobId(policyJob).serviceNamespace("s3")).entityDetailsList();
        assertThat(entities).singleElement().satisfies(e -> {
            assertThat(e.entityInfo().name()).isEqualTo("bob");
            assertThat(e.entityInfo().typeAsString()).isEqualTo("USER");
            assertThat(e.lastAuthenticated()).isNotNull();
        });
        var granting = iam.listPoliciesGrantingServiceAccess(r -> r.arn("arn:aws:iam::000000000000:user/bob")
                .serviceNamespaces("s3", "sqs", "iam")).policiesGrantingServiceAccess();
        assertThat(granting.get(0).policies()).singleElement().satisfies(p -> assertThat(p.policyName()).isEqualTo("AmazonS3FullAccess"));
        assertThat(granting.get(1).policies()).singleElement().satisfies(p -> {
            assertThat(p.policyTypeAsString()).isEqualTo("INLINE");
            assertThat(p.entityName()).isEqualTo("bob");
        });
        assertThat(granting.get(2).policies()).isEmpty();
        assertFails(() -> iam.getServiceLastAccessedDetails(r -> r.jobId("00000000-0000-0000-0000-000000000000")), "NoSuchEntity");
        assertFails(() -> iam.generateServiceLastAccessedDetails(r -> r.arn("arn:aws:iam::000000000000:user/ghost")), "NoSuchEntity");
        assertFails(() -> iam.generateServiceLastAccessedDetails(r -> r.arn("arn:aws:s3:::some-bucket-name")), "InvalidInput");
    }
}
