package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.ScriptHost;

import java.util.Objects;

/**
 * The factory of {@link BraidJsScriptEngine}s, registered as a service (read
 * {@link BraidScriptEngineFactory} for which runtime they use). Names: {@code braid-js},
 * {@code braid-javascript}, {@code braid-ecmascript}, {@code BraidJS}; MIME types
 * {@code application/x-braid-javascript}, {@code text/x-braid-javascript}. It claims no file
 * extension and none of the plain names ({@code js}, {@code javascript}): Graal.js's own
 * engine claims those, and {@code ScriptEngineManager} would pick either one by discovery
 * order.
 */
public final class BraidJsScriptEngineFactory extends BraidScriptEngineFactory {
    /** Engines on the shared {@link #defaultHost()}. */
    public BraidJsScriptEngineFactory() {
        super(JsEngineLanguage.INSTANCE, null);
    }

    /** Engines on {@code host}: its runtime, permissions and host functions. */
    public BraidJsScriptEngineFactory(ScriptHost host) {
        super(JsEngineLanguage.INSTANCE, Objects.requireNonNull(host, "host"));
    }

    @Override
    public BraidJsScriptEngine getScriptEngine() {
        return new BraidJsScriptEngine(this, host());
    }
}
