package dev.braid.polyglot.js;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * A JavaScript tokenizer that is just good enough to find top-level statement boundaries:
 * it knows comments, strings, template literals (with nested substitutions), regular
 * expression literals (told from division by the previous token, as a parser would) and
 * punctuators, and pairs every bracket with its partner. It does not validate anything:
 * whatever it gets wrong, the real parser reports afterwards.
 */
final class JsTokens {
    enum Kind { NAME, NUMBER, STRING, TEMPLATE, TEMPLATE_HEAD, TEMPLATE_MIDDLE, TEMPLATE_TAIL, REGEX, PUNCT, EOF }

    /** One token: {@code [start, end)} in the source; {@code newlineBefore} if a line break precedes it. */
    record Token(Kind kind, int start, int end, boolean newlineBefore, String text) {
        boolean is(String s) {
            return (kind == Kind.PUNCT || kind == Kind.NAME) && text.equals(s);
        }
    }

    private static final String[] PUNCTUATORS = {
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=",
        "&=", "|=", "^=", "**", "<<", ">>",
    };

    /** Keywords after which a {@code /} starts a regular expression rather than a division. */
    private static final Set<String> REGEX_AFTER = Set.of("return", "typeof", "instanceof", "in", "of", "new", "delete",
            "void", "throw", "case", "do", "else", "yield", "await", "extends");

    final String src;
    final List<Token> tokens = new ArrayList<>();
    /** For each token index: the index of its partner bracket, or -1. */
    int[] partner;

    private int pos;
    private boolean newline;

    private JsTokens(String src) {
        this.src = src;
    }

    static JsTokens of(String src) {
        JsTokens t = new JsTokens(src);
        t.scan();
        return t;
    }

    Token get(int i) {
        return tokens.get(Math.min(i, tokens.size() - 1));
    }

    boolean hasName(String name) {
        for (Token t : tokens) {
            if (t.kind == Kind.NAME && t.text.equals(name)) {
                return true;
            }
        }
        return false;
    }

    // ---- scanning -------------------------------------------------------------------------

