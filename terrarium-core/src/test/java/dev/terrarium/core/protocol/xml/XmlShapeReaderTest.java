package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XmlShapeReaderTest {
    static final ServiceModel S3 = Models.fromClasspath().model("s3");
    final XmlShapeReader reader = XmlShapeReader.restXml();

    /** The payload member of an S3 operation, read from the body botocore sends. */
    private Object payloadFromBotocore(String operation, String params) {
        HttpRequest req = Botocore.get().request("s3", operation, params);
        Member payload = S3.operation(operation).input().member(S3.operation(operation).input().payload());
        return reader.readValue(payload, reader.parse(req.body()));
    }

    private Object read(String memberOf, String member, String xml) {
        Member m = S3.shape(memberOf).member(member);
        return reader.readValue(m, reader.parse(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsWrappedListsWithItemNames() {
        Object tagging = payloadFromBotocore("PutBucketTagging",
                "{\"Bucket\":\"b\",\"Tagging\":{\"TagSet\":[{\"Key\":\"k1\",\"Value\":\"v1\"},{\"Key\":\"k 2\",\"Value\":\"\"}]}}");
        assertThat(tagging).isEqualTo(Struct.of("TagSet", List.of(Struct.of("Key", "k1", "Value", "v1"),
                Struct.of("Key", "k 2", "Value", ""))));
    }

    @Test
    void readsFlattenedListsBooleansNumbersAndTimestamps() {
        Object lifecycle = payloadFromBotocore("PutBucketLifecycleConfiguration",
                "{\"Bucket\":\"b\",\"LifecycleConfiguration\":{\"Rules\":[{\"ID\":\"r1\",\"Status\":\"Enabled\","
                        + "\"Filter\":{\"Prefix\":\"logs/\"},\"Expiration\":{\"Days\":30,\"ExpiredObjectDeleteMarker\":true}},"
                        + "{\"ID\":\"r2\",\"Status\":\"Disabled\",\"Filter\":{},"
                        + "\"Expiration\":{\"Date\":\"2030-01-01T00:00:00Z\"},"
                        + "\"Transitions\":[{\"Days\":1,\"StorageClass\":\"GLACIER\"},{\"Days\":2,\"StorageClass\":\"DEEP_ARCHIVE\"}]}]}}");
        Struct s = (Struct) lifecycle;
        List<Struct> rules = s.structs("Rules");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).struct("Expiration")).isEqualTo(Struct.of("Days", 30, "ExpiredObjectDeleteMarker", true));
        assertThat(rules.get(0).struct("Filter").string("Prefix")).isEqualTo("logs/");
        assertThat(rules.get(1).struct("Expiration").timestamp("Date")).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(rules.get(1).structs("Transitions")).extracting(t -> t.string("StorageClass"))
                .containsExactly("GLACIER", "DEEP_ARCHIVE");
    }

    @Test
    void readsAttributesWithNamespacePrefixes() {
        Object acl = payloadFromBotocore("PutBucketAcl",
                "{\"Bucket\":\"b\",\"AccessControlPolicy\":{\"Owner\":{\"ID\":\"o\"},\"Grants\":[{\"Grantee\":"
                        + "{\"Type\":\"Group\",\"URI\":\"http://acs.amazonaws.com/groups/global/AllUsers\"},\"Permission\":\"READ\"}]}}");
        Struct grant = ((Struct) acl).structs("Grants").get(0);
        assertThat(grant.struct("Grantee")).isEqualTo(
                Struct.of("Type", "Group", "URI", "http://acs.amazonaws.com/groups/global/AllUsers"));
        assertThat(grant.string("Permission")).isEqualTo("READ");
    }

    @Test
    void readsInputWithXmlNamespaceAndUnicode() {
        Object delete = payloadFromBotocore("DeleteObjects",
                "{\"Bucket\":\"b\",\"Delete\":{\"Objects\":[{\"Key\":\"日本/😀 <&>\"},{\"Key\":\"a\\r\\nb\"}],\"Quiet\":true}}");
        // botocore writes CR raw, so XML line-end normalisation turns CRLF into LF (as it does at AWS)
        assertThat(delete).isEqualTo(Struct.of("Objects",
                List.of(Struct.of("Key", "日本/😀 <&>"), Struct.of("Key", "a\nb")), "Quiet", true));
    }

    @Test
    void roundTripsWhatTheWriterWrites() {
        Struct value = Struct.of("TagSet", List.of(Struct.of("Key", "k", "Value", "\u0009tab & \"q\"")));
        StringBuilder sb = new StringBuilder();
        XmlShapeWriter.INSTANCE.writeStructure(sb, "Tagging", null, S3.shape("Tagging"), value);
        Object back = reader.readStructure(S3.shape("Tagging"), reader.parse(sb.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(back).isEqualTo(value);
    }

    @Test
    void readsFlattenedMaps() {
        ServiceModel sqs = Models.fromClasspath().model("sqs");
        Member attrs = sqs.shape("Message").member("Attributes");
        XmlNode node = reader.parse(("<Message><Attribute><Name>A</Name><Value>1</Value></Attribute>"
                + "<Attribute><Name>B</Name><Value>2</Value></Attribute></Message>").getBytes(StandardCharsets.UTF_8));
        assertThat(reader.readMember(attrs, node)).isEqualTo(Map.of("A", "1", "B", "2"));
    }

    @Test
    void rejectsExternalEntities() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Tagging [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Tagging><TagSet><Tag><Key>&xxe;</Key><Value>v</Value></Tag></TagSet></Tagging>";
        assertMalformed(xxe);
    }

    @Test
    void rejectsEntityExpansionBombs() {
        String lol = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><Tagging>&lol2;</Tagging>";
        assertMalformed(lol);
        assertMalformed("<!DOCTYPE Tagging SYSTEM \"http://example.com/x.dtd\"><Tagging/>");
    }

    @Test
    void rejectsMalformedDocuments() {
        assertMalformed("");
        assertMalformed("not xml");
        assertMalformed("<Tagging><TagSet></Tagging>");
        assertMalformed("<Tagging></Tagging><Second/>");
        assertMalformed("<Tagging>&unknown;</Tagging>");
        assertMalformed("<a>\u0001</a>");
        assertMalformed("<a>&#x0;</a>");
    }

    @Test
    void rejectsDeepNesting() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            deep.append("<a>");
        }
        assertMalformed(deep.toString());
        StringBuilder ok = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            ok.append("<a>");
        }
        for (int i = 0; i < 60; i++) {
            ok.append("</a>");
        }
        assertThat(reader.parse(ok.toString().getBytes(StandardCharsets.UTF_8)).name()).isEqualTo("a");
    }

    @Test
    void rejectsValuesThatDoNotFitTheirShape() {
        assertThatThrownBy(() -> read("LifecycleExpiration", "Days", "<Days>abc</Days>"))
                .isInstanceOf(AwsException.class).extracting("code").isEqualTo("MalformedXML");
        assertThatThrownBy(() -> read("LifecycleExpiration", "Days", "<Days>99999999999999999999</Days>"))
                .isInstanceOf(AwsException.class).extracting("code").isEqualTo("MalformedXML");
        assertThatThrownBy(() -> read("LifecycleExpiration", "Date", "<Date>yesterday</Date>"))
                .isInstanceOf(AwsException.class).extracting("code").isEqualTo("MalformedXML");
        assertThatThrownBy(() -> read("LifecycleExpiration", "ExpiredObjectDeleteMarker", "<E>yes</E>"))
                .isInstanceOf(AwsException.class).extracting("code").isEqualTo("MalformedXML");
        assertThat(read("LifecycleExpiration", "Days", "<Days> 7 </Days>")).isEqualTo(7);
    }

    @Test
    void malformedIsAnAwsErrorWithStatus400() {
        AwsException e = (AwsException) org.assertj.core.api.Assertions.catchThrowable(
                () -> reader.parse("<a>".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.code()).isEqualTo("MalformedXML");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("not well-formed");
    }

    private void assertMalformed(String xml) {
        assertThatThrownBy(() -> reader.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AwsException.class).extracting("code").isEqualTo("MalformedXML");
    }
}
