package dev.terrarium.core.iam;

/** A named policy document as the evaluator sees it (the name or ARN shows in decision traces). */
public record Policy(String name, PolicyDocument document) {

    public static Policy of(String name, String json, PolicyKind kind) {
        return new Policy(name, PolicyDocument.parse(json, kind));
    }
}
