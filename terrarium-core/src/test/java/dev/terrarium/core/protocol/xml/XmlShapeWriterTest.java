package dev.terrarium.core.protocol.xml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class XmlShapeWriterTest {
    static final ServiceModel S3 = Models.fromClasspath().model("s3");
    static final ServiceModel EC2 = Models.fromClasspath().model("ec2");
    final XmlShapeWriter writer = XmlShapeWriter.INSTANCE;

    private String write(ServiceModel model, String root, String shape, Struct value) {
        StringBuilder sb = new StringBuilder();
        writer.writeStructure(sb, root, "http://s3.amazonaws.com/doc/2006-03-01/", model.shape(shape), value);
        return sb.toString();
    }

    @Test
    void flattenedListsTimestampsBooleansAndNumbers() {
        Struct out = Struct.of("IsTruncated", false, "Name", "bucket", "KeyCount", 2, "MaxKeys", 1000,
                "Contents", List.of(
                        Struct.of("Key", "a.txt", "Size", 3L, "LastModified", Instant.parse("2024-01-02T03:04:05Z"),
                                "ETag", "\"abc\""),
                        Struct.of("Key", "b.txt", "Size", 5_000_000_000L,
                                "LastModified", Instant.parse("2024-01-02T03:04:05.120Z"))),
                "CommonPrefixes", List.of(Struct.of("Prefix", "dir/")));
        String xml = write(S3, "ListBucketResult", "ListObjectsV2Output", out);
        assertThat(xml).startsWith("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        + "<IsTruncated>false</IsTruncated><Contents><Key>a.txt</Key>"
                        + "<LastModified>2024-01-02T03:04:05Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>3</Size></Contents>")
                .contains("<LastModified>2024-01-02T03:04:05.120Z</LastModified>")
                .contains("<Size>5000000000</Size>")
                .contains("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>")
                .endsWith("<KeyCount>2</KeyCount></ListBucketResult>");

        JsonNode parsed = Botocore.get().parse("s3", "ListObjectsV2", HttpResponse.text(200, "application/xml", xml));
        assertThat(parsed.get("Contents")).hasSize(2);
        assertThat(parsed.at("/Contents/0/ETag").asText()).isEqualTo("\"abc\"");
        assertThat(parsed.at("/Contents/1/Size").asLong()).isEqualTo(5_000_000_000L);
        assertThat(parsed.at("/Contents/1/LastModified").asText()).isEqualTo("2024-01-02T03:04:05.120000Z");
        assertThat(parsed.at("/CommonPrefixes/0/Prefix").asText()).isEqualTo("dir/");
        assertThat(parsed.get("IsTruncated").asBoolean(true)).isFalse();
    }

    @Test
    void wrappedListsWithItemNamesAndAttributesWithNamespaces() {
        Struct acl = Struct.of("Owner", Struct.of("ID", "owner-id"),
                "Grants", List.of(Struct.of("Grantee", Struct.of("Type", "CanonicalUser", "ID", "abc"),
                        "Permission", "FULL_CONTROL")));
        String xml = write(S3, "AccessControlPolicy", "GetBucketAclOutput", acl);
        assertThat(xml).contains("<Owner><ID>owner-id</ID></Owner>")
                .contains("<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " xsi:type=\"CanonicalUser\"><ID>abc</ID></Grantee><Permission>FULL_CONTROL</Permission>"
                        + "</Grant></AccessControlList>");
        JsonNode parsed = Botocore.get().parse("s3", "GetBucketAcl", HttpResponse.text(200, "application/xml", xml));
        assertThat(parsed.at("/Grants/0/Grantee/Type").asText()).isEqualTo("CanonicalUser");
        assertThat(parsed.at("/Grants/0/Grantee/ID").asText()).isEqualTo("abc");
    }

    @Test
    void emptyWrappedListIsAnEmptyElementAndEmptyFlattenedListIsNothing() {
        String xml = write(S3, "Tagging", "GetBucketTaggingOutput", Struct.of("TagSet", List.of()));
        assertThat(xml).isEqualTo("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet/></Tagging>");
        String flat = write(S3, "R", "ListObjectsV2Output", Struct.of("Contents", List.of(), "Name", "b"));
        assertThat(flat).isEqualTo("<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name></R>");
    }

    @Test
    void escapesXmlSpecialsAndControlCharacters() {
        StringBuilder sb = new StringBuilder();
        XmlShapeWriter.escapeText(sb, "a<b>&\"c'\r\n\t\u0001\u0000\uD800 é 日本 😀");
        assertThat(sb.toString()).isEqualTo("a&lt;b&gt;&amp;&quot;c'&#xD;\n\t&#x1;\uFFFD\uFFFD é 日本 😀");
        StringBuilder attr = new StringBuilder();
        XmlShapeWriter.escapeAttribute(attr, "x\"\n\ty");
        assertThat(attr.toString()).isEqualTo("x&quot;&#xA;&#x9;y");
    }

    @Test
    void unicodeAndSpecialsSurviveBotocoreParsing() {
        String key = "k<&>\"' é 日本 😀\r\nline";
        String xml = write(S3, "ListBucketResult", "ListObjectsV2Output",
                Struct.of("Contents", List.of(Struct.of("Key", key))));
        JsonNode parsed = Botocore.get().parse("s3", "ListObjectsV2", HttpResponse.text(200, "application/xml", xml));
        assertThat(parsed.at("/Contents/0/Key").asText()).isEqualTo(key);
    }

    @Test
    void mapsWrappedAndFlattened() {
        ServiceModel sqs = Models.fromClasspath().model("sqs");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("SenderId", "AIDA");
        attrs.put("SentTimestamp", "1");
        StringBuilder flat = new StringBuilder();
        writer.writeMembers(flat, sqs.shape("Message"), Struct.of("MessageId", "m1", "Attributes", attrs));
        assertThat(flat.toString()).isEqualTo("<MessageId>m1</MessageId>"
                + "<Attribute><Name>SenderId</Name><Value>AIDA</Value></Attribute>"
                + "<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>");

        ServiceModel sns = Models.fromClasspath().model("sns");
        StringBuilder wrapped = new StringBuilder();
        writer.writeMembers(wrapped, sns.shape("GetTopicAttributesResponse"),
                Struct.of("Attributes", Map.of("Policy", "{}")));
        assertThat(wrapped.toString())
                .isEqualTo("<Attributes><entry><key>Policy</key><value>{}</value></entry></Attributes>");
    }

    @Test
    void ec2ListsUseItemElements() {
        StringBuilder sb = new StringBuilder();
        writer.writeMembers(sb, EC2.shape("DescribeKeyPairsResult"),
                Struct.of("KeyPairs", List.of(Struct.of("KeyName", "k1", "KeyFingerprint", "ff"))));
        assertThat(sb.toString()).isEqualTo(
                "<keySet><item><keyName>k1</keyName><keyFingerprint>ff</keyFingerprint></item></keySet>");
    }

    @Test
    void doublesAndFloatsSpellSpecialValues() {
        assertThat(ScalarText.format(null, Double.NaN, null)).isEqualTo("NaN");
        assertThat(ScalarText.format(null, Double.NEGATIVE_INFINITY, null)).isEqualTo("-Infinity");
        assertThat(ScalarText.format(null, 0.1f, null)).isEqualTo("0.1");
        assertThat(ScalarText.format(null, 1.5, null)).isEqualTo("1.5");
        assertThat(ScalarText.format(null, new byte[]{1, 2, 3}, null)).isEqualTo("AQID");
        assertThat(ScalarText.format(null, Instant.ofEpochSecond(1, 500_000_000), "unixTimestamp")).isEqualTo("1.5");
        assertThat(ScalarText.format(null, Instant.ofEpochSecond(784111777), "rfc822"))
                .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
