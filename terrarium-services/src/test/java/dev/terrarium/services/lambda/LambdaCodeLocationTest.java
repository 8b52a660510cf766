package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** GetFunction's Code.Location and the layers' Content.Location: presigned-style URLs that download the zip. */
class LambdaCodeLocationTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true))
            .resetBeforeEach();

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void functionCodeLocationDownloadsThePackageOfThatVersion() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        byte[] v1 = Zips.zip("app.py", "def handler(e, c):\n    return 1\n");
        byte[] v2 = Zips.zip("app.py", "def handler(e, c):\n    return 'two, a little longer'\n");
        lambda.createFunction(b -> b.functionName("f").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .publish(true).code(c -> c.zipFile(SdkBytes.fromByteArray(v1))));
        lambda.updateFunctionCode(b -> b.functionName("f").zipFile(SdkBytes.fromByteArray(v2)));

        String latest = lambda.getFunction(b -> b.functionName("f")).code().location();
        assertThat(latest).startsWith(terrarium.endpoint().toString().replaceAll("/$", ""))
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Expires=600", "X-Amz-Signature=");
        HttpResponse<byte[]> got = get(latest);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("content-type")).hasValue("application/zip");
        assertThat(got.body()).isEqualTo(v2);
        assertThat(get(lambda.getFunction(b -> b.functionName("f").qualifier("1")).code().location()).body()).isEqualTo(v1);

        // tampered with: another version, another signature
        HttpResponse<byte[]> other = get(latest.replace("/$LATEST?", "/1?"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(new String(other.body())).contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(get(latest.replaceAll("X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=" + "0".repeat(64))).statusCode())
                .isEqualTo(403);

        // valid for 10 minutes
        assertThat(terrarium.raw("POST", "/_terrarium/clock/advance?seconds=601", null, null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> expired = get(latest);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(new String(expired.body())).contains("<Code>AccessDenied</Code>", "Request has expired");

        // gone with the function
        String fresh = lambda.getFunction(b -> b.functionName("f")).code().location();
        assertThat(get(fresh).statusCode()).isEqualTo(200);
        lambda.deleteFunction(b -> b.functionName("f"));
        HttpResponse<byte[]> gone = get(fresh);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(new String(gone.body())).contains("<Code>NoSuchKey</Code>");
        assertThat(lambda.listFunctions().functions()).isEmpty();
    }

    @Test
    void layerContentLocationDownloadsTheLayerZip() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        byte[] zip = Zips.zip("python/util.py", "X = 1");
        String published = lambda.publishLayerVersion(b -> b.layerName("util")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))).content().location();
        assertThat(get(published).body()).isEqualTo(zip);
        String got = lambda.getLayerVersion(b -> b.layerName("util").versionNumber(1L)).content().location();
        HttpResponse<byte[]> r = get(got);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(zip);
        lambda.deleteLayerVersion(b -> b.layerName("util").versionNumber(1L));
        assertThat(get(got).statusCode()).isEqualTo(404);
    }
}
