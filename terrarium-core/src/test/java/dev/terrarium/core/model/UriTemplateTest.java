package dev.terrarium.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UriTemplateTest {
    @Test
    void labelsAndGreedyLabels() {
        UriTemplate t = UriTemplate.parse("/{Bucket}/{Key+}?uploads");
        assertThat(t.requiredQuery()).containsKey("uploads");
        assertThat(t.match("/b/k")).containsEntry("Bucket", "b").containsEntry("Key", "k");
        assertThat(t.match("/b/dir/sub/file%2Bplus.txt")).containsEntry("Key", "dir/sub/file+plus.txt");
        assertThat(t.match("/b")).isNull();
        assertThat(t.match("/b/")).isNull();
    }

    @Test
    void literalsMustMatch() {
        UriTemplate t = UriTemplate.parse("/2015-03-31/functions/{FunctionName}/invocations");
        assertThat(t.match("/2015-03-31/functions/my-fn/invocations")).containsEntry("FunctionName", "my-fn");
        assertThat(t.match("/2015-03-31/functions/my-fn")).isNull();
        assertThat(t.match("/2015-03-31/layers/my-fn/invocations")).isNull();
    }

    @Test
    void rootAndBucketPaths() {
        assertThat(UriTemplate.parse("/").match("/")).isEmpty();
        assertThat(UriTemplate.parse("/{Bucket}").match("/my-bucket")).containsEntry("Bucket", "my-bucket");
        assertThat(UriTemplate.parse("/{Bucket}").match("/my-bucket/")).containsEntry("Bucket", "my-bucket");
        assertThat(UriTemplate.parse("/{Bucket}").match("/my-bucket/key")).isNull();
        assertThat(UriTemplate.parse("/{Bucket}?versioning").specificity())
                .isGreaterThan(UriTemplate.parse("/{Bucket}").specificity());
    }
}
