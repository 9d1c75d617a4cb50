package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ES modules: the 'braid' host module, relative imports under read permissions, top-level await. */
final class JsModulesTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-modules");

    @Test
    void braidModule_namedAndDefaultImports() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object ns = js.evalSync("""
                    import braid, { sleep, spawn } from 'braid';
                    await sleep(5);
                    export const same = braid === globalThis.braid && sleep === braid.sleep;
                    export const v = await spawn(async (x) => x * 2, 21);
                    """, "main.mjs");
            assertEquals(Map.of("same", true, "v", 42), ns);
        }
    }

    @Test
    void braidModule_exportsEveryMemberOfTheGlobal() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object ns = js.evalSync("""
                    import * as b from 'braid';
                    export const missing = Object.keys(globalThis.braid).filter((k) => b[k] !== globalThis.braid[k]);
                    export const count = Object.keys(b).length;
                    """, "all.mjs");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) ns;
            assertEquals(List.of(), m.get("missing"));
            int members = (Integer) js.evalSync("Object.keys(braid).length", "count.js");
            assertEquals(members + 1, m.get("count"), "every member plus the default export");
        }
    }

    @Test
    void braidModule_importedFromAClassicScript() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(true, js.evalSync("(async () => { const m = await import('braid'); return m.default === braid && m.join === braid.join; })()", "dyn.js"));
        }
    }

    @Test
    void topLevelAwait_theEvaluationSettlesWhenTheModuleHasFinished() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object ns = js.evalSync("""
                    import { sleep } from 'braid';
                    export let done = false;
                    globalThis.steps = ['start'];
                    await sleep(30);
                    steps.push('slept');
                    await Promise.resolve();
                    done = true;
                    """, "tla.mjs");
            assertEquals(Map.of("done", true), ns);
            assertEquals(List.of("start", "slept"), js.evalSync("steps", "steps.js"));
        }
    }

    @Test
    void relativeImports_workInsideAReadablePath_includingNestedBareImports(@TempDir Path dir) throws IOException {
        Path nested = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("main.mjs"), """
                import { twice } from './lib/util.mjs';
                import { base } from './base.mjs';
                export const result = await twice(base);
                """);
        Files.writeString(dir.resolve("base.mjs"), "export const base = 21;\n");
        Files.writeString(nested.resolve("util.mjs"), """
                import { sleep } from 'braid';
                import { base } from '../base.mjs';
                export async function twice(x) { await sleep(1); return x * 2 + (base - 21); }
                """);
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowRead(dir).build())) {
            assertEquals(Map.of("result", 42), js.guest.runtime().blockOn(js.evalFile(dir.resolve("main.mjs"))));
        }
    }

    @Test
    void relativeImports_outsideTheReadPaths_failNamingThePathAndPermission(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.mjs"), "import { base } from './base.mjs';\nexport const b = base;\n");
        Files.writeString(dir.resolve("base.mjs"), "export const base = 21;\n");
        try (GuestSession js = fx.host().newSession("js")) { // no permissions: only main.mjs itself, which the host runs
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(Files.readString(dir.resolve("main.mjs")),
                    dir.resolve("main.mjs").toString()));
            String expected = "read access to " + dir.resolve("base.mjs") + " denied";
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertTrue(e.getMessage().contains("allowRead"), e.getMessage());
        }
    }

    @Test
    void importingASystemFile_isDenied() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("import '/etc/passwd';", "steal.mjs"));
            assertTrue(e.getMessage().contains("read access to /etc/passwd denied"), e.getMessage());
            GuestError d = assertThrows(GuestError.class, () -> js.evalSync("(async () => await import('/etc/passwd'))()", "steal.js"));
            assertTrue(d.getMessage().contains("read access to /etc/passwd denied"), d.getMessage());
        }
    }

    @Test
    void theHostModule_isReachedOnlyByItsBareName() {
        try (GuestSession js = fx.host().newSession("js")) {
            // An absolute path is a file on disk, checked like any other: never the host module.
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("import b from '/braid';", "absolute.mjs"));
            assertTrue(e.getMessage().contains("read access to /braid denied"), e.getMessage());
            assertEquals("function", js.evalSync("(async () => typeof (await import('braid')).sleep)()", "bare.js"));
        }
    }

    @Test
    void unknownBareModule_saysWhichModule() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("import _ from 'lodash';", "bare.mjs"));
            assertTrue(e.getMessage().contains("module 'lodash'") && e.getMessage().contains("no host module 'lodash'"), e.getMessage());
            assertTrue(!e.getMessage().contains("adapter"), "no bridge-internal positions: " + e.getMessage());
        }
    }

    @Test
    void moduleErrors_carryTheModulePositions() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError syntax = assertThrows(GuestError.class, () -> js.evalSync("\nlet x = ;", "syn.mjs"));
            assertEquals("SyntaxError", syntax.guestName());
            assertTrue(syntax.getMessage().contains("syn.mjs:2:8"), syntax.getMessage());
            GuestError thrown = assertThrows(GuestError.class, () -> js.evalSync(
                    "\nfunction bad() { null.x; }\nawait null;\nbad();", "thrower.mjs"));
            assertEquals("TypeError", thrown.guestName());
            assertTrue(thrown.file().endsWith("thrower.mjs"), thrown.file());
            assertEquals(2, thrown.line());
        }
    }

    @Test
    void evaluatingTheSameModuleNameAgain_runsItAgain() {
        try (GuestSession js = fx.host().newSession("js")) {
            String code = "globalThis.n = (globalThis.n ?? 0) + 1;\nexport const n = globalThis.n;\n";
            assertEquals(Map.of("n", 1), js.evalSync(code, "count.mjs"));
            assertEquals(Map.of("n", 2), js.evalSync(code, "count.mjs"));
        }
    }

    // ---- the module rule: .mjs, or .js with import/export statements -----------------------

    @Test
    void aJsFileWithImportAndExport_runsAsAModule_andItsRelativeImportsResolve(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.js"), "export const base = 21;\n");
        Files.writeString(dir.resolve("main.js"), """
                import { base } from './base.js';
                const local = 'module scope';
                export const result = await Promise.resolve(base * 2);
                export const strict = this === undefined;
                """);
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowRead(dir).build())) {
            assertEquals(Map.of("result", 42, "strict", true), js.guest.runtime().blockOn(js.evalFile(dir.resolve("main.js"))));
            assertEquals("undefined", js.evalSync("typeof local", "check.js"), "its declarations stay in the module");
        }
    }

    @Test
    void importMeta_makesAJsFileAModule() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(Map.of(), js.evalSync("const here = typeof import.meta;\nglobalThis.metaType = here;", "meta.js"));
            assertEquals(List.of("object", "undefined"), js.evalSync("[metaType, typeof here]", "check.js"));
        }
    }

    @Test
    void aJsFileWithoutImportOrExportStatements_staysAClassicScript() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals("function", js.evalSync("""
                    // import x from 'y' and export { z } are words in a comment here
                    var classic = 'import { a } from "b"; export default 1';
                    const loading = import('braid'); // a dynamic import() is no import statement
                    typeof loading.then
                    """, "classic.js"), "a classic script has a completion value");
            assertEquals(true, js.evalSync("classic.startsWith('import') && typeof loading === 'object'", "check.js"),
                    "its declarations are global");
            assertEquals(3, js.evalSync("const three = await Promise.resolve(3); three", "tla.js"),
                    "top-level await in a .js without import or export: a classic script, rewritten");
        }
    }

    @Test
    void aJsFileWithImportsAndASyntaxError_isReportedByTheModuleParser() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("import { sleep } from 'braid';\nlet = ;", "broken.js"));
            assertEquals("SyntaxError", e.guestName());
            assertTrue(e.getMessage().contains("broken.js:2:"), e.getMessage());
        }
    }

    @Test
    void aSnippetIsNeverAModule() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("export const x = 1", "<repl>"));
            assertEquals("SyntaxError", e.guestName());
        }
    }
}
