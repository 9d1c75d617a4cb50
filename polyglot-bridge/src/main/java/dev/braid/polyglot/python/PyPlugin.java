package dev.braid.polyglot.python;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.LanguagePlugin;
import dev.braid.polyglot.ScriptHost;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Python through GraalPy. A session's coroutines are driven by Braid: awaiting a coroutine
 * steps it with {@code send} on the session's strand, and what it awaits (a Braid future)
 * is polled by the driver ({@link PyAwait}). A cancelled coroutine gets
 * {@code asyncio.CancelledError} at its pending await, so its {@code finally} blocks run.
 * Its standard output and error are the session's ({@code print} included).
 */
public final class PyPlugin implements LanguagePlugin {
    @Override
    public String id() {
        return "python";
    }

    @Override
    public String displayName() {
        return "Python";
    }

    @Override
    public String graalLanguage() {
        return "python";
    }

    @Override
    public boolean handles(Path file) {
        return file.getFileName().toString().endsWith(".py");
    }

    @Override
    public void configure(org.graalvm.polyglot.Context.Builder b) {
        b.allowExperimentalOptions(true)
                // The POSIX layer emulated in Java: no native access, and file access only
                // through the session's file system.
                .option("python.PosixModuleBackend", "java")
                .option("python.DontWriteBytecodeFlag", "true")
                .option("python.WarnExperimentalFeatures", "false");
    }

    /**
     * A script's body runs on the session's main thread, outside the runtime's workers: it is
     * synchronous, and starts its async code with {@code braid.run(coro)}, which blocks that
     * thread while the coroutines run as tasks of the session's strand (GraalPy's GIL lets
     * one thread run Python at a time; a thread blocked in a host call lets the others run).
     */
    @Override
    public boolean topLevelOnOwnThread() {
        return true;
    }

    /** Ctrl-C raises KeyboardInterrupt in the main thread, as in CPython. */
    @Override
    public String interruptSource() {
        return "raise KeyboardInterrupt";
    }

    private final PyFrameLines frameLines = new PyFrameLines();

    @Override
    public dev.braid.polyglot.GuestStackInstrument.FrameLines frameLines() {
        return frameLines;
    }

    /**
     * On a thread of the session's own, which stays in the context for GraalPy to run weak
     * reference callbacks on (see {@link PyCallbacks}).
     */
    @Override
    public void initialize(Guest guest) {
        PyCallbacks.start(guest);
    }

    @Override
    public LanguageAdapter install(Guest guest, ScriptHost host) {
        // open, os and pathlib read and write what the session's grants allow (see sandbox.py).
        guest.fileSystem().allowFileAccess(guest.permissions(), guest::inTempDir);
        PyAdapter py = new PyAdapter(guest);
        py.api = PyApi.install(guest, host, py);
        return py;
    }

    /** {@code sys.argv} is {@code [script, *args]}; {@code sys.exit(code)} raises {@code SystemExit}, which a job runner turns into the job's exit code. */
    @Override
    public void bindJob(Guest guest, dev.braid.polyglot.JobContext job) {
        List<Object> argv = new ArrayList<>();
        argv.add(job.script());
        argv.addAll(job.args());
        PyAdapter py = (PyAdapter) guest.language();
        py.setArgv.execute(org.graalvm.polyglot.proxy.ProxyArray.fromList(argv));
        // __main__.__file__: the script's absolute path, as CPython (3.9 and later) gives it
        String file = guest.workingDirectory().resolve(job.script()).normalize().toString();
        py.api.make.getMember("bind_job").execute(org.graalvm.polyglot.proxy.ProxyArray.fromList(argv), file,
                (org.graalvm.polyglot.proxy.ProxyExecutable) a -> {
                    job.exit(a[0].asInt());
                    return null;
                },
                (org.graalvm.polyglot.proxy.ProxyExecutable) a -> {
                    String name = a[0].asString();
                    Value fn = a[1];
                    // The handler runs as a task of the session, on its strand, whichever thread got the signal.
                    return job.onSignal(name, fn.isNull() ? null : () -> guest.spawn("signal " + name, guest.call(fn, name)));
                });
    }

    @Override
    public Source source(String code, String name) throws IOException {
        return Source.newBuilder("python", code, name).build();
    }

    /**
     * Parses {@code source} into a function that runs it as a module body and returns the last
     * expression's value: None when the code ends with a statement (GraalPy would give the
     * {@code __main__} module), and so when that value is the {@code __main__} module itself.
     */
    @Override
    public Value eval(Guest guest, Source source) {
        PyAdapter py = (PyAdapter) guest.language();
        Value parsed;
        try {
            parsed = guest.context().parse(source);
        } catch (PolyglotException e) {
            // Interactive code (a REPL's, an eval's: not a .py file, where CPython refuses it
            // too) may await at its top level, as in IPython and `python -m asyncio`.
            if (e.isSyntaxError() && !source.getName().endsWith(".py") && e.getMessage() != null
                    && TOP_LEVEL_AWAIT.matcher(e.getMessage()).find()) {
                return py.awaitCell.execute(source.getCharacters().toString(), source.getName());
            }
            throw e;
        }
        return py.program.execute(parsed);
    }

    /** GraalPy's complaints about await, async for and async with outside a coroutine. */
    private static final java.util.regex.Pattern TOP_LEVEL_AWAIT = java.util.regex.Pattern.compile(
            "'(await|async for|async with|asynchronous comprehension)' outside (async )?function|asynchronous comprehension outside");
}
