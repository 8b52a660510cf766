package dev.terrarium.core.model;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ModelResourcesTest {
    private static final String[] REQUIRED = {"sts", "iam", "organizations", "s3", "s3control", "dynamodb",
            "dynamodbstreams", "sqs", "sns", "lambda", "logs", "cloudwatch", "events", "scheduler", "kinesis", "firehose",
            "kms", "secretsmanager", "ssm", "cloudformation", "apigateway", "apigatewayv2", "stepfunctions", "cognito-idp",
            "cognito-identity", "ses", "sesv2", "acm", "route53", "ec2", "elbv2", "elb", "autoscaling", "ecs", "ecr", "eks",
            "rds", "elasticache", "cloudtrail", "config", "xray", "appsync", "wafv2", "shield", "codecommit", "codebuild",
            "codedeploy", "codepipeline", "elasticbeanstalk", "swf", "mq", "glue", "athena", "efs", "cloudfront",
            "resourcegroupstaggingapi"};

    @Test
    void everyRequiredServiceHasAModelThatLoads() {
        Models models = Models.fromClasspath();
        assertThat(models.source()).startsWith("botocore ");
        for (String name : REQUIRED) {
            ServiceModel model = models.model(name);
            assertThat(model).as(name).isNotNull();
            assertThat(model.operations()).as(name).isNotEmpty();
            model.operations().values().forEach(op -> assertThat(op.name()).isNotBlank());
        }
    }

    @Test
    void modelsLoadLazily() {
        Models models = Models.fromClasspath();
        assertThat(models.isLoaded("sqs")).isFalse();
        models.model("sqs");
        assertThat(models.isLoaded("sqs")).isTrue();
        assertThat(models.isLoaded("ec2")).isFalse();
    }

    @Test
    void shapesCarryTheirTraits() {
        ServiceModel sqs = Models.fromClasspath().model("sqs");
        Operation send = sqs.operation("SendMessage");
        assertThat(send.input().required()).containsExactly("QueueUrl", "MessageBody");
        assertThat(send.input().member("MessageAttributes").shape().type()).isEqualTo(ShapeType.MAP);
        Shape notFound = sqs.shape("QueueDoesNotExist");
        assertThat(notFound.exception()).isTrue();
        assertThat(notFound.error().code()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue"); // tools/overlays/sqs.json
        assertThat(sqs.errorShape("QueueDoesNotExist")).isSameAs(notFound);
        Shape malformedPolicy = Models.fromClasspath().model("sts").shape("MalformedPolicyDocumentException");
        assertThat(malformedPolicy.error().code()).isEqualTo("MalformedPolicyDocument");
        assertThat(malformedPolicy.error().httpStatusCode()).isEqualTo(400);
        assertThat(sqs.info().awsQueryCompatible()).isTrue();

        ServiceModel s3 = Models.fromClasspath().model("s3");
        Operation put = s3.operation("PutObject");
        assertThat(put.httpMethod()).isEqualTo("PUT");
        assertThat(put.uriTemplate().match("/bucket/a/b%20c.txt")).containsEntry("Bucket", "bucket").containsEntry("Key", "a/b c.txt");
        assertThat(put.input().member("Body").streaming()).isTrue();
        assertThat(put.input().member("ContentLength").location()).isEqualTo(Location.HEADER);
    }

    /** The committed resources are exactly what tools/convert_models.py makes from the installed botocore. */
    @Test
    void committedResourcesMatchARegeneration() throws Exception {
        File root = new File("..").getCanonicalFile();
        Process p = new ProcessBuilder("python3", "tools/convert_models.py", "--check", "sts", "sqs", "dynamodb")
                .directory(root).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }
}
