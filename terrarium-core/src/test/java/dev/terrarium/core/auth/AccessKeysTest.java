package dev.terrarium.core.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessKeysTest {
    @Test
    void mintedKeysCarryTheirAccount() {
        for (String account : new String[]{"000000000000", "123456789012", "999999999999", "000000000001"}) {
            String key = AccessKeys.temporary(account);
            assertThat(key).hasSize(20).startsWith("ASIA").matches("[A-Z2-7]+");
            assertThat(AccessKeys.accountOf(key)).isEqualTo(account);
            assertThat(AccessKeys.accountOf(AccessKeys.longTerm(account))).isEqualTo(account);
        }
    }

    @Test
    void decodesAwsDocumentedExample() {
        // the account AWS's own tooling decodes from this published example key
        assertThat(AccessKeys.accountOf("ASIAQNZGKIQY56JQ7WML")).isEqualTo("029608264753");
    }

    @Test
    void keysThatCarryNoAccount() {
        assertThat(AccessKeys.accountOf("test")).isNull();
        assertThat(AccessKeys.accountOf("AKIA1111111111111111")).isNull();
    }
}
