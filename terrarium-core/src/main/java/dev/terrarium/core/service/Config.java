package dev.terrarium.core.service;

/** The server's settings, from flags and TERRARIUM_* environment variables. */
public record Config(String host, int port, String region, String defaultAccount, String logLevel,
                     boolean virtualClock, boolean enforceIam, boolean verifySignatures) {

    public static Config defaults() {
        return new Config("127.0.0.1", 4566, "us-east-1", "000000000000", "info", false, false, true);
    }

    public Config withPort(int newPort) {
        return new Config(host, newPort, region, defaultAccount, logLevel, virtualClock, enforceIam, verifySignatures);
    }

    public Config withVirtualClock(boolean virtual) {
        return new Config(host, port, region, defaultAccount, logLevel, virtual, enforceIam, verifySignatures);
    }

    public Config withEnforceIam(boolean enforce) {
        return new Config(host, port, region, defaultAccount, logLevel, virtualClock, enforce, verifySignatures);
    }
}
