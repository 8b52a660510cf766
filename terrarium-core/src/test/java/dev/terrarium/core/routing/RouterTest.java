package dev.terrarium.core.routing;

import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Protocol;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {
    private final Router router = new Router(Models.fromClasspath());

    private static HttpRequest req(String method, String path, String body, String... headers) {
        Headers h = new Headers();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return HttpRequest.of(method, path, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonTargetPicksServiceAndJsonVersion() {
        Route r = router.route(req("POST", "/", "{}", "X-Amz-Target", "DynamoDB_20120810.ListTables"), "dynamodb");
        assertThat(r.service().name()).isEqualTo("dynamodb");
        assertThat(r.protocol()).isEqualTo(Protocol.AWS_JSON_1_0);
        Route streams = router.route(req("POST", "/", "{}", "X-Amz-Target", "DynamoDBStreams_20120810.ListStreams"), "dynamodb");
        assertThat(streams.service().name()).isEqualTo("dynamodbstreams");
        Route logs = router.route(req("POST", "/", "{}", "X-Amz-Target", "Logs_20140328.CreateLogGroup"), "logs");
        assertThat(logs.protocol()).isEqualTo(Protocol.AWS_JSON_1_1);
    }

    @Test
    void sqsSpeaksJsonAndQuery() {
        assertThat(router.route(req("POST", "/", "{}", "X-Amz-Target", "AmazonSQS.ListQueues"), "sqs").protocol())
                .isEqualTo(Protocol.AWS_JSON_1_0);
        Route query = router.route(req("POST", "/", "Action=ListQueues&Version=2012-11-05",
                "Content-Type", "application/x-www-form-urlencoded"), "sqs");
        assertThat(query.service().name()).isEqualTo("sqs");
        assertThat(query.protocol()).isEqualTo(Protocol.AWS_QUERY);
    }

    @Test
    void cloudWatchOnAllThreeWires() {
        assertThat(router.route(req("POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics", "",
                "Smithy-Protocol", "rpc-v2-cbor"), "monitoring").protocol()).isEqualTo(Protocol.RPC_V2_CBOR);
        assertThat(router.route(req("POST", "/", "{}", "X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics"),
                "monitoring").protocol()).isEqualTo(Protocol.AWS_JSON_1_0);
        Route query = router.route(req("POST", "/", "Action=ListMetrics&Version=2010-08-01",
                "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), "monitoring");
        assertThat(query.service().name()).isEqualTo("cloudwatch");
        assertThat(query.protocol()).isEqualTo(Protocol.AWS_QUERY);
    }

    @Test
    void collidingSigningNames() {
        assertThat(router.route(req("GET", "/v2/apis", null), "apigateway").service().name()).isEqualTo("apigatewayv2");
        assertThat(router.route(req("GET", "/restapis", null), "apigateway").service().name()).isEqualTo("apigateway");
        assertThat(router.route(req("POST", "/", "Action=DescribeLoadBalancers&Version=2015-12-01",
                "Content-Type", "application/x-www-form-urlencoded"), "elasticloadbalancing").service().name()).isEqualTo("elbv2");
        assertThat(router.route(req("POST", "/", "Action=DescribeLoadBalancers&Version=2012-06-01",
                "Content-Type", "application/x-www-form-urlencoded"), "elasticloadbalancing").service().name()).isEqualTo("elb");
        assertThat(router.route(req("POST", "/v2/email/outbound-emails", "{}"), "ses").service().name()).isEqualTo("sesv2");
        assertThat(router.route(req("POST", "/", "Action=SendEmail&Version=2010-12-01",
                "Content-Type", "application/x-www-form-urlencoded"), "ses").service().name()).isEqualTo("ses");
        assertThat(router.route(req("GET", "/v20180820/configuration/publicAccessBlock", null), "s3").service().name())
                .isEqualTo("s3control");
        assertThat(router.route(req("GET", "/bucket/key", null), "s3").service().name()).isEqualTo("s3");
    }

    @Test
    void unsignedRequestsByActionVersionHostOrS3Fallback() {
        Route sts = router.route(req("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15",
                "Content-Type", "application/x-www-form-urlencoded"), null);
        assertThat(sts.service().name()).isEqualTo("sts");
        Route ses = router.route(req("GET", "/?Action=ListIdentities&Version=2010-12-01", null), null);
        assertThat(ses.service().name()).isEqualTo("ses");
        Route eb = router.route(req("GET", "/?Action=DescribeApplications&Version=2010-12-01", null), null);
        assertThat(eb.service().name()).isEqualTo("elasticbeanstalk");
        assertThat(router.route(req("GET", "/key", null, "Host", "bucket.s3.localhost.localstack.cloud:4566"), null)
                .service().name()).isEqualTo("s3");
        assertThat(Router.bucketFromHost("my-bucket.localhost")).isEqualTo("my-bucket");
        assertThat(Router.bucketFromHost("my.bucket.s3.localhost.localstack.cloud")).isEqualTo("my.bucket");
        assertThat(Router.bucketFromHost("localhost")).isNull();
        assertThat(router.route(req("GET", "/some-bucket", null), null).service().name()).isEqualTo("s3");
    }
}
