package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.ScriptHost;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code console}, as Node's ({@code console.js}): log, info, debug, dir, table, count, time,
 * group to the session's standard output; warn, error, assert, trace to its standard error
 * (the host's streams, or the session's {@code OutputSink}). Values show as Node's
 * {@code util.inspect} shows them ({@code inspect.js}).
 */
final class Console {
    private Console() {
    }

    static void install(Guest guest, ScriptHost host) {
        // inspect.js is loaded when a value other than a string is first shown.
        Value[] loaded = {null};
        ProxyExecutable inspect = a -> {
            if (loaded[0] == null) {
                loaded[0] = guest.context().eval(JsResources.source("inspect.js"));
            }
            return loaded[0].execute((Object[]) a);
        };
        Map<String, Object> natives = new LinkedHashMap<>();
        natives.put("out", printer(guest.out()));
        natives.put("err", printer(guest.err()));
        long origin = System.nanoTime();
        natives.put("now", (ProxyExecutable) args -> (System.nanoTime() - origin) / 1e6);
        Value console = guest.context().eval(JsResources.source("console.js")).execute(ProxyObject.fromMap(natives), inspect);
        guest.context().getBindings("js").putMember("console", console);
    }

    /** Prints one text (one or more lines) and a line end. */
    private static ProxyExecutable printer(PrintStream out) {
        return args -> {
            out.println(args[0].asString());
            return null;
        };
    }
}
