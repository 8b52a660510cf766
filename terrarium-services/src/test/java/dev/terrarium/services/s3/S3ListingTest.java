package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ListingTest {
    private static final List<String> KEYS = List.of("a.txt", "dir/one", "dir/sub/two", "dir/three", "zeta",
            "other/x", "other/y");
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
        s3.createBucket(b -> b.bucket("list"));
        for (String k : KEYS) {
            s3.putObject(b -> b.bucket("list").key(k), RequestBody.fromString(k));
        }
    }

    @Test
    void allKeysInOrder() {
        ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket("list"));
        assertThat(r.contents()).extracting(S3Object::key)
                .containsExactly("a.txt", "dir/one", "dir/sub/two", "dir/three", "other/x", "other/y", "zeta");
        assertThat(r.keyCount()).isEqualTo(7);
        assertThat(r.isTruncated()).isFalse();
        assertThat(r.maxKeys()).isEqualTo(1000);
        assertThat(r.contents().get(0).size()).isEqualTo(5L);
        assertThat(r.contents().get(0).storageClassAsString()).isEqualTo("STANDARD");
        assertThat(r.contents().get(0).owner()).isNull();
        assertThat(s3.listObjectsV2(b -> b.bucket("list").fetchOwner(true)).contents().get(0).owner().id()).hasSize(64);
    }

    @Test
    void prefixAndDelimiterRollUp() {
        ListObjectsV2Response root = s3.listObjectsV2(b -> b.bucket("list").delimiter("/"));
        assertThat(root.contents()).extracting(S3Object::key).containsExactly("a.txt", "zeta");
        assertThat(root.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir/", "other/");
        ListObjectsV2Response dir = s3.listObjectsV2(b -> b.bucket("list").prefix("dir/").delimiter("/"));
        assertThat(dir.contents()).extracting(S3Object::key).containsExactly("dir/one", "dir/three");
        assertThat(dir.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir/sub/");
        assertThat(dir.keyCount()).isEqualTo(3);
    }

    @Test
    void continuationPagesThroughEverythingOnce() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("list").maxKeys(2).delimiter("/")
                    .continuationToken(t));
            page.contents().forEach(o -> seen.add(o.key()));
            page.commonPrefixes().forEach(p -> seen.add(p.prefix()));
            token = page.nextContinuationToken();
            assertThat(page.isTruncated()).isEqualTo(token != null);
            pages++;
        } while (token != null);
        assertThat(seen).containsExactlyInAnyOrder("a.txt", "dir/", "other/", "zeta");
        assertThat(pages).isEqualTo(2);
        List<String> paginated = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket("list").maxKeys(3)).contents().forEach(o -> paginated.add(o.key()));
        assertThat(paginated).hasSize(7);
    }

    @Test
    void startAfterAndEncoding() {
        assertThat(s3.listObjectsV2(b -> b.bucket("list").startAfter("dir/three")).contents())
                .extracting(S3Object::key).containsExactly("other/x", "other/y", "zeta");
        ListObjectsV2Response encoded = s3.listObjectsV2(b -> b.bucket("list").prefix("dir/").encodingType("url"));
        assertThat(encoded.prefix()).isEqualTo("dir/");
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("list").encodingType("base64")))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("list").continuationToken("!!!")))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        S3TestSupport.Raw raw = S3TestSupport.raw(terrarium, "GET", "localhost",
                "/list?list-type=2&prefix=dir%2F&encoding-type=url", null);
        assertThat(raw.text()).contains("<EncodingType>url</EncodingType>").contains("<Key>dir/one</Key>");
    }

    @Test
    void listObjectsV1Markers() {
        ListObjectsResponse first = s3.listObjects(b -> b.bucket("list").maxKeys(3));
        assertThat(first.contents()).extracting(S3Object::key).containsExactly("a.txt", "dir/one", "dir/sub/two");
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.nextMarker()).isNull();
        ListObjectsResponse next = s3.listObjects(b -> b.bucket("list").marker("dir/sub/two"));
        assertThat(next.contents()).extracting(S3Object::key).startsWith("dir/three");
        ListObjectsResponse delimited = s3.listObjects(b -> b.bucket("list").delimiter("/").maxKeys(2));
        assertThat(delimited.nextMarker()).isEqualTo("dir/");
        ListObjectsResponse rest = s3.listObjects(b -> b.bucket("list").delimiter("/").marker("dir/"));
        assertThat(rest.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("other/");
        assertThat(rest.contents()).extracting(S3Object::key).containsExactly("zeta");
    }

    @Test
    void maxKeysZeroAndNegative() {
        assertThat(s3.listObjectsV2(b -> b.bucket("list").maxKeys(0)).contents()).isEmpty();
        S3TestSupport.Raw raw = S3TestSupport.raw(terrarium, "GET", "localhost", "/list?list-type=2&max-keys=-1", null);
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.text()).contains("InvalidArgument");
    }
}
