package dev.terrarium.core.model;

/** The AWS wire protocols. */
public enum Protocol {
    AWS_JSON_1_0, AWS_JSON_1_1, REST_JSON_1, REST_XML, AWS_QUERY, EC2_QUERY, RPC_V2_CBOR;

    /** From botocore's metadata "protocol"/"protocols" value; JSON's version is resolved by the caller. */
    public static Protocol fromModel(String id) {
        return switch (id) {
            case "json" -> AWS_JSON_1_1;
            case "rest-json" -> REST_JSON_1;
            case "rest-xml" -> REST_XML;
            case "query" -> AWS_QUERY;
            case "ec2" -> EC2_QUERY;
            case "smithy-rpc-v2-cbor" -> RPC_V2_CBOR;
            default -> throw new IllegalArgumentException("unknown protocol " + id);
        };
    }

    public boolean isJsonRpc() { return this == AWS_JSON_1_0 || this == AWS_JSON_1_1; }
    public boolean isQuery() { return this == AWS_QUERY || this == EC2_QUERY; }
}
