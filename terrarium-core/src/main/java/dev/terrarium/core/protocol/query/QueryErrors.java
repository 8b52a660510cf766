package dev.terrarium.core.protocol.query;

import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;

/** The errors the query protocols answer to bad requests, with AWS's codes. */
public final class QueryErrors {
    private QueryErrors() {
    }

    public static AwsException missingAction() {
        return new AwsException("MissingAction", "The request must contain the parameter Action.", 400);
    }

    /** An Action the service's model does not know. */
    public static AwsException invalidAction(ServiceModel model, String action) {
        String version = model == null ? null : model.info().apiVersion();
        return new AwsException("InvalidAction",
                "Could not find operation " + action + (version == null ? "" : " for version " + version), 400);
    }

    static AwsException invalidParameter(String key, String value, String reason) {
        return new AwsException("InvalidParameterValue",
                "Value (" + abbreviate(value) + ") for parameter " + key + " is invalid. " + capitalize(reason) + ".", 400);
    }

    static AwsException invalidParameter(String key, String reason) {
        return new AwsException("InvalidParameterValue",
                "The parameter " + key + " is invalid: " + reason + ".", 400);
    }

    private static String abbreviate(String s) {
        return s.length() <= 256 ? s : s.substring(0, 256) + "...";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
