package dev.terrarium.server;

/** Sets the level of Jetty's slf4j implementation (our logging backend) before the first logger is made. */
final class LogLevel {
    private LogLevel() {
    }

    static void apply(String level) {
        String jettyLevel = switch (level) {
            case "error" -> "ERROR";
            case "warn" -> "WARN";
            case "debug" -> "DEBUG";
            case "trace" -> "TRACE";
            case "off" -> "OFF";
            default -> "INFO";
        };
        System.setProperty("terrarium.LEVEL", jettyLevel);
        System.setProperty("org.eclipse.jetty.LEVEL", level.equals("debug") || level.equals("trace") ? jettyLevel : "WARN");
        System.setProperty("org.h2.LEVEL", "WARN");
    }
}
