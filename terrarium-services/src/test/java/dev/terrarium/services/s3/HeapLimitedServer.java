package dev.terrarium.services.s3;

import dev.terrarium.core.TerrariumServer;
import dev.terrarium.core.service.Config;

/** A Terrarium in its own JVM (started by S3StreamingTest with a small -Xmx): prints its port, runs until stdin closes. */
public final class HeapLimitedServer {
    private HeapLimitedServer() {}

    public static void main(String[] args) throws Exception {
        try (TerrariumServer server = new TerrariumServer(Config.defaults().withPort(0)).start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
