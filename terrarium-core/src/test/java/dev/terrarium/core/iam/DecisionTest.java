package dev.terrarium.core.iam;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.terrarium.core.iam.PolicyCases.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Denials worded as AWS words them, traces, and the JSON of a decision. */
class DecisionTest {

    @Test
    void implicit_deny_message() {
        Decision d = PolicyEvaluator.evaluate(bob("s3:GetObject", "arn:aws:s3:::b/k"));
        assertThat(d.message()).isEqualTo("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: "
                + "s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action");
    }

    @Test
    void explicit_deny_and_boundary_messages() {
        Decision deny = PolicyEvaluator.evaluate(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(deny("s3:*", "*"))));
        assertThat(deny.message()).endsWith("on resource: arn:aws:s3:::b/k with an explicit deny in an identity-based policy");
        Decision boundary = PolicyEvaluator.evaluate(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .permissionsBoundary(identity(policy(allow("sqs:*", "*")))));
        assertThat(boundary.message()).endsWith("because no permissions boundary allows the s3:GetObject action");
        Decision scp = PolicyEvaluator.evaluate(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .serviceControlPolicies(java.util.List.of(java.util.List.of(identity(policy(deny("s3:*", "*")))))));
        assertThat(scp.message()).endsWith("with an explicit deny in a service control policy");
    }

    @Test
    void a_request_without_resource_names_none() {
        Decision d = PolicyEvaluator.evaluate(bob("s3:ListAllMyBuckets", null));
        assertThat(d.message()).isEqualTo("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: "
                + "s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action");
    }

    @Test
    void the_trace_names_each_statement_and_why() {
        Decision d = PolicyEvaluator.evaluate(with(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(
                "{'Sid':'Read','Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}}",
                allow("sqs:*", "*"))), "aws:SourceIp", "192.0.2.1"));
        assertThat(d.trace()).hasSize(2);
        assertThat(d.trace().get(0).sid()).isEqualTo("Read");
        assertThat(d.trace().get(0).matched()).isFalse();
        assertThat(d.trace().get(0).detail()).contains("IpAddress aws:SourceIp [10.0.0.0/8]").contains("192.0.2.1");
        assertThat(d.trace().get(1).detail()).isEqualTo("action not matched");
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_has_the_shape_of_decoded_authorization_messages() {
        Decision d = PolicyEvaluator.evaluate(with(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(deny("s3:*", "*"))),
                "aws:SourceIp", "127.0.0.1"));
        Map<String, Object> m = DecisionJson.toMap(d);
        assertThat(m).containsEntry("allowed", false).containsEntry("explicitDeny", true);
        Map<String, Object> context = (Map<String, Object>) m.get("context");
        assertThat(context).containsEntry("action", "s3:GetObject").containsEntry("resource", "arn:aws:s3:::b/k");
        assertThat(((Map<String, Object>) context.get("principal")).get("arn")).isEqualTo(USER_ARN);
        assertThat(DecisionJson.toJson(d)).contains("\"matchedStatements\":{\"items\":[{").contains("aws:SourceIp");
    }

    @Test
    void evaluation_is_fast() {
        AuthorizationRequest r = with(bob("s3:GetObject", "arn:aws:s3:::b/home/bob/k",
                policy(allow("s3:*", "arn:aws:s3:::b/home/${aws:username}/*"), deny("s3:DeleteBucket", "*")),
                policy(allowIf("sqs:*", "*", "{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}"))), "aws:SourceIp", "10.1.2.3");
        for (int i = 0; i < 20_000; i++) {
            PolicyEvaluator.evaluate(r);
        }
        long start = System.nanoTime();
        int n = 20_000;
        int allowed = 0;
        for (int i = 0; i < n; i++) {
            allowed += PolicyEvaluator.evaluate(r).allowed() ? 1 : 0;
        }
        long perRequestNanos = (System.nanoTime() - start) / n;
        assertThat(allowed).isEqualTo(n);
        System.out.println("policy evaluation: " + perRequestNanos + " ns per request");
        assertThat(perRequestNanos).isLessThan(100_000);
    }
}
