package dev.terrarium.core.robustness;

import dev.terrarium.core.robustness.ErrorBody.Wire;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server per test class, a raw HTTP client and the log capture; the assertions every
 * robustness test makes: an AWS-shaped error, no 5xx but 501 NotImplemented, nothing internal leaked,
 * nothing logged as a server error, and the server still answering.
 */
abstract class RobustnessSupport {
    /** Internal names that must never reach a client: stack frames and Java/Jetty/Jackson class names. */
    private static final Pattern LEAK = Pattern.compile(
            "\\tat |\\bjava\\.(lang|io|util)\\.|org\\.eclipse\\.jetty|com\\.fasterxml|dev\\.terrarium");

    static TestServer server;
    static RawHttp http;
    static LogCapture logs;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        http = new RawHttp(server.server().port());
        logs = new LogCapture();
    }

    @AfterAll
    static void stopServer() {
        try {
            if (logs != null) {
                logs.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @AfterEach
    void nothingLoggedAsAServerError() {
        try {
            assertThat(logs.problems()).as("server-side WARN/ERROR/stack-trace lines").isEmpty();
        } finally {
            logs.clear();
        }
    }

    /** Sends the request and checks it got an AWS error of this wire (and this code, when not null). */
    static ErrorBody expectError(RawHttp.Request request, Wire wire, String code) {
        RawHttp.Reply reply = http.send(request);
        return checkError(request, reply, wire, code);
    }

    static ErrorBody checkError(Object request, RawHttp.Reply reply, Wire wire, String code) {
        assertThat(reply.status()).as("status of %s: %s", request, reply).isBetween(300, 599);
        ErrorBody error = wire == null ? ErrorBody.parseAny(reply) : ErrorBody.parse(wire, reply);
        assertThat(error.code()).as("error code of %s: %s", request, reply).isNotBlank();
        noServerFault(request, reply, error);
        if (code != null) {
            assertThat(error.code()).as("error code of %s: %s", request, reply).isEqualTo(code);
        }
        return error;
    }

    /** 5xx only for what AWS answers with a 5xx: here, 501 NotImplemented for unimplemented operations. */
    static void noServerFault(Object request, RawHttp.Reply reply, ErrorBody error) {
        if (reply.status() >= 500) {
            assertThat(reply.status()).as("5xx for %s: %s", request, reply).isEqualTo(501);
            assertThat(error.code()).as("501 code for %s", request).isEqualTo("NotImplemented");
        }
        assertThat(LEAK.matcher(reply.text()).find()).as("internals leaked to the client by %s: %s", request, reply)
                .isFalse();
    }

    /** A valid request passes parsing and validation; with no service behind it, the answer is 501 NotImplemented. */
    static void expectAccepted(RawHttp.Request request, Wire wire) {
        RawHttp.Reply reply = http.send(request);
        if (reply.status() / 100 == 2) {
            return;
        }
        ErrorBody error = ErrorBody.parse(wire, reply);
        assertThat(reply.status()).as("%s: %s", request, reply).isEqualTo(501);
        assertThat(error.code()).isEqualTo("NotImplemented");
    }

    /** The server still answers a valid STS GetCallerIdentity (its answer, or 501 while STS is not on the classpath). */
    static void assertAlive() {
        RawHttp.Reply reply = http.send(Seeds.form("Action=GetCallerIdentity&Version=2011-06-15"));
        if (reply.status() == 200) {
            assertThat(reply.text()).contains("<GetCallerIdentityResult>");
        } else {
            ErrorBody error = ErrorBody.parse(Wire.QUERY_XML, reply);
            assertThat(reply.status()).as("GetCallerIdentity: %s", reply).isEqualTo(501);
            assertThat(error.code()).isEqualTo("NotImplemented");
            assertThat(error.message()).contains("GetCallerIdentity");
        }
    }
}
