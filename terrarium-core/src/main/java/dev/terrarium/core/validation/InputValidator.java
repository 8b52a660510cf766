package dev.terrarium.core.validation;

import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks a parsed input against its shape, recursively, the way AWS's request validation does:
 * required members, enum values, lengths of strings, lists, maps and blobs, numeric ranges and
 * patterns. Violations are worded as AWS words them:
 * <pre>
 * 2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy
 * regular expression pattern: ...; Value '' at 'roleArn' failed to satisfy constraint: Member must have
 * length greater than or equal to 20
 * </pre>
 * with lower-camel member names in the path, list elements as {@code tags.1.member.key} (1-based),
 * map values as {@code scanFilter.b.member.comparisonOperator}, and constraints on scalar list
 * elements / map keys / map values reported once for the collection ("Member must satisfy
 * constraint: [...]", "Map keys must satisfy constraint: [...]", "Map value must satisfy constraint: [...]").
 * The error code, and how a missing member is reported, come from the {@link ValidationStyle}.
 */
public final class InputValidator {
    private final ValidationStyle style;

    public InputValidator(ValidationStyle style) {
        this.style = style;
    }

    public static InputValidator forService(ServiceInfo info) {
        return new InputValidator(ValidationStyle.forService(info));
    }

    public ValidationStyle style() { return style; }

    /** Validates an operation's input with its service's style (for the dispatcher, which knows the model). */
    public static AwsException validate(ServiceModel model, Operation operation, Struct input) {
        return forService(model.info()).validate(operation.input(), input);
    }

    /**
     * Fills empty idempotency tokens, then validates. Returns the error to answer, or null when
     * the input is valid. A null input counts as an empty one.
     */
    public AwsException validate(Shape inputShape, Struct input) {
        if (inputShape == null || !style.checkRequired()) {
            return null;
        }
        Struct in = input == null ? Struct.empty() : input;
        fillIdempotencyTokens(inputShape, in);
        if (style.reportsMissingSeparately()) {
            String missing = firstMissing(inputShape, in, "");
            if (missing != null) {
                return new AwsException(style.missingCode(), String.format(style.missingFormat(), missing), 400);
            }
        }
        List<String> violations = new ArrayList<>();
        checkStructure(in, inputShape, Path.ROOT, violations);
        if (violations.isEmpty()) {
            return null;
        }
        String message = violations.size() + (violations.size() == 1 ? " validation error" : " validation errors")
                + " detected: " + String.join("; ", violations);
        return new AwsException(style.constraintCode(), message, 400);
    }

    /** AWS SDKs fill an idempotency token the caller left out with a UUID; clients that don't, get one here. */
    public static void fillIdempotencyTokens(Shape shape, Struct input) {
        for (Member m : shape.members().values()) {
            if (m.idempotencyToken()) {
                Object v = input.get(m.name());
                if (v == null || v.toString().isEmpty()) {
                    input.put(m.name(), UUID.randomUUID().toString());
                }
            }
        }
    }

    // ---- missing parameters (styles that report them on their own)

    /** The wire-style path of the first missing required member (Entries.1.Id), or null. */
    private static String firstMissing(Shape shape, Struct value, String path) {
        for (Member m : shape.members().values()) {
            Object v = value.get(m.name());
            String p = path.isEmpty() ? m.name() : path + "." + m.name();
            if (v == null) {
                if (shape.isRequired(m.name())) {
                    return p;
                }
                continue;
            }
            String nested = firstMissingIn(v, m.shape(), p);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    private static String firstMissingIn(Object v, Shape shape, String path) {
        if (shape.is(ShapeType.STRUCTURE) && v instanceof Struct s) {
            return firstMissing(shape, s, path);
        }
        if (shape.is(ShapeType.LIST) && v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) != null) {
                    String nested = firstMissingIn(list.get(i), shape.listMember().shape(), path + "." + (i + 1));
                    if (nested != null) {
                        return nested;
                    }
                }
            }
        }
        if (shape.is(ShapeType.MAP) && v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    String nested = firstMissingIn(e.getValue(), shape.mapValue().shape(), path + "." + e.getKey());
                    if (nested != null) {
                        return nested;
                    }
                }
            }
        }
        return null;
    }

    // ---- constraint violations

    private void checkStructure(Struct value, Shape shape, Path path, List<String> out) {
        for (Member m : shape.members().values()) {
            Object v = value.get(m.name());
            if (v == null) {
                if (shape.isRequired(m.name()) && !style.reportsMissingSeparately()) {
                    out.add(violation(new Path(path, m.name(), true), null, "Member must not be null"));
                }
                continue;
            }
            checkValue(v, m.shape(), new Path(path, m.name(), true), out);
        }
    }

    private void checkValue(Object v, Shape shape, Path path, List<String> out) {
        if (style.checkConstraints() && !Constraints.ok(v, shape)) {
            for (String failed : Constraints.failed(v, shape)) {
                out.add(violation(path, v, failed));
            }
        }
        checkNested(v, shape, path, out);
    }

    /**
     * What is inside a structure, list or map. The own constraints of list elements, map keys and
     * map values are reported once, on the collection; structures (and collections) inside are
     * walked with ".N.member" / ".key.member" paths.
     */
    private void checkNested(Object v, Shape shape, Path path, List<String> out) {
        if (shape.document()) {
            return;
        }
        if (shape.is(ShapeType.STRUCTURE) && v instanceof Struct s) {
            checkStructure(s, shape, path, out);
        } else if (shape.is(ShapeType.LIST) && v instanceof List<?> list) {
            Shape element = shape.listMember().shape();
            if (style.checkConstraints() && anyFails(list, element)) {
                out.add(violation(path, list, "Member must satisfy constraint: " + Constraints.all(element)));
            }
            if (isContainer(element)) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) != null) {
                        checkNested(list.get(i), element, new Path(path, i + 1, false), out);
                    }
                }
            }
        } else if (shape.is(ShapeType.MAP) && v instanceof Map<?, ?> map) {
            Shape keyShape = shape.mapKey().shape();
            Shape valueShape = shape.mapValue().shape();
            if (style.checkConstraints() && anyFails(map.keySet(), keyShape)) {
                out.add(violation(path, map, "Map keys must satisfy constraint: " + Constraints.all(keyShape)));
            }
            if (style.checkConstraints() && anyFails(map.values(), valueShape)) {
                out.add(violation(path, map, "Map value must satisfy constraint: " + Constraints.all(valueShape)));
            }
            if (isContainer(valueShape)) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() != null) {
                        checkNested(e.getValue(), valueShape, new Path(path, e.getKey(), false), out);
                    }
                }
            }
        }
    }

    private static boolean isContainer(Shape shape) {
        return !shape.type().isScalar() && !shape.document();
    }

    private static boolean anyFails(Iterable<?> values, Shape shape) {
        for (Object v : values) {
            if (v != null && !Constraints.ok(v, shape)) {
                return true;
            }
        }
        return false;
    }

    private static String violation(Path path, Object value, String constraint) {
        String shown = value == null ? "null" : "'" + Constraints.display(value) + "'";
        return "Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    /**
     * A member's wire path ("tags.1.member.key"), spelled out only when a violation names it: valid
     * input, the common case, then costs no string building.
     */
    private record Path(Path parent, Object segment, boolean memberName) {
        static final Path ROOT = new Path(null, "", true);

        @Override
        public String toString() {
            // a member's lower-camel name, or a list index / map key followed by ".member"
            String own = memberName ? lowerCamel((String) segment) : segment + ".member";
            return parent == null || parent == ROOT ? own : parent + "." + own;
        }
    }

    /** AWS's paths lower-case only the first letter: SSESpecification -> sSESpecification. */
    static String lowerCamel(String name) {
        if (name.isEmpty() || Character.isLowerCase(name.charAt(0))) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    }
}
