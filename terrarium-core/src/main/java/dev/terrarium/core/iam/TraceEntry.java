package dev.terrarium.core.iam;

/**
 * How one statement fared: the policy's type and name, the statement's index and Sid, its effect,
 * whether it applied to the request, and why (or why not).
 */
public record TraceEntry(String policyType, String policyName, int statement, String sid, Effect effect,
                         boolean matched, String detail) {
}
