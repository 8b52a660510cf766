package dev.terrarium.server;

import dev.terrarium.core.service.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlagsTest {
    @Test
    void defaults() {
        Config c = Flags.parse(new String[0], Map.of());
        assertThat(c.port()).isEqualTo(4566);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.defaultAccount()).isEqualTo("000000000000");
        assertThat(c.virtualClock()).isFalse();
        assertThat(c.verifySignatures()).isTrue();
        assertThat(c.enforceIam()).isFalse();
    }

    @Test
    void flagsWinOverEnvironment() {
        Map<String, String> env = Map.of("TERRARIUM_PORT", "5000", "TERRARIUM_REGION", "eu-west-1",
                "TERRARIUM_CLOCK", "virtual", "TERRARIUM_DEFAULT_ACCOUNT", "111122223333");
        Config c = Flags.parse(new String[]{"--port", "6000", "--host=0.0.0.0", "--enforce-iam", "--no-verify-signatures"}, env);
        assertThat(c.port()).isEqualTo(6000);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.defaultAccount()).isEqualTo("111122223333");
        assertThat(c.virtualClock()).isTrue();
        assertThat(c.enforceIam()).isTrue();
        assertThat(c.verifySignatures()).isFalse();
    }

    @Test
    void badFlagsAreRefused() {
        assertThatThrownBy(() -> Flags.parse(new String[]{"--port", "x"}, Map.of())).hasMessageContaining("--port");
        assertThatThrownBy(() -> Flags.parse(new String[]{"--port"}, Map.of())).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Flags.parse(new String[]{"--default-account", "123"}, Map.of())).hasMessageContaining("12 digits");
        assertThatThrownBy(() -> Flags.parse(new String[]{"--clock", "fast"}, Map.of())).hasMessageContaining("real or virtual");
        assertThatThrownBy(() -> Flags.parse(new String[]{"--bogus"}, Map.of())).hasMessageContaining("unknown flag");
        assertThat(Flags.parse(new String[]{"--help"}, Map.of())).isNull();
    }
}
