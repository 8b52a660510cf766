package dev.terrarium.services.s3;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

import java.time.Duration;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3RestoreAndAttributesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("arch"));
    }

    @Test
    void glacierObjectsAreReadableOnlyWhileRestored() {
        s3.putObject(b -> b.bucket("arch").key("cold").storageClass(StorageClass.GLACIER), RequestBody.fromString("ice"));
        assertThat(s3.headObject(b -> b.bucket("arch").key("cold")).storageClass()).isEqualTo(StorageClass.GLACIER);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("arch").key("cold")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidObjectState"))
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));

        RestoreObjectResponse first = s3.restoreObject(b -> b.bucket("arch").key("cold")
                .restoreRequest(r -> r.days(2).glacierJobParameters(j -> j.tier(Tier.STANDARD))));
        assertThat(first.sdkHttpResponse().statusCode()).isEqualTo(202);
        // a Standard restore of GLACIER takes hours: in progress until the clock gets there
        assertThat(s3.headObject(b -> b.bucket("arch").key("cold")).restore()).isEqualTo("ongoing-request=\"true\"");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("arch").key("cold")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidObjectState"));
        assertThatThrownBy(() -> s3.restoreObject(b -> b.bucket("arch").key("cold").restoreRequest(r -> r.days(1))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("RestoreAlreadyInProgress"))
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(409));
        terrarium.server().clock().advance(Duration.ofHours(6));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("arch").key("cold")).asUtf8String()).isEqualTo("ice");
        assertThat(s3.headObject(b -> b.bucket("arch").key("cold")).restore())
                .startsWith("ongoing-request=\"false\", expiry-date=");
        RestoreObjectResponse again = s3.restoreObject(b -> b.bucket("arch").key("cold").restoreRequest(r -> r.days(1)));
        assertThat(again.sdkHttpResponse().statusCode()).isEqualTo(200);

        terrarium.server().clock().advance(Duration.ofDays(3));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("arch").key("cold")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidObjectState"));
    }

    @Test
    void restoreErrors() {
        s3.putObject(b -> b.bucket("arch").key("warm"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.restoreObject(b -> b.bucket("arch").key("warm").restoreRequest(r -> r.days(1))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidObjectState"));
        assertThatThrownBy(() -> s3.restoreObject(b -> b.bucket("arch").key("none").restoreRequest(r -> r.days(1))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchKey"));
        s3.putObject(b -> b.bucket("arch").key("deep").storageClass(StorageClass.DEEP_ARCHIVE),
                RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.restoreObject(b -> b.bucket("arch").key("deep")
                .restoreRequest(r -> r.days(1).glacierJobParameters(j -> j.tier(Tier.EXPEDITED)))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidObjectState"));
        assertThatThrownBy(() -> s3.restoreObject(b -> b.bucket("arch").key("deep").restoreRequest(r -> r.days(0))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"));
    }

    @Test
    void attributesOfSingleAndMultipartObjects() {
        s3.putObject(b -> b.bucket("arch").key("one").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromString("hello"));
        GetObjectAttributesResponse one = s3.getObjectAttributes(b -> b.bucket("arch").key("one")
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE, ObjectAttributes.STORAGE_CLASS,
                        ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS));
        assertThat(one.eTag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(one.objectSize()).isEqualTo(5L);
        assertThat(one.storageClass()).isEqualTo(StorageClass.STANDARD);
        assertThat(one.checksum().checksumSHA256()).isNotNull();
        assertThat(one.objectParts()).isNull();
        assertThat(one.lastModified()).isNotNull();

        String id = s3.createMultipartUpload(b -> b.bucket("arch").key("mp")).uploadId();
        byte[] five = new byte[5 * 1024 * 1024];
        String e1 = s3.uploadPart(b -> b.bucket("arch").key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(five)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("arch").key("mp").uploadId(id).partNumber(2),
                RequestBody.fromString("tail")).eTag();
        s3.completeMultipartUpload(b -> b.bucket("arch").key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2))));
        GetObjectAttributesResponse mp = s3.getObjectAttributes(b -> b.bucket("arch").key("mp").maxParts(1)
                .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.E_TAG));
        assertThat(mp.eTag()).endsWith("-2");
        assertThat(mp.objectParts().totalPartsCount()).isEqualTo(2);
        assertThat(mp.objectParts().isTruncated()).isTrue();
        assertThat(mp.objectParts().parts()).hasSize(1);
        assertThat(mp.objectParts().parts().get(0).size()).isEqualTo(5L * 1024 * 1024);
        GetObjectAttributesResponse rest = s3.getObjectAttributes(b -> b.bucket("arch").key("mp")
                .partNumberMarker(1).objectAttributes(ObjectAttributes.OBJECT_PARTS));
        assertThat(rest.objectParts().parts().get(0).partNumber()).isEqualTo(2);
        assertThat(rest.objectParts().isTruncated()).isFalse();
    }

    @Test
    void attributeErrors() {
        assertThatThrownBy(() -> s3.getObjectAttributes(b -> b.bucket("arch").key("none")
                .objectAttributes(ObjectAttributes.E_TAG)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchKey"));
        s3.putObject(b -> b.bucket("arch").key("k"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.getObjectAttributes(b -> b.bucket("arch").key("k")
                .objectAttributesWithStrings("Color")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> s3.getObjectAttributes(b -> b.bucket("nobucket").key("k")
                .objectAttributes(ObjectAttributes.E_TAG)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchBucket"));
    }
}
