package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Least privilege: a session can reach no host class, file, socket, process or environment
 * variable unless its Permissions grant it, each denial is a clear PermissionDenied error, and
 * each grant opens exactly its scope.
 */
final class JsPermissionsTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-perms");

    /** Runs {@code body} (an async function body) and returns {@code name: message} of what it threw. */
    private static String denial(GuestSession js, String body, String name) {
        Object r = js.evalSync("(async () => { try { " + body + "; return 'no error'; } catch (e) { return e.name + ': ' + e.message; } })()", name);
        return String.valueOf(r);
    }

    @Test
    void noHostClassAccess_javaGlobalsAreAbsent() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(List.of("undefined", "undefined", "undefined", "undefined", "undefined"), js.evalSync(
                    "[typeof Java, typeof Packages, typeof java, typeof Polyglot, typeof Graal]", "globals.js"));
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("Java.type('java.lang.System').exit(1)", "java.js"));
            assertEquals("ReferenceError", e.guestName());
            assertTrue(e.getMessage().contains("Java is not defined"), e.getMessage());
            // A host object handed to the guest stays opaque: no members, no getClass().
            assertEquals("undefined", js.evalSync("typeof braid.sleep.getClass", "opaque.js"));
        }
    }

    @Test
    void files_deniedByDefault_throughTheApiAndImports() {
        try (GuestSession js = fx.host().newSession("js")) {
            String read = denial(js, "await braid.fs.readText('/etc/passwd')", "read.js");
            assertTrue(read.startsWith("PermissionDenied: read access to /etc/passwd denied"), read);
            assertTrue(read.contains("allowRead"), read);
            String write = denial(js, "await braid.fs.writeText('/tmp/braid-should-not-exist', 'x')", "write.js");
            assertTrue(write.startsWith("PermissionDenied: write access to /tmp/braid-should-not-exist denied"), write);
            assertTrue(!Files.exists(Path.of("/tmp/braid-should-not-exist")));
            String imp = denial(js, "await import('/etc/passwd')", "import.js");
            assertTrue(imp.contains("read access to /etc/passwd denied"), imp);
            // The denial points at the guest code that asked.
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(
                    "\nasync function leak() { return await braid.fs.readText('/etc/passwd'); }\nleak()", "leak.js"));
            assertEquals("PermissionDenied", e.guestName());
            assertEquals("leak.js", e.file());
            assertEquals(2, e.line());
        }
    }

    @Test
    void files_grantedPaths_readAndWrite_andNothingBeyond(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(in.resolve("data.txt"), "hello");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(in.resolve("link.txt"), outside.resolve("secret.txt"));
        Permissions perms = Permissions.builder().allowRead(in).allowWrite(out).build();
        try (GuestSession js = fx.host().newSession("js", perms)) {
            assertEquals("HELLO", js.evalSync("""
                    (async () => {
                      const text = await braid.fs.readText('%s/data.txt');
                      await braid.fs.writeText('%s/result.txt', text.toUpperCase());
                      return await braid.fs.readText('%s/result.txt'); // a write grant allows reading back
                    })()""".formatted(in, out, out), "copy.js"));
            assertEquals("HELLO", Files.readString(out.resolve("result.txt")));
            String writeIntoReadOnly = denial(js, "await braid.fs.writeText('" + in + "/x.txt', 'x')", "ro.js");
            assertTrue(writeIntoReadOnly.startsWith("PermissionDenied: write access to " + in.resolve("x.txt")), writeIntoReadOnly);
            String climb = denial(js, "await braid.fs.readText('" + in + "/../outside/secret.txt')", "climb.js");
            assertTrue(climb.startsWith("PermissionDenied: read access to " + outside.resolve("secret.txt") + " denied"), climb);
            String viaLink = denial(js, "await braid.fs.readText('" + in + "/link.txt')", "link.js");
            assertTrue(viaLink.startsWith("PermissionDenied: read access to " + in.resolve("link.txt") + " denied"), viaLink);
            String missing = denial(js, "await braid.fs.readText('" + in + "/nope.txt')", "missing.js");
            assertTrue(missing.contains("no such file") || missing.contains("NoSuchFile"), missing);
        }
    }

    @Test
    void network_deniedByDefault_grantedPerHostAndPort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    OutputStream o = s.getOutputStream();
                    o.write(("pong: " + line + " \u00e9\u20ac\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                } catch (IOException e) {
                    // the test fails on its own assertions
                }
            }, "echo-server");
            echo.setDaemon(true);
            echo.start();
            String connect = "const c = await braid.net.connect('127.0.0.1', " + port + ")";
            try (GuestSession js = fx.host().newSession("js")) {
                String denied = denial(js, connect, "net.js");
                assertEquals("PermissionDenied: net access to 127.0.0.1:" + port + " denied: the session grants no network access"
                        + " (grant it with Permissions.builder().allowNet(\"127.0.0.1:" + port + "\"))", denied);
            }
            try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowNet("127.0.0.1:" + (port == 65535 ? 1 : port + 1)).build())) {
                String otherPort = denial(js, connect, "net.js");
                assertTrue(otherPort.startsWith("PermissionDenied: net access to 127.0.0.1:" + port + " denied: not among the granted hosts"), otherPort);
            }
            try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowNet("127.0.0.1:" + port).build())) {
                assertEquals("pong: ping \u00e9\u20ac|null", js.evalSync("""
                        (async () => {
                          %s;
                          await c.write('ping\\n');
                          const line = await c.readLine();
                          const end = await c.readLine();
                          c.close();
                          return line + '|' + end;
                        })()""".formatted(connect), "net-ok.js"));
            }
            echo.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void processes_deniedByDefault_grantedPerCommand_withALeanEnvironment() {
        try (GuestSession js = fx.host().newSession("js")) {
            String denied = denial(js, "await braid.process.run('echo', ['hi'])", "run.js");
            assertEquals("PermissionDenied: run access to echo denied: the session grants no process access"
                    + " (grant it with Permissions.builder().allowRun(\"echo\"))", denied);
        }
        Permissions perms = Permissions.builder().allowRun("echo").allowRun("env").allowEnv("PATH").allowEnv("BRAID_UNSET_VAR").build();
        try (GuestSession js = fx.host().newSession("js", perms)) {
            assertEquals(Map.of("code", 0, "stdout", "hi there\n", "stderr", ""),
                    js.evalSync("(async () => await braid.process.run('echo', ['hi', 'there']))()", "echo.js"));
            String other = denial(js, "await braid.process.run('/bin/echo', ['hi'])", "path.js");
            assertTrue(other.startsWith("PermissionDenied: run access to /bin/echo denied: not among the granted commands [echo, env]"), other);
            // The child sees PATH and the variables the session may read, nothing else of ours.
            Object out = js.evalSync("(async () => (await braid.process.run('env', [])).stdout)()", "env.js");
            Set<String> names = new TreeSet<>();
            for (String line : String.valueOf(out).split("\n")) {
                if (!line.isEmpty()) {
                    names.add(line.substring(0, line.indexOf('=')));
                }
            }
            assertEquals(Set.of("PATH"), names, String.valueOf(out));
        }
        // Found on the host's PATH at start; the child gets no variable the session may not read, PATH included.
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowRun("env").build())) {
            assertEquals(Map.of("code", 0, "stdout", "", "stderr", ""),
                    js.evalSync("(async () => await braid.process.run('env', []))()", "bare.js"));
        }
    }

    @Test
    void environment_deniedByDefault_grantedPerVariable() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("\nbraid.env.get('PATH')", "env.js"));
            assertEquals("PermissionDenied", e.guestName());
            assertTrue(e.getMessage().contains("env access to PATH denied: the session grants no environment access"), e.getMessage());
            assertEquals(2, e.line());
        }
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowEnv("PATH").allowEnv("BRAID_UNSET_VAR").build())) {
            assertEquals(System.getenv("PATH"), js.evalSync("braid.env.get('PATH')", "path.js"));
            assertEquals(null, js.evalSync("braid.env.get('BRAID_UNSET_VAR')", "unset.js"));
            String home = String.valueOf(js.evalSync("(() => { try { return braid.env.get('HOME'); } catch (e) { return e.name + ': ' + e.message; } })()", "home.js"));
            assertTrue(home.startsWith("PermissionDenied: env access to HOME denied: not among the granted variables [PATH, BRAID_UNSET_VAR]"), home);
        }
    }

    @Test
    void theHostsWorkingDirectoryAndEnvironment_areTheSessions(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("note.txt"), "relative");
        Files.writeString(dir.resolve("lib.mjs"), "export const where = 'beside main';");
        Map<String, String> env = Map.of("GREETING", "hi", "PATH", System.getenv("PATH"));
        Permissions perms = Permissions.builder().allowRead(dir).allowWrite(dir).allowRun("sh").allowEnv("GREETING").build();
        try (ScriptHost host = ScriptHost.builder(fx.host().runtime()).permissions(perms).workingDirectory(dir).environment(env).build();
             GuestSession js = host.newSession("js")) {
            assertEquals("relative", js.evalSync("await braid.fs.readText('note.txt')", "read.js"), "relative to the session's directory");
            js.evalSync("await braid.fs.writeText('out.txt', 'written')", "write.js");
            assertEquals("written", Files.readString(dir.resolve("out.txt")));
            assertEquals("hi", js.evalSync("braid.env.get('GREETING')", "env.js"), "the host's environment, not this process's");
            // The child runs in the session's directory, with the granted variables only.
            assertEquals(dir.toRealPath() + "\nhi\n", js.evalSync(
                    "(await braid.process.run('sh', ['-c', 'pwd -P; echo $GREETING'])).stdout", "child.js"));
            // A name is looked up on the session's PATH only.
            try (ScriptHost bare = ScriptHost.builder(fx.host().runtime()).permissions(perms).environment(Map.of()).build();
                 GuestSession noPath = bare.newSession("js")) {
                String lost = String.valueOf(noPath.evalSync(
                        "(async () => { try { await braid.process.run('sh', ['-c', 'true']); return 'started'; }"
                                + " catch (e) { return e.message; } })()", "nopath.js"));
                assertTrue(lost.contains("process.run: 'sh' is not on the session's PATH"), lost);
            }
            // A module's name resolves against it too, and so do its imports.
            Files.writeString(dir.resolve("main.mjs"), "import { where } from './lib.mjs'; export const seen = where;");
            Object ns = js.evalSync(Files.readString(dir.resolve("main.mjs")), "main.mjs");
            assertEquals("beside main", ((Map<?, ?>) ns).get("seen"));
        }
    }

    @Test
    void badArguments_sayWhatWasExpected() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("braid.fs.readText(42)", "arg.js"));
            assertTrue(e.getMessage().contains("fs.readText(path): path must be a string, got 42"), e.getMessage());
            GuestError p = assertThrows(GuestError.class, () -> js.evalSync("braid.net.connect('localhost', 70000)", "port.js"));
            assertTrue(p.getMessage().contains("port must be an integer in 1..65535, got 70000"), p.getMessage());
            GuestError a = assertThrows(GuestError.class, () -> js.evalSync("braid.process.run('echo', 'hi')", "args.js"));
            assertTrue(a.getMessage().contains("args must be an array of strings"), a.getMessage());
        }
    }

    @Test
    void permissionCheck_rejectsDanglingLinks(@TempDir Path dir) throws IOException {
        Path link = dir.resolve("dangling");
        Files.createSymbolicLink(link, dir.getParent().resolve("braid-missing-" + System.nanoTime()));
        Permissions perms = Permissions.builder().allowWrite(dir).build();
        PermissionDenied e = assertThrows(PermissionDenied.class, () -> PermissionCheck.write(perms, link));
        assertEquals("write", e.kind());
        assertEquals(link.toString(), e.target());
        assertEquals(dir.resolve("new.txt"), PermissionCheck.write(perms, dir.resolve("new.txt")));
        assertTrue(Arrays.asList(e.getMessage().split(" ")).contains("denied:"), e.getMessage());
    }
}
