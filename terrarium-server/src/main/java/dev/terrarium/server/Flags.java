package dev.terrarium.server;

import dev.terrarium.core.service.Config;

import java.util.Locale;
import java.util.Map;

/** Command-line flags, each also readable from a TERRARIUM_* environment variable (flags win). */
final class Flags {
    private Flags() {
    }

    static String usage() {
        return """
                usage: terrarium [flags]
                  --port N                 port to listen on (4566)             TERRARIUM_PORT
                  --host ADDR              address to bind (127.0.0.1)           TERRARIUM_HOST
                  --region R               default region (us-east-1)           TERRARIUM_REGION
                  --default-account ID     account of test/test keys (000000000000)  TERRARIUM_DEFAULT_ACCOUNT
                  --log-level L            error|warn|info|debug (info)          TERRARIUM_LOG_LEVEL
                  --clock real|virtual     virtual time moves only via /_terrarium/clock/advance  TERRARIUM_CLOCK
                  --enforce-iam            evaluate IAM policies on every request TERRARIUM_ENFORCE_IAM=true
                  --no-verify-signatures   accept requests without checking SigV4 TERRARIUM_VERIFY_SIGNATURES=false
                  --help                   this text
                """;
    }

    /** The config, or null when --help was asked for; IllegalArgumentException on a bad flag. */
    static Config parse(String[] args, Map<String, String> env) {
        Config d = Config.defaults();
        String host = env.getOrDefault("TERRARIUM_HOST", d.host());
        String port = env.getOrDefault("TERRARIUM_PORT", String.valueOf(d.port()));
        String region = env.getOrDefault("TERRARIUM_REGION", d.region());
        String account = env.getOrDefault("TERRARIUM_DEFAULT_ACCOUNT", d.defaultAccount());
        String logLevel = env.getOrDefault("TERRARIUM_LOG_LEVEL", d.logLevel());
        String clock = env.getOrDefault("TERRARIUM_CLOCK", "real");
        boolean enforceIam = Boolean.parseBoolean(env.getOrDefault("TERRARIUM_ENFORCE_IAM", "false"));
        boolean verify = Boolean.parseBoolean(env.getOrDefault("TERRARIUM_VERIFY_SIGNATURES", "true"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--enforce-iam" -> enforceIam = true;
                case "--no-verify-signatures" -> verify = false;
                case "--port", "--host", "--region", "--default-account", "--log-level", "--clock" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--port" -> port = value;
                        case "--host" -> host = value;
                        case "--region" -> region = value;
                        case "--default-account" -> account = value;
                        case "--log-level" -> logLevel = value;
                        default -> clock = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, not " + port);
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535");
        }
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException("--default-account must be 12 digits");
        }
        clock = clock.toLowerCase(Locale.ROOT);
        if (!clock.equals("real") && !clock.equals("virtual")) {
            throw new IllegalArgumentException("--clock must be real or virtual");
        }
        logLevel = logLevel.toLowerCase(Locale.ROOT);
        if (!logLevel.matches("error|warn|info|debug|trace|off")) {
            throw new IllegalArgumentException("--log-level must be error, warn, info, debug, trace or off");
        }
        return new Config(host, portNumber, region, account, logLevel, clock.equals("virtual"), enforceIam, verify);
    }
}
