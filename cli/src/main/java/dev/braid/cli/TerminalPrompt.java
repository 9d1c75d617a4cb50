package dev.braid.cli;

import dev.braid.polyglot.Permissions;
import dev.braid.runtime.Braid;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code Allow? [y/n/A]}: asks the person at the terminal, as Deno does, before an access
 * nothing granted is refused. {@code y} grants that target for the rest of the job,
 * {@code n} refuses it (and is not asked again), {@code A} grants every access of its kind.
 * The worker that asks hands its queue on while the person thinks ({@code blockInPlace}), so
 * the job's other tasks keep running.
 */
final class TerminalPrompt implements Permissions.Prompt {
    /** Shows a question and returns the answer line, or null when there is none (end of input, Ctrl-C). */
    @FunctionalInterface
    interface Asker {
        String ask(String question) throws Exception;
    }

    private static final Map<String, String> WHAT = Map.of("read", "read", "write", "write", "net", "connect to",
            "run", "run", "env", "read the environment variable");

    private final Asker asker;
    private final Set<String> allKinds = new HashSet<>();
    private final Set<String> granted = new HashSet<>();
    private final Set<String> refused = new HashSet<>();
    private volatile boolean asking;

    TerminalPrompt(Asker asker) {
        this.asker = asker;
    }

    @Override
    public synchronized boolean allow(String kind, String target) {
        String key = kind + '\0' + target;
        if (allKinds.contains(kind) || granted.contains(key)) {
            return true;
        }
        if (refused.contains(key)) {
            return false;
        }
        String question = "braid: the script asks to " + WHAT.getOrDefault(kind, kind) + " " + target
                + " (--allow-" + kind + "=" + target + " grants it without asking)\n"
                + "Allow? [y/n/A] (y = yes, allow; n = no, deny; A = allow all " + kind + " access) > ";
        String answer;
        asking = true;
        try {
            answer = Braid.blockInPlace(() -> {
                String a = asker.ask(question);
                while (a != null && !a.strip().matches("[ynA]")) {
                    a = asker.ask("Answer y, n or A > ");
                }
                return a;
            });
        } catch (Exception e) {
            answer = null; // no terminal to ask after all: refuse
        } finally {
            asking = false;
        }
        String a = answer == null ? "n" : answer.strip();
        switch (a) {
            case "A" -> allKinds.add(kind);
            case "y" -> granted.add(key);
            default -> refused.add(key);
        }
        return !a.equals("n");
    }

    /** Whether a question waits for the person's answer. */
    boolean asking() {
        return asking;
    }

    /**
     * Asks on the terminal itself ({@code /dev/tty}), not on standard input, which stays the
     * script's; the question goes to standard error.
     */
    static Asker onTty(PrintStream err) {
        return question -> {
            err.print(question);
            err.flush();
            try (InputStream tty = new FileInputStream("/dev/tty")) {
                return readLine(tty);
            }
        };
    }

    /** One line, read a byte at a time so that nothing after it is taken; null at the end of input. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }
}
