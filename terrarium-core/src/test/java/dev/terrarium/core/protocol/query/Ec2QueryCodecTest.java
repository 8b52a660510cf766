package dev.terrarium.core.protocol.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.xml.Botocore;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class Ec2QueryCodecTest {
    static final ServiceModel EC2 = Models.fromClasspath().model("ec2");
    final Ec2QueryCodec codec = new Ec2QueryCodec();

    private Struct parse(String operation, String paramsJson) {
        HttpRequest req = Botocore.get().request("ec2", operation, paramsJson);
        Operation op = codec.resolveOperation(EC2, req);
        assertThat(op).isNotNull().extracting(Operation::name).isEqualTo(operation);
        return codec.parseRequest(EC2, op, req);
    }

    private static HttpRequest form(String body) {
        Headers h = new Headers().add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        return HttpRequest.of("POST", "/", h, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void runInstancesWithCapitalizedLocationNamesQueryNamesAndFlattenedLists() {
        Struct in = parse("RunInstances", "{\"ImageId\":\"ami-1\",\"MinCount\":1,\"MaxCount\":2,"
                + "\"SecurityGroupIds\":[\"sg-1\",\"sg-2\"],"
                + "\"BlockDeviceMappings\":[{\"DeviceName\":\"/dev/sda1\",\"Ebs\":{\"VolumeSize\":8,\"DeleteOnTermination\":true}}],"
                + "\"TagSpecifications\":[{\"ResourceType\":\"instance\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"web 1\"}]}],"
                + "\"NetworkInterfaces\":[{\"DeviceIndex\":0,\"Ipv6Addresses\":[{\"Ipv6Address\":\"::1\"}],"
                + "\"Groups\":[\"sg-3\"]}],\"UserData\":\"IyEvYmluL3NoCg==\"}");
        assertThat(in.get("MinCount")).isEqualTo(1);
        assertThat(in.get("MaxCount")).isEqualTo(2);
        assertThat(in.list("SecurityGroupIds")).containsExactly("sg-1", "sg-2");
        assertThat(in.structs("BlockDeviceMappings")).containsExactly(Struct.of("Ebs",
                Struct.of("DeleteOnTermination", true, "VolumeSize", 8), "DeviceName", "/dev/sda1"));
        assertThat(in.structs("TagSpecifications")).containsExactly(Struct.of("ResourceType", "instance",
                "Tags", List.of(Struct.of("Key", "Name", "Value", "web 1"))));
        Struct nic = in.structs("NetworkInterfaces").get(0);
        assertThat(nic.get("DeviceIndex")).isEqualTo(0);
        assertThat(nic.list("Groups")).containsExactly("sg-3");
        assertThat(nic.structs("Ipv6Addresses")).containsExactly(Struct.of("Ipv6Address", "::1"));
        assertThat(in.string("UserData")).isEqualTo("IyEvYmluL3NoCg==");
    }

    @Test
    void describeInstancesFilters() {
        Struct in = parse("DescribeInstances", "{\"Filters\":[{\"Name\":\"tag:Name\",\"Values\":[\"a\",\"b\"]},"
                + "{\"Name\":\"instance-state-name\",\"Values\":[\"running\"]}],\"MaxResults\":5,\"DryRun\":false}");
        assertThat(in).isEqualTo(Struct.of("DryRun", false,
                "Filters", List.of(Struct.of("Name", "tag:Name", "Values", List.of("a", "b")),
                        Struct.of("Name", "instance-state-name", "Values", List.of("running"))),
                "MaxResults", 5));
    }

    @Test
    void responseHasRequestIdAndNoResultWrapper() {
        Struct out = Struct.of("Reservations", List.of(Struct.of("ReservationId", "r-1", "OwnerId", "000000000000",
                "Instances", List.of(Struct.of("InstanceId", "i-1", "LaunchTime", Instant.parse("2024-01-01T00:00:00Z"),
                        "State", Struct.of("Code", 16, "Name", "running"),
                        "Tags", List.of(Struct.of("Key", "Name", "Value", "web & db")), "EbsOptimized", false)))));
        HttpResponse r = codec.serializeResponse(EC2, EC2.operation("DescribeInstances"), out, "rid-3");
        assertThat(r.bodyText()).startsWith("<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>rid-3</requestId><reservationSet><item><reservationId>r-1</reservationId>")
                .endsWith("</reservationSet></DescribeInstancesResponse>");
        JsonNode parsed = Botocore.get().parse("ec2", "DescribeInstances", r);
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("rid-3");
        JsonNode instance = parsed.at("/Reservations/0/Instances/0");
        assertThat(instance.at("/InstanceId").asText()).isEqualTo("i-1");
        assertThat(instance.at("/State/Code").asInt()).isEqualTo(16);
        assertThat(instance.at("/Tags/0/Value").asText()).isEqualTo("web & db");
        assertThat(instance.at("/LaunchTime").asText()).isEqualTo("2024-01-01T00:00:00.000000Z");
    }

    @Test
    void errorsUseTheResponseErrorsShape() {
        HttpResponse r = codec.serializeError(EC2, EC2.operation("DescribeInstances"),
                new AwsException("InvalidInstanceID.NotFound", "The instance ID 'i-9' does not exist", 400), "rid-4");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).isEqualTo("<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>"
                + "<Message>The instance ID 'i-9' does not exist</Message></Error></Errors>"
                + "<RequestID>rid-4</RequestID></Response>");
        JsonNode parsed = Botocore.get().parse("ec2", "DescribeInstances", r);
        assertThat(parsed.at("/Error/Code").asText()).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("rid-4");
    }

    @Test
    void badInput() {
        HttpRequest unknown = form("Action=LaunchRockets&Version=2016-11-15");
        assertThat(codec.resolveOperation(EC2, unknown)).isNull();
        AwsException e = codec.unresolvedOperation(EC2, unknown);
        assertThat(e.code()).isEqualTo("InvalidAction");
        assertThat(e.status()).isEqualTo(400);
        assertThat(codec.unresolvedOperation(EC2, form("Version=2016-11-15")).code()).isEqualTo("MissingAction");

        HttpRequest bad = form("Action=DescribeInstances&MaxResults=lots");
        AwsException badValue = catchThrowableOfType(
                () -> codec.parseRequest(EC2, EC2.operation("DescribeInstances"), bad), AwsException.class);
        assertThat(badValue.code()).isEqualTo("InvalidParameterValue");
        assertThat(badValue.getMessage()).contains("MaxResults").contains("lots");

        HttpRequest huge = form("Action=RunInstances&MinCount=1&MaxCount=4294967296");
        assertThat(catchThrowableOfType(() -> codec.parseRequest(EC2, EC2.operation("RunInstances"), huge),
                AwsException.class).code()).isEqualTo("InvalidParameterValue");
    }
}
