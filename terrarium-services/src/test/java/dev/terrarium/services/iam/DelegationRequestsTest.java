package dev.terrarium.services.iam;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.DelegationRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetDelegatedAccessTokenResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.terrarium.core.testing.AwsErrors.assertFails;

/** Temporary delegation: a partner's request through its states, and the exchange token traded in through STS. */
class DelegationRequestsTest {
    private static final String CUSTOMER = "000000000000";
    private static final String PARTNER = "333344445555";
    private static final AwsCredentials PARTNER_ROOT = AwsBasicCredentials.create(PARTNER, "test");
    @RegisterExtension
    static final TerrariumExtension server = new TerrariumExtension(Config.defaults().withPort(0).withEnforceIam(true)
            .withVirtualClock(true)).resetBeforeEach();

    @BeforeEach
    void partner() {
        server.server().credentials().register(new Credential(PARTNER, "test", null, Identity.root(PARTNER, PARTNER), null));
    }

    private static String create(IamClient partner, String owner) {
        return partner.createDelegationRequest(r -> r.ownerAccountId(owner).description("Read your buckets for the audit")
                .permissions(p -> p.policyTemplateArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"))
                .requestorWorkflowId("wf-" + System.nanoTime()).notificationChannel("arn:aws:sns:us-east-1:" + PARTNER + ":delegations")
                .sessionDuration(3600)).delegationRequestId();
    }

    @Test
    void a_request_goes_from_unassigned_to_finalized_and_its_token_buys_limited_credentials() {
        IamClient customer = server.client(IamClient::builder);
        customer.createUser(r -> r.userName("approver"));
        customer.attachUserPolicy(r -> r.userName("approver").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        AccessKey key = customer.createAccessKey(r -> r.userName("approver")).accessKey();
        IamClient approver = server.client(IamClient::builder, AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        server.client(() -> S3Client.builder().forcePathStyle(true)).createBucket(r -> r.bucket("customer-data"));

        IamClient partner = server.client(IamClient::builder, PARTNER_ROOT);
        String id = create(partner, CUSTOMER);
        DelegationRequest created = partner.getDelegationRequest(r -> r.delegationRequestId(id)).delegationRequest();
        assertThat(created.stateAsString()).isEqualTo("UNASSIGNED");
        assertThat(created.requestorId()).isEqualTo(PARTNER);
        assertThat(created.permissionPolicy()).contains("s3:Get*");
        // a readable summary, written from the request and its permission policy's statements
        String arn = "arn:aws:iam::" + PARTNER + ":delegation-request/" + id;
        var summary = partner.getHumanReadableSummary(r -> r.entityArn(arn));
        assertThat(summary.summaryStateAsString()).isEqualTo("AVAILABLE");
        assertThat(summary.summaryContent()).startsWith("Account " + PARTNER + " asks for temporary access for 1 hour: "
                + "Read your buckets for the audit").contains("- Allows s3 every action whose name starts with Get")
                .contains("on all resources.");
        assertThat(partner.getHumanReadableSummary(r -> r.entityArn(arn).locale("fr-FR")).summaryStateAsString())
                .isEqualTo("NOT_SUPPORTED");
        assertFails(() -> partner.getHumanReadableSummary(r -> r.entityArn("arn:aws:iam::" + PARTNER + ":user/bob")), 400,
                "InvalidInput", "the only supported entity type is delegation-request");

        // nothing but associating is possible before the request has an owner
        assertFails(() -> approver.acceptDelegationRequest(r -> r.delegationRequestId(id)), 404, "NoSuchEntity", id);
        approver.associateDelegationRequest(r -> r.delegationRequestId(id));
        assertFails(() -> approver.associateDelegationRequest(r -> r.delegationRequestId(id)), 400, "InvalidInput", "in state ASSIGNED");
        assertFails(() -> approver.sendDelegationToken(r -> r.delegationRequestId(id)), 400, "InvalidInput", "in state ASSIGNED");
        approver.updateDelegationRequest(r -> r.delegationRequestId(id).notes("fine for the Q3 audit"));
        DelegationRequest pending = approver.getDelegationRequest(r -> r.delegationRequestId(id).delegationPermissionCheck(true))
                .delegationRequest();
        assertThat(pending.stateAsString()).isEqualTo("PENDING_APPROVAL");
        assertThat(pending.ownerId()).isEqualTo("arn:aws:iam::" + CUSTOMER + ":user/approver");
        assertThat(pending.notes()).isEqualTo("fine for the Q3 audit");
        assertThat(approver.getDelegationRequest(r -> r.delegationRequestId(id).delegationPermissionCheck(true))
                .permissionCheckResultAsString()).isEqualTo("ALLOWED");
        assertThat(approver.listDelegationRequests(r -> r.ownerId("arn:aws:iam::" + CUSTOMER + ":user/approver"))
                .delegationRequests()).extracting(DelegationRequest::delegationRequestId).containsExactly(id);
        approver.acceptDelegationRequest(r -> r.delegationRequestId(id));
        approver.sendDelegationToken(r -> r.delegationRequestId(id));
        assertThat(partner.getDelegationRequest(r -> r.delegationRequestId(id)).delegationRequest().stateAsString()).isEqualTo("FINALIZED");
        assertFails(() -> approver.rejectDelegationRequest(r -> r.delegationRequestId(id)), 400, "InvalidInput", "in state FINALIZED");

        // the partner trades the token in: credentials of the approver, limited to the delegated policy
        String token = ((IamService) server.server().registry().implementation("iam").service()).sentDelegationToken(id);
        StsClient partnerSts = server.client(StsClient::builder, PARTNER_ROOT);
        GetDelegatedAccessTokenResponse access = partnerSts.getDelegatedAccessToken(r -> r.tradeInToken(token));
        assertThat(access.assumedPrincipal()).isEqualTo("arn:aws:iam::" + CUSTOMER + ":user/approver");
        AwsCredentials delegated = TerrariumExtension.session(access.credentials().accessKeyId(),
                access.credentials().secretAccessKey(), access.credentials().sessionToken());
        assertThat(server.client(() -> S3Client.builder().forcePathStyle(true), delegated).listObjectsV2(r -> r.bucket("customer-data"))
                .keyCount()).isZero();
        assertFails(() -> server.client(SqsClient::builder, delegated).createQueue(r -> r.queueName("nope")), 403, "AccessDeniedException",
                "because no session policy allows the sqs:CreateQueue action");
        // a token is traded in once
        assertFails(() -> partnerSts.getDelegatedAccessToken(r -> r.tradeInToken(token)), 400, "ExpiredTradeInTokenException",
                "has expired or is not valid");
    }

    @Test
    void owner_account_rejection_and_expiry() {
        IamClient partner = server.client(IamClient::builder, PARTNER_ROOT);
        IamClient customer = server.client(IamClient::builder);
        // a request meant for another account is invisible to this one
        String elsewhere = create(partner, "999988887777");
        assertFails(() -> customer.associateDelegationRequest(r -> r.delegationRequestId(elsewhere)), 404, "NoSuchEntity", elsewhere);
        assertFails(() -> customer.getDelegationRequest(r -> r.delegationRequestId(elsewhere)), 404, "NoSuchEntity", elsewhere);
        // an accepted request may still be rejected before its token is sent
        String id = create(partner, null);
        customer.associateDelegationRequest(r -> r.delegationRequestId(id));
        customer.acceptDelegationRequest(r -> r.delegationRequestId(id));
        customer.rejectDelegationRequest(r -> r.delegationRequestId(id).notes("changed my mind"));
        DelegationRequest rejected = partner.getDelegationRequest(r -> r.delegationRequestId(id)).delegationRequest();
        assertThat(rejected.stateAsString()).isEqualTo("REJECTED");
        assertThat(rejected.rejectionReason()).isEqualTo("changed my mind");
        assertThat(rejected.ownerAccountId()).isEqualTo(CUSTOMER);
        assertFails(() -> customer.sendDelegationToken(r -> r.delegationRequestId(id)), 400, "InvalidInput", "in state REJECTED");
        // one left waiting expires
        String waiting = create(partner, CUSTOMER);
        assertThat(server.raw("POST", "/_terrarium/clock/advance?seconds=" + 8 * 86400, null, null).statusCode()).isEqualTo(200);
        assertThat(partner.getDelegationRequest(r -> r.delegationRequestId(waiting)).delegationRequest().stateAsString()).isEqualTo("EXPIRED");
        assertFails(() -> customer.associateDelegationRequest(r -> r.delegationRequestId(waiting)), 400, "InvalidInput", "in state EXPIRED");
        assertFails(() -> partner.getDelegationRequest(r -> r.delegationRequestId("dr-doesnotexist0000")), 404, "NoSuchEntity", "does not exist");
    }
}
