package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK sends UploadPart and PutObject with Expect: 100-continue; an error decided before the body is read
 * (an unknown upload) must still leave the connection usable, every time (it once failed now and then with
 * "Error writing request body to server").
 */
class S3ExpectContinueTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @Test
    void errorsAnsweredBeforeTheBodyKeepTheConnectionUsable() {
        S3Client s3 = S3TestSupport.pathStyle(terrarium);
        s3.createBucket(b -> b.bucket("expect"));
        for (int i = 0; i < 300; i++) {
            assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket("expect").key("k").uploadId("nope").partNumber(1),
                    RequestBody.fromString("x"))).isInstanceOf(NoSuchUploadException.class);
            assertThatThrownBy(() -> s3.listParts(b -> b.bucket("expect").key("k").uploadId("nope")))
                    .isInstanceOf(NoSuchUploadException.class);
        }
    }
}
