package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.GuestFileSystem;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ES modules in a JavaScript guest: the host module {@code 'braid'} and the evaluation of a
 * module as a job.
 *
 * <h2>{@code import … from 'braid'}</h2>
 * The module's default export is the {@code braid} global; each of the global's members is
 * also a named export ({@code import { sleep, spawn } from 'braid'}). Its code is made from
 * the global's keys when a guest first imports it, so members added to the global by any
 * part of the host appear without changes here.
 *
 * <h2>Evaluating a module</h2>
 * {@code Context.eval} of a module returns before a top-level {@code await} in it has
 * finished. So the module's code is registered in the guest's file system under its name (a
 * path, absolute or relative to the JVM's working directory) and evaluated by a dynamic
 * {@code import()}, whose promise settles when the whole module, top-level awaits included,
 * has run: the evaluation's value is the module namespace (its exports) then, or the error
 * that stopped it. Relative imports resolve against the module's path and need read access
 * to what they load. A name evaluated again in the same session runs again as a fresh module
 * instance, named {@code name?v=2}, {@code name?v=3}... (an ES module otherwise runs once per
 * context).
 */
final class JsModules {
    private JsModules() {
    }

    /** Where the {@code braid} global is kept for the module, out of the guest's reach to replace. */
    private static final String API_KEY = "Symbol.for('braid.module.api')";
    private static final Pattern IDENTIFIER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    /** Registers the {@code 'braid'} host module; call after the {@code braid} global is installed. */
    static void install(Guest guest) {
        guest.context().eval(Source.create("js", "Object.defineProperty(globalThis, " + API_KEY
                + ", { value: globalThis.braid, enumerable: false, writable: false, configurable: false });"));
        guest.fileSystem().addHostModule("braid", () -> braidModule(guest));
    }

    /** The code of the {@code braid} module: the default export and one named export per member. */
    private static String braidModule(Guest guest) {
        Value api = guest.context().eval(Source.create("js", "globalThis[" + API_KEY + "]"));
        List<String> names = new ArrayList<>();
        if (api.hasMembers()) {
            for (String k : api.getMemberKeys()) {
                if (IDENTIFIER_NAME.matcher(k).matches() && !k.equals("default")) {
                    names.add(k);
                }
            }
        }
        StringBuilder b = new StringBuilder("const api = globalThis[").append(API_KEY).append("];\n")
                .append("export default api;\n");
        for (int i = 0; i < names.size(); i++) {
            b.append("const m").append(i).append(" = api['").append(names.get(i)).append("'];\n");
        }
        if (!names.isEmpty()) {
            b.append("export {");
            for (int i = 0; i < names.size(); i++) {
                b.append(i == 0 ? " " : ", ").append('m').append(i).append(" as ").append(names.get(i));
            }
            b.append(" };\n");
        }
        return b.toString();
    }

    /**
     * A function without arguments that evaluates the module {@code source} and returns a
     * promise of its namespace, settled once its top-level awaits have finished.
     */
    static Value evaluator(Guest guest, Source source) {
        GuestFileSystem files = guest.fileSystem();
        Path base = guest.resolve(Path.of(source.getName()));
        Path path = base;
        for (int v = 2; files.hasSource(path); v++) {
            path = base.resolveSibling(base.getFileName() + "?v=" + v);
        }
        files.addSource(path, source.getCharacters().toString());
        Value importer = guest.context().eval(Source.newBuilder("js", "(p) => () => import(p)", "braid-module-loader")
                .internal(true).buildLiteral());
        return importer.execute(path.toString());
    }
}
