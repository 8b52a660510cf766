package dev.terrarium.core.model;

/** The kinds of shape that AWS's models use (botocore's "type" field). */
public enum ShapeType {
    STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, SHORT, BYTE, FLOAT, DOUBLE, BIG_INTEGER, BIG_DECIMAL,
    BOOLEAN, BLOB, TIMESTAMP;

    public static ShapeType of(String botocoreType) {
        return switch (botocoreType) {
            case "structure" -> STRUCTURE;
            case "list" -> LIST;
            case "map" -> MAP;
            case "string" -> STRING;
            case "integer" -> INTEGER;
            case "long" -> LONG;
            case "short" -> SHORT;
            case "byte" -> BYTE;
            case "float" -> FLOAT;
            case "double" -> DOUBLE;
            case "bigInteger", "biginteger" -> BIG_INTEGER;
            case "bigDecimal", "bigdecimal" -> BIG_DECIMAL;
            case "boolean" -> BOOLEAN;
            case "blob" -> BLOB;
            case "timestamp" -> TIMESTAMP;
            default -> throw new IllegalArgumentException("unknown shape type " + botocoreType);
        };
    }

    public boolean isNumber() {
        return switch (this) {
            case INTEGER, LONG, SHORT, BYTE, FLOAT, DOUBLE, BIG_INTEGER, BIG_DECIMAL -> true;
            default -> false;
        };
    }

    public boolean isScalar() {
        return this != STRUCTURE && this != LIST && this != MAP;
    }
}
