package dev.terrarium.core.iam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.terrarium.core.iam.PolicyCases.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IAM's policy grammar and the MalformedPolicyDocument messages it gives. */
class PolicyParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json|Syntax errors in policy.",
            "[]|Syntax errors in policy.",
            "{'Version':'2012-10-17'}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':[]}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Extra':1}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Foo':1,'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}|Syntax errors in policy.",
            "{'Version':'2010-01-01','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Permit','Action':'s3:*','Resource':'*'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Action':'s3:*','Resource':'*'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','NotAction':'s3:Get*','Resource':'*'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','NotResource':'*'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':5,'Resource':'*'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':'x'}}|Syntax errors in policy.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringFoo':{'a':'b'}}}}|Syntax errors in policy.",
            "{'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}|Policy document must be version 2012-10-17 or greater.",
            "{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}|Policy document must be version 2012-10-17 or greater.",
            "{'Version':'2012-10-17','Statement':{'Effect':'allow','Action':'s3:*','Resource':'*'}}|The policy failed legacy parsing",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'DateGreaterThan':{'aws:CurrentTime':'yesterday'}}}}|The policy failed legacy parsing",
            "{'Version':'2012-10-17','Statement':[{'Sid':'A','Effect':'Allow','Action':'s3:*','Resource':'*'},{'Sid':'A','Effect':'Deny','Action':'s3:*','Resource':'*'}]}|Statement IDs (SID) in a single policy must be unique.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Resource':'*'}}|Policy statement must contain actions.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':[],'Resource':'*'}}|Policy statement must contain actions.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*'}}|Policy statement must contain resources.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'bucket'}}|Resource bucket must be in ARN format or \"*\".",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:us-east-1::b'}}|Resource arn:aws:s3:us-east-1::b can not contain region information.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'iam:*','Resource':'arn:aws:iam:us-east-1:111122223333:user/x'}}|IAM resource arn:aws:iam:us-east-1:111122223333:user/x cannot contain region information.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3','Resource':'*'}}|Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:Get:Object','Resource':'*'}}|Actions/Condition can contain only one colon.",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s 3:GetObject','Resource':'*'}}|Vendor s 3 is not valid",
            "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':'*'}}|Policy document should not specify a principal.",
    })
    void identity_policies_are_refused_with_aws_messages(String policy, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(j(policy), PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class).hasMessage(message);
    }

    @Test
    void partition_errors_spell_out_the_resource() {
        assertThatThrownBy(() -> PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Action':'s3:*','Resource':'arn:azure:s3:::b'}}"), PolicyKind.IDENTITY))
                .hasMessage("Partition \"azure\" is not valid for resource \"arn:azure:s3:::b\".");
        assertThatThrownBy(() -> PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Action':'s3:*','Resource':'arn:azure:s3'}}"), PolicyKind.IDENTITY))
                .hasMessage("Partition \"azure\" is not valid for resource \"arn:azure:s3:*:*:*\".");
    }

    @Test
    void iam_resources_must_name_a_resource_type() {
        assertThatThrownBy(() -> PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Action':'iam:*','Resource':'arn:aws:iam::111122223333:bob'}}"), PolicyKind.IDENTITY))
                .hasMessageStartingWith("IAM resource path must either be \"*\" or start with user/, federated-user/, role/");
    }

    @Test
    void resource_policies_need_a_principal_and_trust_policies_no_resource() {
        assertThatThrownBy(() -> PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Action':'s3:*','Resource':'*'}}"), PolicyKind.RESOURCE))
                .hasMessage("Missing required field Principal");
        assertThatThrownBy(() -> PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'Service':'ec2.amazonaws.com'},'Action':'sts:AssumeRole','Resource':'*'}}"), PolicyKind.TRUST))
                .hasMessage("Has prohibited field Resource");
        assertThatThrownBy(() -> PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'Users':'x'},'Action':'sts:AssumeRole'}}"), PolicyKind.TRUST))
                .hasMessage("Invalid principal in policy: \"Users\"");
    }

    @Test
    void a_full_policy_parses_into_its_parts() {
        PolicyDocument d = PolicyDocument.parse(j("{'Version':'2012-10-17','Id':'p1','Statement':[{'Sid':'One','Effect':'Deny',"
                + "'NotAction':['iam:*','sts:*'],'NotResource':'arn:aws:s3:::b/*','Condition':{'ForAnyValue:StringLikeIfExists':"
                + "{'aws:TagKeys':['a*','b']},'Null':{'aws:TokenIssueTime':'true'}}}]}"), PolicyKind.IDENTITY);
        assertThat(d.id()).isEqualTo("p1");
        assertThat(d.variablesEnabled()).isTrue();
        Statement s = d.statements().get(0);
        assertThat(s.sid()).isEqualTo("One");
        assertThat(s.effect()).isEqualTo(Effect.DENY);
        assertThat(s.notAction()).isTrue();
        assertThat(s.actions()).containsExactly("iam:*", "sts:*");
        assertThat(s.notResource()).isTrue();
        assertThat(s.conditions()).hasSize(2);
        Condition c = s.conditions().get(0);
        assertThat(c.operator()).isEqualTo(ConditionOperator.STRING_LIKE);
        assertThat(c.qualifier()).isEqualTo(Condition.SetQualifier.FOR_ANY_VALUE);
        assertThat(c.ifExists()).isTrue();
        assertThat(c.values()).containsExactly("a*", "b");
    }

    @Test
    void trust_and_resource_policies_parse_principals() {
        PolicyDocument trust = PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                + "'Principal':{'AWS':['arn:aws:iam::111122223333:root','444455556666'],'Service':'lambda.amazonaws.com'},"
                + "'Action':'sts:AssumeRole'}}"), PolicyKind.TRUST);
        Statement s = trust.statements().get(0);
        assertThat(s.resources()).isNull();
        assertThat(s.principal().byType()).containsKeys("AWS", "Service");
        PolicyDocument bucket = PolicyDocument.parse(j("{'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/*'}}"), PolicyKind.RESOURCE);
        assertThat(bucket.statements().get(0).principal().anyone()).isTrue();
        assertThat(bucket.variablesEnabled()).isFalse();
    }

    @Test
    void numbers_and_booleans_in_conditions_are_read_as_text() {
        PolicyDocument d = PolicyDocument.parse(j("{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:*',"
                + "'Resource':'*','Condition':{'NumericLessThan':{'s3:max-keys':10},'Bool':{'aws:SecureTransport':true}}}}"),
                PolicyKind.IDENTITY);
        assertThat(d.statements().get(0).conditions()).extracting(Condition::values)
                .containsExactly(java.util.List.of("10"), java.util.List.of("true"));
    }
}
