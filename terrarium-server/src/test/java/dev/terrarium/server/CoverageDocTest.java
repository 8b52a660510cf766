package dev.terrarium.server;

import dev.terrarium.core.admin.Coverage;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.clock.SystemClock;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.ServiceRegistry;
import dev.terrarium.core.state.Store;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/COVERAGE.md must say what the code implements; -Dterrarium.writeCoverage=true rewrites it. */
class CoverageDocTest {
    @Test
    void coverageDocumentIsCurrent() throws Exception {
        Models models = Models.fromClasspath();
        ServiceRegistry registry = new ServiceRegistry(new ServiceContext(Config.defaults(), new SystemClock(),
                null, new CredentialStore("000000000000"), null, models));
        String expected = Coverage.markdown(models, registry);
        Path doc = Path.of("..", "docs", "COVERAGE.md");
        if (Boolean.getBoolean("terrarium.writeCoverage")) {
            Files.createDirectories(doc.getParent());
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(doc)).as("docs/COVERAGE.md exists").isTrue();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/COVERAGE.md is stale: run mvn -pl terrarium-server test -Dterrarium.writeCoverage=true")
                .isEqualTo(expected);
    }
}
