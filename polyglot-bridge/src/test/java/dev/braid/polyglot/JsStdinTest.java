package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code braid.stdin}: the host's standard input by lines and by bytes, mixed, to its end. */
final class JsStdinTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-stdin");

    private static ScriptHost hostReading(String input) {
        return ScriptHost.builder(fx.host().runtime())
                .in(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).build();
    }

    @Test
    void linesThenBytes_thenTheEnd() {
        try (ScriptHost host = hostReading("héllo\r\nworld\nrest"); GuestSession js = host.newSession("js")) {
            assertEquals("héllo|world|114,101,115,116|null|null", js.evalSync("""
                    (async () => {
                      const a = await braid.stdin.readLine();
                      const b = await braid.stdin.readLine();
                      const bytes = await braid.stdin.read();
                      return [a, b, Array.from(bytes).join(), String(await braid.stdin.read()), String(await braid.stdin.readLine())].join('|');
                    })()""", "stdin.js"));
        }
    }

    @Test
    void forAwait_overTheLines_andNothingWithoutInput() {
        try (ScriptHost host = hostReading("1\n2\n3\n"); GuestSession js = host.newSession("js")) {
            assertEquals(6, js.evalSync("(async () => { let sum = 0; for await (const l of braid.stdin) sum += Number(l); return sum; })()",
                    "sum.js"));
        }
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals("null", String.valueOf(js.evalSync("(async () => String(await braid.stdin.readLine()))()", "none.js")),
                    "a host gives no input unless it says so");
        }
    }
}
