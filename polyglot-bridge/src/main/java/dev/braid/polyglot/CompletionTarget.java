package dev.braid.polyglot;

import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a completion request asks for ({@link LanguageAdapter#completions}): the dotted path
 * before the cursor ({@code config.server} in {@code config.server.po}) and the prefix of the
 * word being typed ({@code po}). Shared by the language plugins, which differ only in what an
 * identifier is.
 *
 * @param path   the names before the last dot, outermost first; empty for a global
 * @param prefix the start of the word at the cursor (may be empty)
 */
public record CompletionTarget(List<String> path, String prefix) {
    /**
     * The target in {@code line} before {@code cursor}, where identifiers start with a
     * character of the class {@code start} and go on with {@code part} (regular-expression
     * character classes such as {@code [A-Za-z_$]}); null if the cursor is not after an
     * identifier, a dot, or nothing.
     */
    public static CompletionTarget of(String line, int cursor, String start, String part) {
        String ident = start + part + "*";
        Pattern p = Pattern.compile("((?:" + ident + "\\s*\\.\\s*)*)(" + ident + ")?$");
        Matcher m = p.matcher(line.substring(0, Math.max(0, Math.min(cursor, line.length()))));
        if (!m.find()) {
            return null;
        }
        List<String> path = new ArrayList<>();
        for (String name : m.group(1).split("\\.")) {
            if (!name.isBlank()) {
                path.add(name.strip());
            }
        }
        return new CompletionTarget(List.copyOf(path), m.group(2) == null ? "" : m.group(2));
    }

    /** The strings of a guest array of candidates, in order. */
    public static List<String> strings(Value array) {
        List<String> out = new ArrayList<>((int) array.getArraySize());
        for (long i = 0; i < array.getArraySize(); i++) {
            out.add(array.getArrayElement(i).asString());
        }
        return out;
    }
}
