package dev.terrarium.core.conformance;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.protocol.Codecs;

import java.util.List;

/**
 * One service spoken over one wire protocol, named as botocore names protocols ("json", "rest-xml",
 * "smithy-rpc-v2-cbor"...): what the conformance suite drives through a codec.
 */
record Wire(String service, String botocoreProtocol) {

    /** The services and wires the suite covers: every protocol, and each service's alternative wires. */
    static final List<Wire> REQUEST_WIRES = List.of(
            json("dynamodb"), json("sqs"), new Wire("sqs", "query"), json("kinesis"), json("logs"),
            json("secretsmanager"), json("ssm"), json("kms"), json("stepfunctions"),
            restJson("lambda"), restJson("apigateway"), restJson("apigatewayv2"), restJson("sesv2"), restJson("eks"),
            restJson("appsync"),
            restXml("s3"), restXml("route53"), restXml("cloudfront"),
            query("sts"), query("iam"), query("sns"), query("cloudformation"), query("elbv2"), query("rds"),
            new Wire("ec2", "ec2"),
            new Wire("cloudwatch", "smithy-rpc-v2-cbor"), json("cloudwatch"), query("cloudwatch"));

    /** Every request wire; SQS's old query wire has its result wrappers and names from tools/overlays/sqs.json. */
    static final List<Wire> RESPONSE_WIRES = REQUEST_WIRES;

    private static Wire json(String s) { return new Wire(s, "json"); }
    private static Wire restJson(String s) { return new Wire(s, "rest-json"); }
    private static Wire restXml(String s) { return new Wire(s, "rest-xml"); }
    private static Wire query(String s) { return new Wire(s, "query"); }

    /** "cloudwatch:query", as the botocore scripts take it. */
    String spec() { return service + ":" + botocoreProtocol; }

    Protocol protocol(ServiceInfo info) {
        return botocoreProtocol.equals("json") ? Codecs.jsonProtocolOf(info) : Protocol.fromModel(botocoreProtocol);
    }

    boolean isXml() {
        return botocoreProtocol.equals("rest-xml") || botocoreProtocol.equals("query") || botocoreProtocol.equals("ec2");
    }

    boolean isJsonLike() {
        return botocoreProtocol.equals("json") || botocoreProtocol.equals("rest-json")
                || botocoreProtocol.equals("smithy-rpc-v2-cbor");
    }

    boolean isRest() {
        return botocoreProtocol.equals("rest-json") || botocoreProtocol.equals("rest-xml");
    }

    /** The protocol as Smithy names it, for display: awsJson1_0, restXml, rpcv2Cbor... */
    static String displayName(Protocol p) {
        return switch (p) {
            case AWS_JSON_1_0 -> "awsJson1_0";
            case AWS_JSON_1_1 -> "awsJson1_1";
            case REST_JSON_1 -> "restJson1";
            case REST_XML -> "restXml";
            case AWS_QUERY -> "awsQuery";
            case EC2_QUERY -> "ec2Query";
            case RPC_V2_CBOR -> "rpcv2Cbor";
        };
    }
}
