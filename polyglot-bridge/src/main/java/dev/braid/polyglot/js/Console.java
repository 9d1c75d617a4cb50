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
 * {@code console}: log, info and debug to the session's standard output, warn and error to its
 * standard error (the host's streams, or the session's {@code OutputSink}).
 */
final class Console {
    private Console() {
    }

    static void install(Guest guest, ScriptHost host) {
        Value format = guest.context().eval("js", """
                (args) => {
                  const show = (v) => typeof v === 'string' ? v : (() => {
                      if (v instanceof Error) return String(v.stack || v);
                      if (typeof v === 'function') return '[Function: ' + (v.name || 'anonymous') + ']';
                      if (typeof v === 'object' && v !== null) { try { return JSON.stringify(v); } catch (e) { return String(v); } }
                      return String(v); })();
                  let i = 0, out = '';
                  if (typeof args[0] === 'string' && args.length > 1) {
                    out = args[0].replace(/%[sdifoOj%]/g, (m) => {
                      if (m === '%%') return '%';
                      if (i + 1 >= args.length) return m;
                      const v = args[++i];
                      switch (m) {
                        case '%s': return typeof v === 'string' ? v : show(v);
                        case '%d': case '%i': return String(m === '%i' ? Math.trunc(Number(v)) : Number(v));
                        case '%f': return String(Number(v));
                        default: return show(v);
                      }
                    });
                    i++;
                  } else if (args.length > 0) { out = show(args[0]); i = 1; }
                  for (; i < args.length; i++) out += ' ' + show(args[i]);
                  return out;
                }
                """);
        Value undefined = guest.context().eval(org.graalvm.polyglot.Source.create("js", "undefined"));
        Map<String, Object> console = new LinkedHashMap<>();
        console.put("log", printer(format, guest.out(), undefined));
        console.put("info", printer(format, guest.out(), undefined));
        console.put("debug", printer(format, guest.out(), undefined));
        console.put("warn", printer(format, guest.err(), undefined));
        console.put("error", printer(format, guest.err(), undefined));
        guest.context().getBindings("js").putMember("console", ProxyObject.fromMap(console));
    }

    /** A console method: prints its arguments formatted, and returns undefined (as Node's do). */
    private static ProxyExecutable printer(Value format, PrintStream out, Value undefined) {
        return args -> {
            out.println(format.execute(org.graalvm.polyglot.proxy.ProxyArray.fromArray((Object[]) args)).asString());
            return undefined;
        };
    }
}
