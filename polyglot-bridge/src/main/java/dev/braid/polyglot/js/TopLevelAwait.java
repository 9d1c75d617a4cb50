package dev.braid.polyglot.js;

import dev.braid.polyglot.js.JsTokens.Kind;
import dev.braid.polyglot.js.JsTokens.Token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a classic script that uses {@code await} at its top level into a classic script
 * that runs the same statements in an async arrow function and evaluates to its promise,
 * the way REPLs do it (Graal.js accepts top-level await only in modules, and modules have no
 * completion value and keep their declarations to themselves).
 *
 * <pre>
 *   const a = await f(), {b} = g();    let a, b; var h; (async (G, V) =&gt; {G.h = h;
 *   function h() {}                 →        ;0, a = await f(), {b} = g();
 *   a + b                                 function h() {}
 *                                         V = (a + b)
 *                                         ;return V;})(globalThis)
 * </pre>
 *
 * <ul>
 *   <li>Top-level {@code let}, {@code const} and {@code class} names are declared by the
 *       outer script ({@code let}), {@code var} and function names as {@code var}: they
 *       outlive the evaluation, as a classic script's declarations would, and later
 *       evaluations see them. The declarations themselves become assignments: a
 *       {@code const} is therefore reassignable afterwards, and a name used before its
 *       declaration reads {@code undefined} instead of throwing.
 *   <li>Function declarations stay in the async function (hoisted there, as usual) and are
 *       copied to the global object at its start.
 *   <li>The value is that of the last top-level expression statement, provided that only
 *       declarations or empty statements follow it; otherwise (a trailing {@code if},
 *       {@code for}...) it is {@code undefined}.
 *   <li>No line breaks are inserted: lines stay where they were, and {@link #originalPosition}
 *       maps a column of the rewritten text back to the user's text.
 * </ul>
 */
public final class TopLevelAwait {
    static final String GLOBAL = "__braid$global";
    static final String VALUE = "__braid$value";

    /** Keywords that, at the end of a line, ask for more (no semicolon is inserted after them). */
    private static final Set<String> CONTINUING_KEYWORDS = Set.of("in", "instanceof", "typeof", "void", "delete", "new",
            "await", "extends", "let", "const", "var", "case");
    /** Punctuators that cannot start a statement: at the start of a line they continue the previous one. */
    private static final Set<String> NOT_STATEMENT_START = Set.of("++", "--", "!", "~", "{", "}", ";", ")", "]", "#", "@");
    private static final Set<String> RESERVED = Set.of("break", "case", "catch", "class", "const", "continue", "debugger",
            "default", "delete", "do", "else", "export", "extends", "false", "finally", "for", "function", "if", "import",
            "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var",
            "void", "while", "with");

    /** The rewritten source and its edits, for mapping positions back. */
    public record Rewrite(String code, List<Edit> edits) {
    }

    /** {@code removed} characters at {@code offset} of the original text replaced by {@code text}. */
    public record Edit(int offset, int removed, String text) {
    }

    private enum StmtKind { LEXICAL, VAR, FUNCTION, CLASS, EMPTY, EXPRESSION, DIRECTIVE, OTHER }

    private record Stmt(StmtKind kind, int first, int end) {
    }

    private final JsTokens tk;
    private final List<Edit> edits = new ArrayList<>();
    private final Set<String> lexical = new LinkedHashSet<>();
    private final Set<String> vars = new LinkedHashSet<>();
    private final Set<String> functions = new LinkedHashSet<>();

    private TopLevelAwait(JsTokens tk) {
        this.tk = tk;
    }

    /** Whether {@code code} mentions {@code await} at all (as a token, not in a string or comment). */
    public static boolean mentionsAwait(String code) {
        return JsTokens.of(code).hasName("await");
    }

    public static Rewrite rewrite(String code) {
        return new TopLevelAwait(JsTokens.of(code)).run();
    }

    private Rewrite run() {
        List<Stmt> stmts = new ArrayList<>();
        int i = 0;
        boolean prologue = true;
        while (tk.get(i).kind() != Kind.EOF) {
            int end = skipStatement(i);
            if (end <= i) {
                end = i + 1; // a stray closer: step over it, the parser will complain
            }
            StmtKind kind = classify(i, end);
            if (prologue && kind == StmtKind.EXPRESSION && tk.get(i).kind() == Kind.STRING
                    && (end == i + 1 || (end == i + 2 && tk.get(i + 1).is(";")))) {
                kind = StmtKind.DIRECTIVE;
            } else {
                prologue = false;
            }
            stmts.add(new Stmt(kind, i, end));
            i = end;
        }
        Stmt valueStmt = null;
        for (int k = stmts.size() - 1; k >= 0; k--) {
            StmtKind kind = stmts.get(k).kind;
            if (kind == StmtKind.EXPRESSION || kind == StmtKind.DIRECTIVE) {
                valueStmt = stmts.get(k);
                break;
            }
            if (kind != StmtKind.LEXICAL && kind != StmtKind.VAR && kind != StmtKind.FUNCTION && kind != StmtKind.CLASS
                    && kind != StmtKind.EMPTY) {
                break;
            }
        }
        int exportsAt = -1; // where function declarations are copied to the global object: after the directives
        for (Stmt s : stmts) {
            switch (s.kind) {
                case LEXICAL, VAR -> declaration(s);
                case FUNCTION -> functions.add(functionName(s.first));
                case CLASS -> classDeclaration(s);
                case DIRECTIVE -> exportsAt = s == valueStmt ? exportsAt : tk.get(s.end - 1).end();
                default -> {
                }
            }
        }
        functions.remove(null);
        StringBuilder exports = new StringBuilder();
        for (String f : functions) {
            exports.append(GLOBAL).append('.').append(f).append(" = ").append(f).append(';');
        }
        if (exportsAt >= 0 && !exports.isEmpty()) {
            edits.add(new Edit(exportsAt, 0, exports.toString())); // before a value insertion at the same offset
        }
        if (valueStmt != null) {
            int last = valueStmt.end - 1;
            if (tk.get(last).is(";") && last > valueStmt.first) {
                last--;
            }
            edits.add(new Edit(tk.get(valueStmt.first).start(), 0, VALUE + " = ("));
            edits.add(new Edit(tk.get(last).end(), 0, ")"));
        }
        StringBuilder prefix = new StringBuilder();
        if (!lexical.isEmpty()) {
            prefix.append("let ").append(String.join(", ", lexical)).append("; ");
        }
        Set<String> varNames = new LinkedHashSet<>(vars);
        varNames.addAll(functions);
        varNames.removeAll(lexical);
        if (!varNames.isEmpty()) {
            prefix.append("var ").append(String.join(", ", varNames)).append("; ");
        }
        prefix.append("(async (").append(GLOBAL).append(", ").append(VALUE).append(") => {");
        if (exportsAt < 0) {
            prefix.append(exports);
        }
        edits.add(0, new Edit(0, 0, prefix.toString()));
        edits.add(new Edit(tk.src.length(), 0, "\n;return " + VALUE + ";})(globalThis)"));
        edits.sort((a, b) -> Integer.compare(a.offset, b.offset)); // stable: insertions at one offset keep their order
        return new Rewrite(apply(tk.src, edits), List.copyOf(edits));
    }

    private static String apply(String src, List<Edit> edits) {
        StringBuilder out = new StringBuilder(src.length() + 128);
        int at = 0;
        for (Edit e : edits) {
            out.append(src, at, e.offset).append(e.text);
            at = e.offset + e.removed;
        }
        return out.append(src, at, src.length()).toString();
    }

    /**
     * The offset in the original text of {@code offset} in the rewritten one (text that was
     * inserted maps to where it was inserted).
     */
    static int originalOffset(List<Edit> edits, int offset) {
        int delta = 0; // rewritten - original, before the current edit
        for (Edit e : edits) {
            int from = e.offset + delta;
            if (offset < from) {
                break;
            }
            if (offset < from + e.text.length()) {
                // inside the edit: a same-length replacement maps character by character
                return e.removed == e.text.length() ? e.offset + (offset - from) : e.offset;
            }
            delta += e.text.length() - e.removed;
        }
        return offset - delta;
    }

    /** 1-based line and column of the rewritten text mapped to the original (lines never move). */
    public static int[] originalPosition(Rewrite r, String original, int line, int column) {
        int off = offsetOf(r.code, line, column);
        if (off < 0) {
            return new int[] {line, column};
        }
        int o = Math.min(originalOffset(r.edits, off), original.length());
        return positionOf(original, o);
    }

    private static int offsetOf(String text, int line, int column) {
        int l = 1;
        int i = 0;
        while (l < line) {
            int nl = nextLine(text, i);
            if (nl < 0) {
                return -1;
            }
            i = nl;
            l++;
        }
        return Math.min(i + Math.max(column, 1) - 1, text.length());
    }

    private static int nextLine(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
            if (c == '\n' || c == '\u2028' || c == '\u2029') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int[] positionOf(String text, int offset) {
        int line = 1;
        int start = 0;
        for (;;) {
            int nl = nextLine(text, start);
            if (nl < 0 || nl > offset) {
                return new int[] {line, offset - start + 1};
            }
            start = nl;
            line++;
        }
    }

    // ---- statements -----------------------------------------------------------------------

    private StmtKind classify(int i, int end) {
        Token t = tk.get(i);
        if (t.is(";")) {
            return StmtKind.EMPTY;
        }
        if (t.kind() != Kind.NAME) {
            return t.is("{") ? StmtKind.OTHER : StmtKind.EXPRESSION;
        }
        switch (t.text()) {
            case "const":
                return StmtKind.LEXICAL;
            case "let":
                return isLetDeclaration(i) ? StmtKind.LEXICAL : StmtKind.EXPRESSION;
            case "var":
                return StmtKind.VAR;
            case "function":
                return StmtKind.FUNCTION;
            case "class":
                return StmtKind.CLASS;
            case "async":
                return isAsyncFunction(i) ? StmtKind.FUNCTION : StmtKind.EXPRESSION;
            case "if", "for", "while", "do", "try", "switch", "with", "return", "throw", "break", "continue", "debugger",
                 "import", "export":
                return t.text().equals("import") && (tk.get(i + 1).is("(") || tk.get(i + 1).is(".")) ? StmtKind.EXPRESSION : StmtKind.OTHER;
            default:
                return isLabel(i) ? StmtKind.OTHER : StmtKind.EXPRESSION;
        }
    }

    private boolean isLetDeclaration(int i) {
        Token n = tk.get(i + 1);
        return n.is("[") || n.is("{") || (n.kind() == Kind.NAME && !n.is("in") && !n.is("instanceof"));
    }

    private boolean isAsyncFunction(int i) {
        return tk.get(i + 1).is("function") && !tk.get(i + 1).newlineBefore();
    }

    private boolean isLabel(int i) {
        return tk.get(i).kind() == Kind.NAME && !RESERVED.contains(tk.get(i).text()) && tk.get(i + 1).is(":");
    }

    /** The index just past the statement starting at token {@code i}. */
    private int skipStatement(int i) {
        Token t = tk.get(i);
        if (t.kind() == Kind.EOF) {
            return i;
        }
        if (t.is("{")) {
            return after(i);
        }
        if (t.is(";")) {
            return i + 1;
        }
        if (t.kind() == Kind.NAME) {
            switch (t.text()) {
                case "if": {
                    int j = skipStatement(afterParens(i + 1));
                    return tk.get(j).is("else") ? skipStatement(j + 1) : j;
                }
                case "for": {
                    int j = tk.get(i + 1).is("await") ? i + 2 : i + 1;
                    return skipStatement(afterParens(j));
                }
                case "while", "with":
                    return skipStatement(afterParens(i + 1));
                case "do": {
                    int j = skipStatement(i + 1);
                    if (tk.get(j).is("while")) {
                        j = afterParens(j + 1);
                    }
                    return tk.get(j).is(";") ? j + 1 : j;
                }
                case "try": {
                    int j = after(i + 1);
                    if (tk.get(j).is("catch")) {
                        j = tk.get(j + 1).is("(") ? after(after(j + 1)) : after(j + 1);
                    }
                    if (tk.get(j).is("finally")) {
                        j = after(j + 1);
                    }
                    return j;
                }
                case "switch":
                    return after(afterParens(i + 1));
                case "function":
                    return skipFunction(i);
                case "async":
                    if (isAsyncFunction(i)) {
                        return skipFunction(i + 1);
                    }
                    break;
                case "class":
                    return skipClass(i);
                case "return", "break", "continue", "throw":
                    return tk.get(i + 1).newlineBefore() ? i + 1 : expressionEnd(i + 1, true);
                case "let", "const", "var":
                    return declarationEnd(i + 1);
                default:
                    if (isLabel(i)) {
                        return skipStatement(i + 2);
                    }
            }
        }
        return expressionEnd(i, false);
    }

    private int skipFunction(int i) {
        int j = i + 1;
        while (tk.get(j).kind() != Kind.EOF && !tk.get(j).is("(")) {
            j++; // '*' and the name
        }
        j = after(j);
        return tk.get(j).is("{") ? after(j) : j;
    }

    private int skipClass(int i) {
        int j = i + 1;
        while (tk.get(j).kind() != Kind.EOF && !tk.get(j).is("{")) {
            j = JsTokens.isOpener(tk.get(j)) ? after(j) : j + 1; // the name and the heritage
        }
        return after(j);
    }

    /** Past the bracket group opening at {@code i} (or just past {@code i} if it opens nothing). */
    private int after(int i) {
        if (!JsTokens.isOpener(tk.get(i))) {
            return tk.get(i).kind() == Kind.EOF ? i : i + 1;
        }
        int p = tk.partner[Math.min(i, tk.partner.length - 1)];
        return p < 0 ? tk.tokens.size() - 1 : p + 1;
    }

    private int afterParens(int i) {
        return tk.get(i).is("(") ? after(i) : i;
    }

    /**
     * The end of an expression (or declaration list) starting at {@code i}: past a
     * semicolon, or before a closer of an enclosing group, the end of input, or a line break
     * where automatic semicolon insertion applies.
     */
    private int expressionEnd(int i, boolean continued) {
        int j = i;
        boolean first = !continued;
        for (;;) {
            Token t = tk.get(j);
            if (t.kind() == Kind.EOF) {
                return j;
            }
            if (!first && t.newlineBefore() && endsAtLineBreak(tk.get(j - 1), t)) {
                return j;
            }
            if (t.is(";")) {
                return j + 1;
            }
            if (JsTokens.isCloser(t)) {
                return j;
            }
            j = JsTokens.isOpener(t) ? after(j) : j + 1;
            first = false;
        }
    }

    /**
     * The end of a declaration list starting at {@code i} (after {@code let}, {@code const} or
     * {@code var}): declarators separated by commas, each a binding with an optional
     * initializer. After a declarator only {@code ,}, {@code =} or {@code ;} may follow, so
     * anything else ends the statement (on a new line, by semicolon insertion).
     */
    private int declarationEnd(int i) {
        int j = i;
        for (;;) {
            Token t = tk.get(j);
            if (t.kind() == Kind.EOF) {
                return j;
            }
            j = JsTokens.isOpener(t) ? after(j) : j + 1; // the binding: a name or a pattern
            if (tk.get(j).is("=")) {
                j = initializerEnd(j + 1);
            }
            if (tk.get(j).is(",")) {
                j++;
                continue;
            }
            return tk.get(j).is(";") ? j + 1 : j;
        }
    }

    /** Like {@link #expressionEnd}, but also ends before a comma, and does not consume the semicolon. */
    private int initializerEnd(int i) {
        int j = i;
        boolean first = true;
        for (;;) {
            Token t = tk.get(j);
            if (t.kind() == Kind.EOF || t.is(";") || t.is(",") || JsTokens.isCloser(t)
                    || (!first && t.newlineBefore() && endsAtLineBreak(tk.get(j - 1), t))) {
                return j;
            }
            j = JsTokens.isOpener(t) ? after(j) : j + 1;
            first = false;
        }
    }

    /** Whether a statement ends at the line break between {@code prev} and {@code next}. */
    private static boolean endsAtLineBreak(Token prev, Token next) {
        boolean prevAsksForMore = switch (prev.kind()) {
            case PUNCT -> !(prev.is(")") || prev.is("]") || prev.is("}") || prev.is("++") || prev.is("--"));
            case NAME -> CONTINUING_KEYWORDS.contains(prev.text());
            case TEMPLATE_HEAD, TEMPLATE_MIDDLE -> true;
            default -> false;
        };
        if (prevAsksForMore) {
            return false;
        }
        boolean nextContinues = switch (next.kind()) {
            case PUNCT -> !NOT_STATEMENT_START.contains(next.text());
            case NAME -> next.is("in") || next.is("instanceof");
            case TEMPLATE, TEMPLATE_HEAD -> true; // a tagged template
            default -> false;
        };
        return !nextContinues;
    }

    // ---- declarations ---------------------------------------------------------------------

    /** {@code let a = 1, {b} = o} becomes {@code ;0, a = 1, {b} = o;} (same length up to the added ';'). */
    private void declaration(Stmt s) {
        Token kw = tk.get(s.first);
        Set<String> names = kw.is("var") ? vars : lexical;
        int j = s.first + 1;
        int end = s.end;
        if (tk.get(end - 1).is(";")) {
            end--;
        }
        while (j < end) {
            j = binding(j, end, names);
            if (tk.get(j).is("=")) {
                j++;
                while (j < end && !tk.get(j).is(",")) {
                    j = JsTokens.isOpener(tk.get(j)) ? after(j) : j + 1;
                }
            }
            if (tk.get(j).is(",")) {
                j++;
            } else if (j < end) {
                j++; // not a declaration list we understand: the parser will tell
            }
        }
        String replacement = " ".repeat(kw.text().length() - 3) + ";0,";
        edits.add(new Edit(kw.start(), kw.text().length(), replacement));
        if (!tk.get(s.end - 1).is(";")) {
            edits.add(new Edit(tk.get(s.end - 1).end(), 0, ";"));
        }
    }

    /** Collects the names a binding (identifier or pattern) at {@code i} declares; returns the index after it. */
    private int binding(int i, int end, Set<String> names) {
        Token t = tk.get(i);
        if (t.kind() == Kind.NAME) {
            names.add(t.text());
            return i + 1;
        }
        if (t.is("[")) {
            int close = tk.partner[i] < 0 ? end : tk.partner[i];
            int j = i + 1;
            while (j < close) {
                if (tk.get(j).is(",")) {
                    j++;
                    continue;
                }
                if (tk.get(j).is("...")) {
                    j++;
                }
                j = binding(j, close, names);
                j = skipDefault(j, close);
            }
            return close + 1;
        }
        if (t.is("{")) {
            int close = tk.partner[i] < 0 ? end : tk.partner[i];
            int j = i + 1;
            while (j < close) {
                if (tk.get(j).is(",")) {
                    j++;
                    continue;
                }
                if (tk.get(j).is("...")) {
                    j = binding(j + 1, close, names);
                    continue;
                }
                int key = j;
                j = JsTokens.isOpener(tk.get(j)) ? after(j) : j + 1; // the key: a name, string, number or [computed]
                if (tk.get(j).is(":")) {
                    j = binding(j + 1, close, names);
                } else if (tk.get(key).kind() == Kind.NAME) {
                    names.add(tk.get(key).text()); // shorthand
                }
                j = skipDefault(j, close);
            }
            return close + 1;
        }
        return i + 1;
    }

    private int skipDefault(int j, int close) {
        if (tk.get(j).is("=")) {
            j++;
            while (j < close && !tk.get(j).is(",")) {
                j = JsTokens.isOpener(tk.get(j)) ? after(j) : j + 1;
            }
        }
        return j;
    }

    private String functionName(int i) {
        int j = tk.get(i).is("async") ? i + 2 : i + 1;
        if (tk.get(j).is("*")) {
            j++;
        }
        return tk.get(j).kind() == Kind.NAME ? tk.get(j).text() : null;
    }

    /** {@code class C {}} becomes {@code C = class C {};} with {@code C} declared by the outer script. */
    private void classDeclaration(Stmt s) {
        Token name = tk.get(s.first + 1);
        if (name.kind() != Kind.NAME || name.is("extends")) {
            return; // anonymous: a syntax error the parser reports
        }
        lexical.add(name.text());
        edits.add(new Edit(tk.get(s.first).start(), 0, name.text() + " = "));
        edits.add(new Edit(tk.get(s.end - 1).end(), 0, ";"));
    }
}
