package dev.terrarium.core.iam;

import java.util.List;

/** A parsed policy: its Version ("2012-10-17", "2008-10-17" or null), Id and statements. */
public record PolicyDocument(String version, String id, List<Statement> statements) {
    public static final String CURRENT_VERSION = "2012-10-17";

    /** Parses with IAM's grammar for that kind of policy; throws {@link MalformedPolicyException} with AWS's message. */
    public static PolicyDocument parse(String json, PolicyKind kind) {
        return PolicyParser.parse(json, kind);
    }

    /** Policy variables are substituted only in 2012-10-17 policies; older ones read ${...} literally. */
    public boolean variablesEnabled() {
        return CURRENT_VERSION.equals(version);
    }
}
