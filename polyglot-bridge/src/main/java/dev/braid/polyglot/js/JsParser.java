package dev.braid.polyglot.js;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real JavaScript parser, acorn, for what Graal.js does not tell: where a classic script
 * awaits at its top level (see {@link AwaitRewrite}) and whether a {@code .js} file is an ES
 * module. Acorn's code comes from its webjar on the class path (the version is read from the
 * webjar's own {@code pom.properties}, so the build names it once); Braid's use of it is
 * {@code parser.js}.
 *
 * <h2>Where acorn runs</h2>
 * In one JS context of its own per {@link org.graalvm.polyglot.Engine} (one per
 * {@code ScriptHost}), made on first need, never in a guest's context:
 * <ul>
 *   <li>a guest cannot reach it, so a guest that patches {@code Array.prototype} or
 *       {@code String.prototype} cannot break the parser, nor see what other guests parse;
 *   <li>a guest context pays nothing for it: loading acorn takes one to two seconds in
 *       interpreter mode, once per host rather than once per session, and only when a
 *       snippet mentions {@code await} or a file looks like a module;
 *   <li>its {@link Source} is built once per JVM and {@linkplain Source.Builder#cached cached},
 *       so contexts on one engine would share acorn's parsed code.
 * </ul>
 * A JS context must not be entered by two threads at once, so every use holds this object's
 * lock: parsing a snippet takes a millisecond or two once acorn's code is warm (tens of
 * milliseconds before), so strands wait little; a long text is parsed with the worker's queue
 * handed to another thread ({@link JsPlugin}).
 * The caller is usually a guest's strand with the guest's context entered on its thread; a
 * different context can be entered on top of it (Graal keeps a stack of entered contexts),
 * and acorn's context is left again before the call returns.
 *
 * <p>The context gets the same fixed host-access policy as guest contexts (contexts on one
 * engine must agree) and nothing else: no I/O, no host or polyglot access.
 */
final class JsParser {
    private static final String ACORN_POM = "META-INF/maven/org.webjars.npm/acorn/pom.properties";
    private static final Object SOURCES_LOCK = new Object();
    private static final int CACHED_ANSWERS = 64;
    /** Longer code is not remembered: at most 64 x 64 K characters are kept per kind of answer. */
    private static final int CACHED_CODE_LENGTH = 64 * 1024;
    /** The cached answer for code that acorn cannot parse. */
    private static final List<AwaitRewrite.Edit> UNPARSABLE = List.of(new AwaitRewrite.Edit(0, 0, ""));
    private static Source acornSource; // guarded by SOURCES_LOCK
    private static Source braidSource; // guarded by SOURCES_LOCK

    private final Engine engine;
    private Context context; // guarded by this
    private Value planScript; // guarded by this
    private Value isModule; // guarded by this
    private volatile boolean loaded;
    /**
     * The answers for the code parsed last, by its text: a test runner loads the same prelude
     * and file into a fresh session for every case, a REPL user repeats a snippet. Small
     * (entries and their length are bounded), guarded by this.
     */
    private final Map<String, List<AwaitRewrite.Edit>> plans = lru();
    private final Map<String, Boolean> modules = lru();

    JsParser(Engine engine) {
        this.engine = engine;
    }

    /** Whether acorn is loaded already: the next call costs milliseconds, not seconds. */
    boolean isLoaded() {
        return loaded;
    }

    /**
     * The edits that make {@code code} runnable as a classic script with top-level await (see
     * {@code parser.js}): null if acorn cannot parse it, empty if it has no {@code await}
     * outside functions.
     */
    synchronized List<AwaitRewrite.Edit> planScript(String code) {
        List<AwaitRewrite.Edit> known = plans.get(code);
        if (known != null) {
            return known == UNPARSABLE ? null : known;
        }
        load();
        Value plan = planScript.execute(code);
        List<AwaitRewrite.Edit> edits = null;
        if (!plan.isNull()) {
            // Read here, under the lock: a value of this context must not be used after it is released.
            int n = (int) plan.getArraySize();
            edits = new ArrayList<>(n / 3);
            for (int i = 0; i + 2 < n; i += 3) {
                edits.add(new AwaitRewrite.Edit(plan.getArrayElement(i).asInt(), plan.getArrayElement(i + 1).asInt(),
                        plan.getArrayElement(i + 2).asString()));
            }
            edits = List.copyOf(edits);
        }
        if (code.length() <= CACHED_CODE_LENGTH) {
            plans.put(code, edits == null ? UNPARSABLE : edits);
        }
        return edits;
    }

    /** Whether {@code code} has top-level {@code import}/{@code export} statements or uses {@code import.meta}. */
    synchronized boolean isModule(String code) {
        Boolean known = modules.get(code);
        if (known != null) {
            return known;
        }
        load();
        boolean module = isModule.execute(code).asBoolean();
        if (code.length() <= CACHED_CODE_LENGTH) {
            modules.put(code, module);
        }
        return module;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHED_ANSWERS;
            }
        };
    }

    private void load() {
        if (context != null) {
            return;
        }
        Source[] sources = sources();
        Context c = Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(dev.braid.polyglot.ScriptHost.HOST_ACCESS)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .build();
        try {
            c.eval(sources[0]);
            Value api = c.eval(sources[1]);
            planScript = api.getMember("planScript");
            isModule = api.getMember("isModule");
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        context = c;
        loaded = true;
    }

    private static Source[] sources() {
        synchronized (SOURCES_LOCK) {
            if (acornSource == null) {
                Properties pom = new Properties();
                try (InputStream in = resource(ACORN_POM)) {
                    pom.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                String path = "META-INF/resources/webjars/acorn/" + pom.getProperty("version") + "/dist/acorn.js";
                acornSource = Source.newBuilder("js", read(path), "acorn.js").internal(true).cached(true).buildLiteral();
                braidSource = Source.newBuilder("js", read("dev/braid/polyglot/js/parser.js"), "braid:parser.js")
                        .internal(true).cached(true).buildLiteral();
            }
            return new Source[] {acornSource, braidSource};
        }
    }

    private static InputStream resource(String path) {
        InputStream in = JsParser.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing class-path resource " + path
                    + " (the polyglot bridge needs the org.webjars.npm:acorn jar next to it)");
        }
        return in;
    }

    private static String read(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