    private void scan() {
        // Which openers are pending: '{' for a brace, '`' for a template substitution.
        Deque<Character> braces = new ArrayDeque<>();
        if (src.startsWith("#!")) {
            skipLineComment();
        }
        for (;;) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                add(Kind.EOF, pos, "");
                break;
            }
            int start = pos;
            char c = src.charAt(pos);
            if (c == '`') {
                pos++;
                scanTemplate(start, true, braces);
            } else if (c == '}' && !braces.isEmpty() && braces.peek() == '`') {
                braces.pop();
                pos++;
                scanTemplate(start, false, braces);
            } else if (c == '"' || c == '\'') {
                scanString(c);
                add(Kind.STRING, start, null);
            } else if (isIdentStart(c) || c == '\\' || (c == '#' && pos + 1 < src.length() && isIdentStart(src.charAt(pos + 1)))) {
                pos++;
                while (pos < src.length() && (isIdentPart(src.charAt(pos)) || src.charAt(pos) == '\\')) {
                    if (src.charAt(pos) == '\\') {
                        pos++; // an escape such as \u0061: its letters are identifier parts anyway
                    }
                    pos++;
                }
                add(Kind.NAME, start, null);
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                scanNumber();
                add(Kind.NUMBER, start, null);
            } else if (c == '/' && regexAllowed()) {
                scanRegex();
                add(Kind.REGEX, start, null);
            } else {
                String p = punctuator();
                pos += p.length();
                if (p.equals("{")) {
                    braces.push('{');
                } else if (p.equals("}") && !braces.isEmpty()) {
                    braces.pop();
                }
                add(Kind.PUNCT, start, p);
            }
        }
        pair();
    }

    private void add(Kind kind, int start, String text) {
        tokens.add(new Token(kind, start, pos, newline, text != null ? text : src.substring(start, pos)));
        newline = false;
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (isLineTerminator(c)) {
                newline = true;
                pos++;
            } else if (c <= ' ' || Character.isSpaceChar(c) || c == '\uFEFF') {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                skipLineComment();
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                int stop = end < 0 ? src.length() : end + 2;
                for (int i = pos; i < stop; i++) {
                    if (isLineTerminator(src.charAt(i))) {
                        newline = true;
                    }
                }
                pos = stop;
            } else {
                return;
            }
        }
    }

    private void skipLineComment() {
        while (pos < src.length() && !isLineTerminator(src.charAt(pos))) {
            pos++;
        }
    }

    private void scanString(char quote) {
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == quote || c == '\n' || c == '\r') {
                return;
            }
        }
    }

    /** From just after {@code `} or a substitution's {@code }}: up to {@code ${} or the closing {@code `}. */
    private void scanTemplate(int start, boolean head, Deque<Character> braces) {
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '`') {
                add(head ? Kind.TEMPLATE : Kind.TEMPLATE_TAIL, start, null);
                return;
            } else if (c == '$' && pos < src.length() && src.charAt(pos) == '{') {
                pos++;
                braces.push('`');
                add(head ? Kind.TEMPLATE_HEAD : Kind.TEMPLATE_MIDDLE, start, null);
                return;
            }
        }
        pos = src.length();
        add(head ? Kind.TEMPLATE : Kind.TEMPLATE_TAIL, start, null); // unterminated: the parser will say so
    }

    private void scanNumber() {
        boolean hex = src.startsWith("0x", pos) || src.startsWith("0X", pos);
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                pos++;
                if (!hex && (c == 'e' || c == 'E') && pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void scanRegex() {
        pos++;
        boolean inClass = false;
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (isLineTerminator(c)) {
                pos--;
                return; // unterminated
            } else if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                break;
            }
        }
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
            pos++; // flags
        }
    }

    private boolean regexAllowed() {
        if (tokens.isEmpty()) {
            return true;
        }
        Token prev = tokens.get(tokens.size() - 1);
        return switch (prev.kind) {
            case NAME -> REGEX_AFTER.contains(prev.text);
            case PUNCT -> !(prev.text.equals(")") || prev.text.equals("]") || prev.text.equals("++") || prev.text.equals("--"));
            case TEMPLATE_HEAD, TEMPLATE_MIDDLE -> true;
            default -> false;
        };
    }

    private String punctuator() {
        for (String p : PUNCTUATORS) {
            if (src.startsWith(p, pos)) {
                if (p.equals("?.") && pos + 2 < src.length() && Character.isDigit(src.charAt(pos + 2))) {
                    continue; // a ? .5 : b
                }
                return p;
            }
        }
        return String.valueOf(src.charAt(pos));
    }

    /** Pairs ( with ), [ with ], { with }, and a template head with its tail. */
    private void pair() {
        partner = new int[tokens.size()];
        java.util.Arrays.fill(partner, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Kind.TEMPLATE_HEAD || t.is("(") || t.is("[") || t.is("{")) {
                open.push(i);
            } else if (t.kind == Kind.TEMPLATE_TAIL || t.is(")") || t.is("]") || t.is("}")) {
                if (!open.isEmpty()) {
                    int o = open.pop();
                    partner[o] = i;
                    partner[i] = o;
                }
            }
        }
    }

    // ---- characters -----------------------------------------------------------------------

    static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }

    static boolean isIdentStart(char c) {
        return c == '$' || c == '_' || (c < 128 ? Character.isLetter(c) : Character.isUnicodeIdentifierStart(c));
    }

    static boolean isIdentPart(char c) {
        return c == '$' || c == '_' || c == '\u200C' || c == '\u200D'
                || (c < 128 ? Character.isLetterOrDigit(c) : Character.isUnicodeIdentifierPart(c));
    }

    static boolean isOpener(Token t) {
        return t.kind == Kind.TEMPLATE_HEAD || t.is("(") || t.is("[") || t.is("{");
    }

    static boolean isCloser(Token t) {
        return t.kind == Kind.TEMPLATE_TAIL || t.is(")") || t.is("]") || t.is("}");
    }
}
