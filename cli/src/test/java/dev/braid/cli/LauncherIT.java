package dev.braid.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code braid} command as people run it: the launcher at the repository root, as a
 * subprocess (after the module is packaged; {@code BRAID_NO_BUILD} keeps the launcher from
 * rebuilding), its output, error output and exit code.
 */
final class LauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /**
     * Reads the commands' output streams, a thread each: the common pool may have a single
     * thread on a small machine, and a stream nobody drains blocks the command that writes it.
     */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "launcher-output");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Result braid(Path launcher, String... args) throws Exception {
        return braidWithInput(launcher, "", Map.of(), args);
    }

    /** Runs the launcher with {@code input} on its standard input and {@code env} added to its environment. */
    static Result braidWithInput(Path launcher, String input, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try (java.io.OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), READERS);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("braid " + String.join(" ", args) + " did not end in 90 s");
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static Result braid(String... args) throws Exception {
        return braid(ROOT.resolve("braid"), args);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path script(String name, String code) throws IOException {
        return Files.writeString(dir.resolve(name), code);
    }

    @Test
    void version_andHelp() throws Exception {
        Result v = braid("--version");
        assertEquals(0, v.code(), v.toString());
        assertTrue(v.out().startsWith("braid "), v.toString());
        Result h = braid("help", "run");
        assertEquals(0, h.code(), h.toString());
        assertTrue(h.out().contains("--timeout"), h.toString());
    }

    @Test
    void guestCodeRunsInterpreted_unlessJitIsAsked() throws Exception {
        Result interpreted = braid("--version");
        assertTrue(interpreted.out().contains("guest code interpreted"), interpreted.toString());
        Result compiled = braid("--jit", "--version");
        assertTrue(compiled.out().contains("guest code compiled by GraalVM"), compiled.toString());
        assertEquals(new Result(0, "Hello, world, from Braid!\n", ""), braid("--jit", "run", "js-examples/hello.js"));
        // --verbose says at once what a busy job hears after a few seconds of computing.
        Result verbose = braid("run", "--verbose", "js-examples/hello.js");
        assertEquals(new Result(0, "Hello, world, from Braid!\n",
                "braid: guest code runs in the interpreter (no optimizing compiler); for CPU-bound jobs `braid --jit run ...`"
                        + " compiles it with Graal\n"), verbose);
    }

    @Test
    void theHelloExample_runs_withAndWithoutItsArgument() throws Exception {
        Result r = braid("run", "js-examples/hello.js");
        assertEquals(new Result(0, "Hello, world, from Braid!\n", ""), r);
        Result named = braid("run", "js-examples/hello.js", "Ada");
        assertEquals("Hello, Ada, from Braid!\n", named.out(), named.toString());
    }

    @Test
    void worksThroughASymbolicLink() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("braid"), ROOT.resolve("braid"));
        Result r = braid(link, "eval", "6 * 7");
        assertEquals(new Result(0, "42\n", ""), r);
    }

    @Test
    void argumentsAndExitCode_asNodeScriptsSeeThem_andTheJobWaitsForItsTasks() throws Exception {
        Path s = script("args.js", """
                console.log(JSON.stringify(process.argv.slice(1)), JSON.stringify(braid.args));
                braid.spawn(async () => { await braid.sleep(50); console.log('a task outlived the top level'); });
                process.exitCode = 4;
                """);
        Result r = braid("run", s.toString(), "a", "--b", "--", "c");
        assertEquals(4, r.code(), r.toString());
        assertEquals("[\"" + s + "\",\"a\",\"--b\",\"--\",\"c\"] [\"a\",\"--b\",\"--\",\"c\"]\na task outlived the top level\n",
                r.out(), r.toString());
    }

    @Test
    void processExit_endsTheJobAtOnce() throws Exception {
        Path s = script("exit.js", "console.log('before'); process.exit(7); console.log('never');");
        assertEquals(new Result(7, "before\n", ""), braid("run", s.toString()));
        Path b = script("bexit.js", "braid.spawn(async () => { await braid.sleep(10); braid.exit(3); }); await braid.sleep(60000);");
        assertEquals(3, braid("run", b.toString()).code());
    }

    @Test
    void anUncaughtError_showsWhereWithTheSourceLine_andExits1() throws Exception {
        Path s = script("boom.js", """
                const f = () => {
                  throw new TypeError('boom');
                };
                f();
                """);
        Result r = braid("run", s.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: TypeError: boom\n  --> " + s + ":2:9\n"), r.toString());
        assertTrue(r.err().contains(" 2 |   throw new TypeError('boom');\n   |         ^\n"), r.toString());
        assertTrue(r.err().contains("at f (" + s + ":2:9)"), r.toString());
        assertTrue(!r.err().contains("dev.braid"), "no Java frames without --verbose: " + r);
        assertTrue(!r.err().contains("AsyncContext"), "no frame of the bridge's own: " + r);
    }

    @Test
    void aTaskFailureNobodyAwaited_failsTheJob() throws Exception {
        Path s = script("lost.js", "braid.spawn(async function worker() { throw new RangeError('lost'); });\nconsole.log('started');\n");
        Result r = braid("run", s.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("started\n", r.out());
        assertTrue(r.err().startsWith("braid: a task failed and nobody awaited it (task 'worker'):\nerror: RangeError: lost\n  --> "
                + s + ":1:45\n"), r.toString());
        assertTrue(r.err().endsWith("braid: 1 task failure that nobody awaited (reported above)\n"), r.toString());
    }

    @Test
    void anUnhandledRejection_isReported_andFailsTheJobAtItsEnd() throws Exception {
        Path s = script("rejects.js", "Promise.reject(new Error('nobody handles me'));\nsetTimeout(() => console.log('went on'), 20);\n");
        Result r = braid("run", s.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("went on\n", r.out(), "the job goes on after reporting it");
        assertTrue(r.err().contains("unhandled promise rejection: Error: nobody handles me"), r.toString());
        assertTrue(r.err().endsWith("braid: 1 uncaught error (reported above)\n"), r.toString());
    }

    @Test
    void usageErrors_exit2_andSayWhatWasWrong() throws Exception {
        Result unknown = braid("frobnicate");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("frobnicate"), unknown.toString());
        Result missing = braid("run", dir.resolve("nothing.js").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("no such file: " + dir.resolve("nothing.js")), missing.toString());
        Result badDuration = braid("run", "--timeout", "soon", "js-examples/hello.js");
        assertEquals(2, badDuration.code(), badDuration.toString());
        assertTrue(badDuration.err().contains("not a duration: 'soon'"), badDuration.toString());
    }

    @Test
    void permissionFlags_grantAndDeny_andADenialNamesTheFlag() throws Exception {
        Path data = Files.writeString(dir.resolve("data.txt"), "secret data");
        Path s = script("read.js", "console.log(await braid.fs.readText(braid.args[0]));");
        Result none = braid("run", s.toString(), data.toString());
        assertEquals(1, none.code(), none.toString());
        assertTrue(none.err().contains("(grant it with --allow-read=" + data + ")"), "no terminal, no prompt: " + none);
        assertEquals(new Result(0, "secret data\n", ""), braid("run", "--allow-read=" + dir, s.toString(), data.toString()));
        assertEquals(new Result(0, "secret data\n", ""), braid("run", "--allow-read", s.toString(), data.toString()),
                "without a value, the flag grants every path and does not take the script's path");
        Result denied = braid("run", "-A", "--deny-read=" + data, s.toString(), data.toString());
        assertEquals(1, denied.code(), denied.toString());
        assertTrue(denied.err().contains("reading it is denied"), denied.toString());
        Path env = script("env.js", "console.log(braid.env.get('HOME') !== null)");
        assertEquals(new Result(0, "true\n", ""), braid("run", "--allow-env=HOME", env.toString()));
        assertTrue(braid("run", env.toString()).err().contains("(grant it with --allow-env=HOME)"));
    }

    @Test
    void aScriptImportsItsSiblingModules_withoutAReadGrant_butReadsThemOnlyWithOne() throws Exception {
        script("lib.mjs", "export const twice = (n) => n * 2;\n");
        Path main = script("main.js", """
                #!/usr/bin/env -S braid run
                import { twice } from './lib.mjs';
                console.log(twice(21));
                try { await braid.fs.readText(import.meta.url.replace('file://', '').replace(/main\\.js$/, 'lib.mjs')); }
                catch (e) { console.log(e.name); }
                """);
        assertEquals(new Result(0, "42\nPermissionDenied\n", ""), braid("run", main.toString()));
    }

    /**
     * A shell without job control starts background commands with SIGINT ignored, and their
     * children inherit that: such a job rightly never sees a Ctrl-C.
     */
    private static void assumeSigintDelivered() throws IOException {
        if (Files.exists(Path.of("/proc/self/status"))) {
            String status = Files.readString(Path.of("/proc/self/status"));
            java.util.regex.Matcher ignored = java.util.regex.Pattern.compile("SigIgn:\\s*(\\p{XDigit}+)").matcher(status);
            org.junit.jupiter.api.Assumptions.assumeFalse(ignored.find() && (Long.parseLong(ignored.group(1), 16) & 2) != 0,
                    "these tests run with SIGINT ignored (started in the background by a shell without job control)");
        }
    }

    /** Runs the script until it prints its first line, then sends it {@code signal}. */
    private Result signalled(Path script, String signal) throws Exception {
        if (signal.equals("INT")) {
            assumeSigintDelivered();
        }
        Process p = new ProcessBuilder(ROOT.resolve("braid").toString(), "run", script.toString()).directory(ROOT.toFile()).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), READERS);
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertEquals("ready", first, "the script started");
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        StringBuilder rest = new StringBuilder(first).append('\n');
        for (String l; (l = out.readLine()) != null; ) {
            rest.append(l).append('\n');
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the job did not end after " + signal);
        }
        return new Result(p.exitValue(), rest.toString(), err.get(10, TimeUnit.SECONDS));
    }

    @Test
    void ctrlC_withoutAHandler_cancelsTheJobAndExits130_sigtermWith143() throws Exception {
        Path s = script("waits.js", "console.log('ready');\nawait braid.sleep(60000);\nconsole.log('never');\n");
        assertEquals(new Result(130, "ready\n", ""), signalled(s, "INT"));
        assertEquals(new Result(143, "ready\n", ""), signalled(s, "TERM"));
    }

    @Test
    void python_ctrlC_raisesKeyboardInterrupt_cancellingWhatBraidRunRuns() throws Exception {
        Path caught = script("caught.py", """
                import braid
                async def main():
                    try:
                        print('ready', flush=True)
                        await braid.sleep(60)
                    finally:
                        print('coroutine cleaned up', flush=True)
                try:
                    braid.run(main())
                except KeyboardInterrupt:
                    print('caught', flush=True)
                """);
        assertEquals(new Result(0, "ready\ncoroutine cleaned up\ncaught\n", ""), signalled(caught, "INT"));
        Path aio = script("aio.py", """
                import asyncio
                async def main():
                    try:
                        print('ready', flush=True)
                        await asyncio.sleep(60)
                    finally:
                        print('main task cleaned up', flush=True)
                try:
                    asyncio.run(main())
                except KeyboardInterrupt:
                    print('KeyboardInterrupt', flush=True)
                """);
        assertEquals(new Result(0, "ready\nmain task cleaned up\nKeyboardInterrupt\n", ""), signalled(aio, "INT"),
                "asyncio.run on Braid's loop: the main task is cancelled, then KeyboardInterrupt, as in CPython");
        // 'ready' comes from inside the loop, so that the interrupt lands in it (lines 2 to 5),
        // not in a print still returning before it
        Path spins = script("spins.py", "n = 0\nwhile True:\n    n += 1\n    if n == 1000:\n        print('ready', flush=True)\n");
        Result r = signalled(spins, "INT");
        assertEquals(130, r.code(), "as CPython ends on an uncaught KeyboardInterrupt: " + r);
        assertTrue(r.err().contains("KeyboardInterrupt") && r.err().matches("(?s).*spins\\.py:[2-5]\\b.*"), r.toString());
    }

    @Test
    void aSignalHandler_runsItsCleanUp_insteadOfStoppingTheJob() throws Exception {
        Path s = script("graceful.js", """
                braid.onSignal('SIGINT', async () => {
                  console.log('cleaning up');
                  await braid.sleep(10);
                  braid.exit(3);
                });
                process.on('SIGTERM', () => { console.log('term'); process.exit(4); });
                console.log('ready');
                await braid.sleep(60000);
                """);
        assertEquals(new Result(3, "ready\ncleaning up\n", ""), signalled(s, "INT"));
        assertEquals(new Result(4, "ready\nterm\n", ""), signalled(s, "TERM"));
    }

    @Test
    void python_asyncioSignalHandlers_takeSigtermAndSigint_untilRemoved() throws Exception {
        Path s = script("handlers.py", """
                import asyncio, signal
                async def main():
                    loop = asyncio.get_running_loop()
                    stop = asyncio.Event()
                    for sig in (signal.SIGINT, signal.SIGTERM):
                        loop.add_signal_handler(sig, lambda sig=sig: (print('got', sig.name, flush=True), stop.set()))
                    print('ready', flush=True)
                    await stop.wait()
                    loop.remove_signal_handler(signal.SIGTERM)
                    print('stopping', flush=True)
                asyncio.run(main())
                """);
        assertEquals(new Result(0, "ready\ngot SIGTERM\nstopping\n", ""), signalled(s, "TERM"));
        assertEquals(new Result(0, "ready\ngot SIGINT\nstopping\n", ""), signalled(s, "INT"));
    }

    @Test
    void standardStreams_theEnvironment_andTheWorkingDirectory_asNodeScriptsHaveThem() throws Exception {
        Path s = script("streams.js", """
                const lines = [];
                for await (const line of braid.stdin) lines.push(line);
                process.stdout.write(lines.join('|'));
                process.stdout.write(new Uint8Array([10]));
                process.stderr.write('to stderr\\n');
                console.log(process.cwd() === braid.args[0], process.env.BRAID_GRANTED, process.env.BRAID_OTHER,
                  'BRAID_OTHER' in process.env, Object.keys(process.env).includes('BRAID_GRANTED'));
                """);
        Result r = braidWithInput(ROOT.resolve("braid"), "first\nsecond\r\nlast",
                Map.of("BRAID_GRANTED", "yes", "BRAID_OTHER", "hidden"), "run", "--allow-env=BRAID_GRANTED", s.toString(), ROOT.toString());
        assertEquals(new Result(0, "first|second|last\ntrue yes undefined false true\n", "to stderr\n"), r);
    }

    @Test
    void progressBars_withoutATerminal_printNothing() throws Exception {
        Path s = script("bars.js", "const p = braid.progress(3, { label: 'work' });\nfor (let i = 0; i < 3; i++) p.tick();\np.done();\nconsole.log('done', p.value);\n");
        assertEquals(new Result(0, "done 3\n", ""), braid("run", s.toString()));
    }

    @Test
    void timeout_endsTheJobWith124() throws Exception {
        Path s = script("slow.js", "await braid.sleep(60000);");
        Result r = braid("run", "--timeout", "300ms", s.toString());
        assertEquals(124, r.code(), r.toString());
        assertTrue(r.err().contains("ran out of time (--timeout 300ms)"), r.toString());
    }

    @Test
    void eval_printsTheValueAsTheReplShowsIt() throws Exception {
        assertEquals(new Result(0, "{ a: [ 1, 'two' ] }\n", ""), braid("eval", "({a: [1, 'two']})"));
        assertEquals(new Result(0, "'after await'\n", ""), braid("eval", "await braid.sleep(1); 'after await'"));
    }

    @Test
    void python_argumentsAndSysExit() throws Exception {
        Path s = script("job.py", "import sys\nprint('args', sys.argv[1:])\nsys.exit(5)\n");
        Result r = braid("run", s.toString(), "x", "y");
        assertEquals(new Result(5, "args ['x', 'y']\n", ""), r);
        Path message = script("refuses.py", "import sys\nprint('before')\nsys.exit('bad input: x')\n");
        assertEquals(new Result(1, "before\n", "bad input: x\n"), braid("run", message.toString()), "as CPython prints it");
    }
    @Test
    void python_aTracebackShowsTheScriptsLines_whateverItsName_yetTheScriptStaysUnreadable() throws Exception {
        Path s = script("my-job.py", """
                import traceback
                def fails():
                    raise KeyError('shown with its line')
                try:
                    fails()
                except KeyError:
                    traceback.print_exc()
                try:
                    open(__file__)
                except PermissionError as e:
                    print('refused:', e.strerror.split(':')[0])
                """);
        Result r = braid("run", s.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("refused: read access to " + s + " denied\n", r.out(), r.toString());
        assertTrue(r.err().startsWith("Traceback (most recent call last):\n"
                + "  File \"" + s + "\", line 5, in <module>\n    fails()\n"
                + "  File \"" + s + "\", line 3, in fails\n    raise KeyError('shown with its line')\n"
                + "KeyError: 'shown with its line'\n"), r.toString());
    }

    @Test
    void python_braidRun_siblingModules_andDenialsThatNameTheFlag() throws Exception {
        script("helper.py", "def greet(name):\n    return 'hello ' + name\n");
        Path s = script("main.py", """
                import braid, helper

                async def work(i):
                    await braid.sleep(0.001 * i)
                    return helper.greet(str(i))

                async def main():
                    return await braid.join([braid.task(work, i) for i in range(3)])

                print(braid.run(main()))
                try:
                    open('/etc/hostname')
                except PermissionError as e:
                    print('refused:', e.strerror)
                open(__import__('helper').__file__)
                """);
        Result r = braid("run", s.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("['hello 0', 'hello 1', 'hello 2']\n"
                + "refused: read access to /etc/hostname denied: the session grants no read access (grant it with --allow-read=/etc/hostname)\n",
                r.out(), r.toString());
        assertTrue(r.err().contains("PermissionError") && r.err().contains("--allow-read=" + s.getParent().resolve("helper.py"))
                && r.err().contains("main.py:15"), "the script's own directory is importable, not readable: " + r);
    }

    @Test
    void python_pythonPath_addsADirectoryOfPackages() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site-packages/tools"));
        Files.writeString(site.resolve("__init__.py"), "from .text import shout\n");
        Files.writeString(site.resolve("text.py"), "def shout(s):\n    return s.upper() + '!'\n");
        Path s = script("uses.py", "import tools\nprint(tools.shout('hi'), tools.text.__name__)\n");
        assertEquals(new Result(0, "HI! tools.text\n", ""), braid("run", "--python-path", dir.resolve("site-packages").toString(), s.toString()));
        Result without = braid("run", s.toString());
        assertEquals(1, without.code(), without.toString());
        assertTrue(without.err().contains("ModuleNotFoundError: No module named 'tools'"), without.toString());
    }

    @Test
    void aJobInTwoLanguages_waitsForBoth_andSharesItsArguments() throws Exception {
        Path s = script("both.py", """
                import braid
                async def main():
                    add = await braid.js("(a, b) => a + b")
                    print('sum', await add(2, 3))
                    # a JavaScript task that nothing awaits, held until Python's top level is over
                    return await braid.js(
                        "let open; const gate = new Promise((r) => { open = r; });"
                        "braid.spawn(async () => { await gate; await braid.sleep(20); console.log('js task done', braid.args); });"
                        "() => open()")
                release = braid.run(main())
                print('python done', flush=True)
                braid.run(release())
                """);
        assertEquals(new Result(0, "sum 5\npython done\njs task done [ 'x' ]\n", ""), braid("run", s.toString(), "x"));
    }

    @Test
    void python_input_braidExit_andAFailureNobodyAwaited() throws Exception {
        Path s = script("world.py", """
                import braid, sys
                name = input()
                rest = sys.stdin.read()
                print('hello', name, rest.split())
                async def fails():
                    raise KeyError('lost')
                task = braid.spawn(fails)
                print('spawned')
                """);
        Result r = braidWithInput(ROOT.resolve("braid"), "Ada\nB\nC\n", Map.of(), "run", s.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("hello Ada ['B', 'C']\nspawned\n", r.out(), r.toString());
        assertEquals(1, r.err().split("a task failed and nobody awaited it", -1).length - 1, "reported once: " + r);
        assertTrue(r.err().contains("KeyError: 'lost'") && r.err().contains("world.py:6"), r.toString());
        Path exits = script("exits.py", "import braid\nasync def main():\n    await braid.sleep(0)\n    braid.exit(4)\n"
                + "braid.run(main())\nprint('not reached')\n");
        assertEquals(new Result(4, "", ""), braid("run", exits.toString()));
    }

    @Test
    void python_grants_fromTheCommandLine() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path s = script("grants.py", """
                import os, pathlib
                d = pathlib.Path(os.environ['DATA_DIR'])
                (d / 'out.txt').write_text('written')
                os.rename(d / 'out.txt', d / 'moved.txt')
                print(sorted(os.listdir(d)), (d / 'moved.txt').read_text())
                # Python's own sockets with unscoped network access, to a listener of braid.net
                import braid, socket
                async def serve(listener):
                    conn = await listener.accept()
                    line = await conn.read_line()
                    await conn.write(line.upper() + '\\n')
                    conn.close()
                listener = braid.net.listen('127.0.0.1', 0)
                server = braid.spawn(serve, listener)
                with socket.create_connection(('127.0.0.1', listener.port)) as sock:
                    sock.sendall(b'ping\\n')
                    print(sock.makefile().readline().strip())
                braid.run(server)
                """);
        Result r = braidWithInput(ROOT.resolve("braid"), "", Map.of("DATA_DIR", data.toString()), "run", "--allow-env=DATA_DIR",
                "--allow-read=" + data, "--allow-write=" + data, "--allow-net", s.toString());
        assertEquals(new Result(0, "['moved.txt'] written\nPING\n", ""), r);
    }
}
