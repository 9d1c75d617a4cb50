package dev.braid.polyglot.python;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.GuestFileSystem;
import dev.braid.polyglot.PermissionCheck;
import dev.braid.polyglot.Permissions;
import dev.braid.polyglot.ScriptHost;
import dev.braid.polyglot.natives.Natives;
import dev.braid.polyglot.natives.SystemApi;
import dev.braid.polyglot.natives.TaskApi;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code braid} module of a Python guest ({@code import braid}): the language-neutral
 * natives ({@link TaskApi}, {@link Natives}, {@link SystemApi}) shaped by {@code api.py}
 * into Python's names (snake_case, seconds, tuples, {@code async with} and
 * {@code async for}).
 */
final class PyApi {
    /** The prelude's factories (tuples, lists, permits, errors) and its job binding. */
    final Value make;

    private PyApi(Value make) {
        this.make = make;
    }

    /** The natives of {@code sandbox.py}: file denials explained, the script's modules, network and environment grants. */
    private static Map<String, Object> sandbox(Guest guest) {
        GuestFileSystem files = guest.fileSystem();
        Permissions perms = guest.permissions();
        Map<String, Object> m = new LinkedHashMap<>();
        // Run where they are called (not handed to the strand): the denial is the calling thread's own.
        m.put("lastDenial", guest.anyThreadFunction(a -> GuestFileSystem.takeLastDenial()));
        m.put("moduleRoots", guest.anyThreadFunction(a -> ProxyArray.fromList(
                files.moduleDirs().stream().map(p -> (Object) p.toString()).toList())));
        m.put("moduleFile", guest.anyThreadFunction(a -> files.moduleFile(Path.of(a[0].asString())) != null));
        m.put("moduleSource", guest.anyThreadFunction(a -> files.moduleSource(Path.of(a[0].asString()))));
        m.put("rename", guest.anyThreadFunction(a -> {
            files.rename(Path.of(a[0].asString()), Path.of(a[1].asString()));
            return null;
        }));
        m.put("netUnscoped", guest.anyThreadFunction(a -> PermissionCheck.netUnscoped(perms)));
        m.put("envRequire", guest.function(a -> {
            String name = a[0].asString();
            PermissionCheck.env(perms, name);
            return guest.environment().get(name);
        }));
        m.put("envGranted", guest.anyThreadFunction(a -> {
            String name = a[0].asString();
            return PermissionCheck.envGranted(perms, name) ? guest.environment().get(name) : null;
        }));
        m.put("envNames", guest.anyThreadFunction(a -> ProxyArray.fromList(guest.environment().keySet().stream()
                .filter(n -> PermissionCheck.envGranted(perms, n)).map(n -> (Object) n).toList())));
        return m;
    }

    /**
     * A host buffer's bytes as a string of the same length, one char per byte (ISO 8859-1):
     * how bytes cross into Python in one piece (its {@code bytes()} does not take a foreign
     * buffer), to become {@code bytes} again with {@code .encode('latin-1')}.
     */
    private static String latin1(Value buffer) {
        if (buffer == null || buffer.isNull()) {
            return null;
        }
        byte[] b = new byte[Math.toIntExact(buffer.getBufferSize())];
        buffer.readBuffer(0, b, 0, b.length);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static PyApi install(Guest guest, ScriptHost host, PyAdapter py) {
        Value[] make = new Value[1];
        Map<String, Object> tasks = new LinkedHashMap<>();
        TaskApi.put(guest, py, tasks, new TaskApi.Shapes() {
            @Override
            public Object selected(Object key, Object value) {
                return make[0].getMember("selected").execute(key, value);
            }

            @Override
            public Object list(List<Object> values) {
                return make[0].getMember("list").execute(ProxyArray.fromList(values));
            }
        });
        Natives natives = new Natives(guest, py);
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("progress", SystemApi.progress(guest));
        system.put("onStrand", guest.anyThreadFunction(a -> guest.onStrand()));
        // asyncio's loop on Braid (aio.py), made when the session first imports asyncio; its clock is the runtime's
        system.put("aio", guest.function(a -> guest.context().eval(PyAdapter.load("aio.py"))));
        dev.braid.time.Clock clock = guest.runtime().clock();
        system.put("now", guest.anyThreadFunction(a -> clock.nanoTime() / 1e9));
        // the asyncio task Braid's loop steps (set as a step begins), named in stall reports
        // whose stack shows a task's step
        system.put("activity", guest.anyThreadFunction(a -> {
            guest.activity(a.length == 0 || a[0].isNull() ? null : new Guest.Activity(a[0].asString(), "__step_run_and_handle_result"));
            return null;
        }));
        system.put("evalIn", guest.function(a -> guest.evalIn(a[0].asString(), a[1].asString())));
        // braid.fs, process, net, stdin and fetch: host.py and the natives are made on first use.
        Object tasksProxy = ProxyObject.fromMap(tasks);
        org.graalvm.polyglot.proxy.ProxyExecutable hostNatives = n -> switch (n[0].asString()) {
            case "fs" -> SystemApi.fs(guest, py);
            case "process" -> SystemApi.process(guest, py);
            case "net" -> SystemApi.net(guest, py);
            case "stdin" -> SystemApi.stdio(guest);
            case "http" -> SystemApi.http(guest, py);
            default -> throw new IllegalArgumentException("no natives named " + n[0]);
        };
        org.graalvm.polyglot.proxy.ProxyExecutable bytes = b -> latin1(b[0]);
        system.put("host", guest.function(a -> guest.context().eval(PyAdapter.load("host.py")).execute(hostNatives, tasksProxy, bytes)));
        // asyncio's sockets and servers (aio_io.py) and subprocesses (aio_proc.py) on Braid, made on first use
        system.put("aioIo", guest.function(a -> {
            Value io = guest.context().eval(PyAdapter.load("aio_io.py")).execute(hostNatives, bytes);
            return guest.context().eval(PyAdapter.load("aio_proc.py")).execute(hostNatives, io);
        }));
        // braid.run blocks its caller (a script's main thread) while the coroutine runs as a task of the session.
        system.put("run", guest.anyThreadFunction(a -> guest.awaitFromElsewhere(a[0])));
        make[0] = guest.context().eval(PyAdapter.load("api.py")).execute(tasksProxy,
                ProxyObject.fromMap(natives.table(host)), ProxyObject.fromMap(system), py.helpers);
        natives.bind(make[0]);
        guest.context().eval(PyAdapter.load("sandbox.py")).execute(ProxyObject.fromMap(sandbox(guest)), py.helpers.getHashValue("on_import"));
        return new PyApi(make[0]);
    }
}
