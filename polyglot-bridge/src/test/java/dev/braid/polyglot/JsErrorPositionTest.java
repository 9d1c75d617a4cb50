package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a guest error happened: from the engine's structured frames, checked against the JS stack text. */
final class JsErrorPositionTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-error-position");

    @Test
    void aFileWhosePathHasASpaceAndParentheses_keepsItsPosition(@TempDir Path dir) throws IOException {
        Path file = Files.createDirectories(dir.resolve("my scripts (old)")).resolve("boom (copy).js");
        Files.writeString(file, "function bad() {\n  null.x;\n}\nbad();\n");
        Path later = file.resolveSibling("later (2).js");
        Files.writeString(later, "async function later() {\n  await null;\n  throw new RangeError('late');\n}\nlater();\n");
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError thrown = assertThrows(GuestError.class, () -> js.evalSync(Files.readString(file), file.toString()));
            assertEquals(List.of(file.toString(), 2, 3), List.of(thrown.file(), thrown.line(), thrown.column()), thrown.guestStack());
            GuestError rejected = assertThrows(GuestError.class, () -> js.evalSync(Files.readString(later), later.toString()));
            assertEquals("RangeError", rejected.guestName());
            assertEquals(List.of(later.toString(), 3, 9), List.of(rejected.file(), rejected.line(), rejected.column()),
                    rejected.guestStack());
            assertTrue(rejected.getMessage().endsWith("(" + later + ":3:9)"), rejected.getMessage());
        }
    }

    @Test
    void anErrorMadeByAHostCall_onALineTheAwaitRewriteChanged_hasTheUsersColumn() {
        try (GuestSession js = fx.host().newSession("js")) {
            String code = "console.log(await braid.fs.readText('/no/such/file'))";
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(code, "host-call.js"));
            assertEquals("PermissionDenied", e.guestName());
            assertEquals(1, e.line());
            assertEquals(code.indexOf("readText") + 1, e.column(), e.toString());
        }
    }

    @Test
    void aStackTheGuestReplaced_isReadAsText() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("""
                    const e = new Error('rewritten');
                    e.stack = 'Error: rewritten\\n    at somewhere (elsewhere.js:7:9)';
                    throw e;
                    """, "replaced.js"));
            assertEquals(List.of("elsewhere.js", 7, 9), List.of(e.file(), e.line(), e.column()));
        }
    }

    @Test
    void theStackText_keepsItsAsyncFrames() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("""
                    async function inner() { await null; throw new TypeError('deep'); }
                    async function outer() { await inner(); }
                    outer()
                    """, "async.js"));
            assertEquals(List.of("async.js", 1, 44), List.of(e.file(), e.line(), e.column()), e.guestStack());
            assertTrue(e.guestStack().contains("at async outer (async.js:2:"), e.guestStack());
        }
    }
}
