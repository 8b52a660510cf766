package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Virtual-host style: the bucket in the Host, on both suffixes, for buckets and objects. */
class S3AddressingTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @Test
    void bucketInHostOnBothSuffixes() {
        String lsHost = "vhost.s3.localhost.localstack.cloud:" + terrarium.server().port();
        assertThat(S3TestSupport.raw(terrarium, "PUT", lsHost, "/", new byte[0]).status()).isEqualTo(200);
        assertThat(S3TestSupport.raw(terrarium, "PUT", lsHost, "/dir/key.txt",
                "virtual".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        S3TestSupport.Raw viaShort = S3TestSupport.raw(terrarium, "GET", "vhost.localhost", "/dir/key.txt", null);
        assertThat(viaShort.status()).isEqualTo(200);
        assertThat(viaShort.text()).isEqualTo("virtual");
        S3TestSupport.Raw pathStyle = S3TestSupport.raw(terrarium, "GET", "localhost", "/vhost/dir/key.txt", null);
        assertThat(pathStyle.text()).isEqualTo("virtual");
        S3TestSupport.Raw list = S3TestSupport.raw(terrarium, "GET", lsHost, "/?list-type=2", null);
        assertThat(list.text()).contains("<Name>vhost</Name>").contains("<Key>dir/key.txt</Key>");
        S3TestSupport.Raw location = S3TestSupport.raw(terrarium, "GET", "vhost.localhost", "/?location", null);
        assertThat(location.text()).contains("<LocationConstraint");
        S3TestSupport.Raw missing = S3TestSupport.raw(terrarium, "GET", "nobucket.localhost", "/k", null);
        assertThat(missing.text()).contains("<BucketName>nobucket</BucketName>");
        // the endpoint itself is not a bucket
        S3TestSupport.Raw endpoint = S3TestSupport.raw(terrarium, "GET", "s3.localhost.localstack.cloud", "/", null);
        assertThat(endpoint.text()).contains("ListAllMyBucketsResult").contains("<Name>vhost</Name>");
    }
}
