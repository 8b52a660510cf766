package dev.terrarium.services.dynamodb.expressions;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens; a character that starts no token becomes an UNKNOWN token (a syntax error later). */
final class Lexer {
    private Lexer() {
    }

    static List<Token> tokens(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            Token.Kind kind;
            if (isWordStart(c)) {
                i = wordEnd(src, i + 1);
                kind = Token.Kind.NAME;
            } else if (c == '#' || c == ':') {
                i = wordEnd(src, i + 1);
                kind = i == start + 1 ? Token.Kind.UNKNOWN : c == '#' ? Token.Kind.NAME_REF : Token.Kind.VALUE_REF;
            } else if (c >= '0' && c <= '9') {
                while (i < n && src.charAt(i) >= '0' && src.charAt(i) <= '9') {
                    i++;
                }
                kind = Token.Kind.NUMBER;
            } else {
                i++;
                kind = switch (c) {
                    case '(' -> Token.Kind.LPAREN;
                    case ')' -> Token.Kind.RPAREN;
                    case '[' -> Token.Kind.LBRACKET;
                    case ']' -> Token.Kind.RBRACKET;
                    case ',' -> Token.Kind.COMMA;
                    case '.' -> Token.Kind.DOT;
                    case '=' -> Token.Kind.EQ;
                    case '+' -> Token.Kind.PLUS;
                    case '-' -> Token.Kind.MINUS;
                    case '<' -> {
                        if (i < n && src.charAt(i) == '=') {
                            i++;
                            yield Token.Kind.LE;
                        }
                        if (i < n && src.charAt(i) == '>') {
                            i++;
                            yield Token.Kind.NE;
                        }
                        yield Token.Kind.LT;
                    }
                    case '>' -> {
                        if (i < n && src.charAt(i) == '=') {
                            i++;
                            yield Token.Kind.GE;
                        }
                        yield Token.Kind.GT;
                    }
                    default -> Token.Kind.UNKNOWN;
                };
            }
            out.add(new Token(kind, src.substring(start, i), start));
        }
        out.add(new Token(Token.Kind.EOF, "", n));
        return out;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static int wordEnd(String src, int i) {
        while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
            i++;
        }
        return i;
    }
}
