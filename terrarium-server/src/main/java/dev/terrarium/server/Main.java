package dev.terrarium.server;

import dev.terrarium.core.TerrariumServer;
import dev.terrarium.core.service.Config;

import java.util.Map;

/** `java -jar terrarium.jar [flags]`: reads flags and TERRARIUM_* variables, starts the server and waits. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Flags.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("terrarium: " + e.getMessage());
            System.err.println(Flags.usage());
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.println(Flags.usage());
            return;
        }
        LogLevel.apply(config.logLevel());
        long start = System.nanoTime();
        TerrariumServer server = new TerrariumServer(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "terrarium-shutdown"));
        System.out.printf("Terrarium %s ready on %s (region %s, account %s, clock %s) in %d ms%n",
                TerrariumServer.VERSION, server.endpoint(), config.region(), config.defaultAccount(),
                config.virtualClock() ? "virtual" : "real", (System.nanoTime() - start) / 1_000_000);
        server.join();
    }

    static Map<String, String> env() { return System.getenv(); }
}
