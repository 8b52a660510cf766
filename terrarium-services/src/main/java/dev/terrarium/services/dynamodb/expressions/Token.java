package dev.terrarium.services.dynamodb.expressions;

/** A token of the expression language, with where it starts in the source. */
record Token(Kind kind, String text, int start) {
    enum Kind {
        NAME, NAME_REF, VALUE_REF, NUMBER, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT,
        EQ, NE, LT, LE, GT, GE, PLUS, MINUS, UNKNOWN, EOF
    }

    int end() { return start + text.length(); }

    boolean is(Kind k) { return kind == k; }

    /** A bare word equal (ignoring case) to a keyword such as AND, SET, BETWEEN. */
    boolean isWord(String keyword) { return kind == Kind.NAME && text.equalsIgnoreCase(keyword); }

    String display() { return kind == Kind.EOF ? "<EOF>" : text; }
}
