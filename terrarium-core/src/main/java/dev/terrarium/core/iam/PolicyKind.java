package dev.terrarium.core.iam;

/**
 * What a policy document is for, which decides its grammar: identity-based policies (also used as
 * permissions boundaries, session policies and SCPs) name no Principal; resource-based policies and
 * role trust policies must.
 */
public enum PolicyKind {
    IDENTITY, RESOURCE, TRUST, SERVICE_CONTROL;

    boolean needsPrincipal() { return this == RESOURCE || this == TRUST; }
}
