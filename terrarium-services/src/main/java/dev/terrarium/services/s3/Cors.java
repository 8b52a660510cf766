package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.List;
import java.util.Set;

/** CORS configuration rules as S3 checks them on PutBucketCors. */
final class Cors {
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");

    private Cors() {}

    static void validate(Struct config) {
        List<Struct> rules = config == null ? null : config.structs("CORSRules");
        if (rules == null || rules.isEmpty() || rules.size() > 100) {
            throw S3Errors.malformedXml();
        }
        for (Struct rule : rules) {
            List<String> methods = rule.strings("AllowedMethods");
            List<String> origins = rule.strings("AllowedOrigins");
            if (methods == null || methods.isEmpty() || origins == null || origins.isEmpty()) {
                throw S3Errors.malformedXml();
            }
            for (String m : methods) {
                if (!METHODS.contains(m)) {
                    throw new AwsException("InvalidRequest", "Found unsupported HTTP method in CORS config. "
                            + "Unsupported method is " + m, 400);
                }
            }
        }
    }
}
