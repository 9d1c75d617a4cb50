package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.ScriptHost;
import dev.braid.polyglot.natives.SystemApi;
import dev.braid.polyglot.natives.TaskApi;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code braid} global of a JavaScript guest: the language-neutral natives
 * ({@link TaskApi}, {@link SystemApi}, the primitives of {@link JsSync}) under their
 * JavaScript names, with what only JavaScript has: timers, {@code AbortController}, the
 * console, and unhandled-rejection reports.
 */
final class JsApi {
    private JsApi() {
    }

    /** A host function that runs {@code install} the first time it is called. */
    private static ProxyExecutable once(Runnable install) {
        boolean[] done = {false};
        return a -> {
            if (!done[0]) {
                done[0] = true;
                install.run();
            }
            return null;
        };
    }

    static void install(Guest guest, ScriptHost host, JsAdapter js) {
        Map<String, Object> api = new LinkedHashMap<>();
        TaskApi.put(guest, js, api, (key, value) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("value", value);
            return ProxyObject.fromMap(m);
        });
        JsReporter reporter = new JsReporter(guest, js, guest.err()); // timers, AbortController, rejections
        JsRejections.install(guest, js, reporter);
        JsAbort abort = JsAbort.install(guest, JsTimers.install(guest, reporter), reporter, api);
        // The host API's shapes are made when a script first reaches for them.
        api.put("fs", new LazyMembers.Lazy(() -> guest.context().eval(JsResources.source("fs.js")).execute(SystemApi.fs(guest, js))));
        api.put("net", new LazyMembers.Lazy(() -> guest.context().eval(JsResources.source("net.js")).execute(SystemApi.net(guest, js))));
        api.put("process", new LazyMembers.Lazy(() -> guest.context().eval(JsResources.source("process.js"))
                .execute(SystemApi.process(guest, js))));
        api.put("env", SystemApi.env(guest));
        // braid.python(code): the job's Python session evaluates it (see Crossing)
        api.put("python", guest.function(a -> {
            if (a.length == 0 || !a[0].isString()) {
                throw new IllegalArgumentException("braid.python(code): code must be a string");
            }
            return guest.evalIn("python", a[0].asString());
        }));
        api.put("progress", new LazyMembers.Lazy(() -> guest.context().eval(JsResources.source("progress.js"))
                .execute(SystemApi.progress(guest))));
        api.put("stdin", new LazyMembers.Lazy(() -> guest.context().eval(JsResources.source("stdin.js")).execute(SystemApi.stdio(guest))));
        Value bindings = guest.context().getBindings("js");
        bindings.putMember("braid", new LazyMembers(api));
        Console.install(guest, host);
        Value lazyGlobals = guest.context().eval(JsResources.source("lazy-globals.js"));
        lazyGlobals.executeVoid(ProxyArray.fromArray("TextEncoder", "TextDecoder"), once(() -> JsText.install(guest)));
        lazyGlobals.executeVoid(ProxyArray.fromArray("fetch", "Headers", "Request", "Response"), once(() ->
                guest.context().eval(JsResources.source("fetch.js")).execute(SystemApi.http(guest, js),
                        (ProxyExecutable) a -> abort.withSignal(a[0], a.length > 1 && !a[1].isNull() ? a[1] : null, a[2].asString()))));
        JsSync.install(guest, host, js, abort); // channels, locks, JoinSet, interval, spawnBlocking (the host functions are bound already)
    }
}
