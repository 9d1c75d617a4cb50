package dev.braid.polyglot.natives;

import dev.braid.io.Io;
import dev.braid.io.LineReader;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.PermissionCheck;
import dev.braid.polyglot.Permissions;
import dev.braid.process.Child;
import dev.braid.process.Command;
import dev.braid.process.ExitStatus;
import dev.braid.process.PipeWriter;
import dev.braid.process.Stdio;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code braid.process.spawn}'s natives: a child started at once, whose output is read while
 * it runs. {@code spawn(command, args, cwd, env, stdin, stdout, stderr)} checks the grant and
 * starts the program found on the session's {@code PATH} (each stream {@code piped},
 * {@code inherit} or {@code null}), with only the granted environment plus the variables the
 * script passes; {@code pid}, {@code readLine(child, fd)} and {@code read(child, fd)} (fd 1
 * stdout, 2 stderr; null at the end), {@code write(child, text)} / {@code writeBytes},
 * {@code closeStdin}, {@code status} and {@code kill(child, signal)}. A child still running
 * when its session is cancelled or closed is killed.
 */
final class Children {
    private Children() {
    }

    static void put(Guest guest, LanguageAdapter lang, Map<String, Object> m) {
        Permissions perms = guest.permissions();
        m.put("spawn", guest.function(a -> {
            String command = SystemApi.string(a, 0, "process.spawn(command, args, options)", "command");
            List<String> args = SystemApi.strings(a, 1, "process.spawn(command, args, options)");
            Path cwd = a.length > 2 && a[2].isString() ? guest.resolve(Path.of(a[2].asString())) : guest.workingDirectory();
            Path program = PermissionCheck.run(perms, command, guest.environment().get("PATH"), guest.workingDirectory());
            if (program == null) {
                throw new IllegalArgumentException("process.spawn: '" + command + "' is not on the session's PATH");
            }
            Command cmd = Command.of(program.toString()).args(args).directory(cwd).envClear().killOnDrop(true)
                    .stdin(stdio(a, 4, "null")).stdout(stdio(a, 5, "piped")).stderr(stdio(a, 6, "piped"));
            SystemApi.childEnvironment(perms, guest.environment()).forEach(cmd::env);
            if (a.length > 3 && a[3].hasHashEntries()) { // a Python dict
                Value it = a[3].getHashEntriesIterator();
                while (it.hasIteratorNextElement()) {
                    Value e = it.getIteratorNextElement();
                    if (!e.getArrayElement(0).isString() || !e.getArrayElement(1).isString()) {
                        throw new IllegalArgumentException("process.spawn: env must map strings to strings, got " + e);
                    }
                    cmd.env(e.getArrayElement(0).asString(), e.getArrayElement(1).asString());
                }
            } else if (a.length > 3 && a[3].hasMembers()) {
                for (String k : a[3].getMemberKeys()) {
                    Value v = a[3].getMember(k);
                    if (!v.isString()) {
                        throw new IllegalArgumentException("process.spawn: options.env." + k + " must be a string, got " + v);
                    }
                    cmd.env(k, v.asString());
                }
            }
            Running r = new Running(cmd.spawn(), piped(a, 5, "piped"), piped(a, 6, "piped"), piped(a, 4, "null"));
            guest.onCancel(r.child::close); // kills it if it still runs
            return r;
        }));
        m.put("pid", guest.function(a -> (double) Natives.handle(a[0], Running.class).child.pid()));
        m.put("readLine", guest.function(a -> {
            LineReader o = Natives.handle(a[0], Running.class).output(a[1].asInt());
            return guest.awaitable(o::next);
        }));
        m.put("read", guest.function(a -> {
            LineReader o = Natives.handle(a[0], Running.class).output(a[1].asInt());
            return guest.awaitable(() -> o.nextChunk().map(b -> b == null ? null : ByteBuffer.wrap(b)));
        }));
        m.put("write", guest.function(a -> {
            PipeWriter in = Natives.handle(a[0], Running.class).stdin();
            ByteBuffer bytes = ByteBuffer.wrap(SystemApi.string(a, 1, "stdin.write(data)", "data").getBytes(StandardCharsets.UTF_8));
            return guest.awaitable(() -> Io.writeAll(in, bytes));
        }));
        m.put("writeBytes", guest.function(a -> {
            PipeWriter in = Natives.handle(a[0], Running.class).stdin();
            ByteBuffer bytes = ByteBuffer.wrap(SystemApi.bytes(a, 1, "stdin.write(data)"));
            return guest.awaitable(() -> Io.writeAll(in, bytes));
        }));
        m.put("closeStdin", guest.function(a -> {
            PipeWriter in = Natives.handle(a[0], Running.class).stdin();
            return guest.awaitable(() -> Io.shutdown(in));
        }));
        m.put("status", guest.function(a -> {
            Child c = Natives.handle(a[0], Running.class).child;
            return guest.awaitable(() -> c.waitFor().map(Children::status));
        }));
        m.put("kill", guest.function(a -> {
            Child c = Natives.handle(a[0], Running.class).child;
            String signal = a.length > 1 && a[1].isString() ? a[1].asString() : "SIGTERM";
            return switch (signal) {
                case "SIGTERM" -> c.terminate();
                case "SIGKILL" -> c.kill();
                default -> throw new IllegalArgumentException("child.kill(signal): signal must be 'SIGTERM' or 'SIGKILL', got '" + signal + "'");
            };
        }));
    }

    private static Stdio stdio(Value[] a, int i, String fallback) {
        String s = a.length > i && a[i].isString() ? a[i].asString() : fallback;
        return switch (s) {
            case "piped" -> Stdio.piped();
            case "inherit" -> Stdio.inherit();
            case "null" -> Stdio.nullDevice();
            default -> throw new IllegalArgumentException("process.spawn: a stream must be 'piped', 'inherit' or 'null', got '" + s + "'");
        };
    }

    private static boolean piped(Value[] a, int i, String fallback) {
        return "piped".equals(a.length > i && a[i].isString() ? a[i].asString() : fallback);
    }

    private static Object status(ExitStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", s.code());
        m.put("success", s.success());
        m.put("signal", s.signal().isPresent() ? signalName(s.signal().getAsInt()) : null);
        return ProxyObject.fromMap(m);
    }

    private static String signalName(int n) {
        return switch (n) {
            case 9 -> "SIGKILL";
            case 15 -> "SIGTERM";
            case 2 -> "SIGINT";
            case 1 -> "SIGHUP";
            default -> "signal " + n;
        };
    }

    /** A started child and the readers of its piped output. */
    static final class Running {
        final Child child;
        private final LineReader out;
        private final LineReader err;
        private final boolean in;

        Running(Child child, boolean out, boolean err, boolean in) {
            this.child = child;
            this.out = out ? Io.lines(child.stdout(), StandardCharsets.UTF_8) : null;
            this.err = err ? Io.lines(child.stderr(), StandardCharsets.UTF_8) : null;
            this.in = in;
        }

        LineReader output(int fd) {
            LineReader o = fd == 2 ? err : out;
            if (o == null) {
                throw new IllegalStateException("the child's " + (fd == 2 ? "stderr" : "stdout") + " is not piped (spawn it with "
                        + (fd == 2 ? "stderr" : "stdout") + ": 'piped')");
            }
            return o;
        }

        PipeWriter stdin() {
            if (!in) {
                throw new IllegalStateException("the child's stdin is not piped (spawn it with stdin: 'piped')");
            }
            return child.stdin();
        }
    }
}
