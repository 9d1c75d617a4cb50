package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code TextEncoder} and {@code TextDecoder}: what Node 20 gives for the same calls. */
final class JsTextTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-text");

    @Test
    void utf8_bothWays_streamed_fatal_andTheByteOrderMark() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals("10 104,195,169,226,130,172,240,159,152,128|hé€😀|hé€😀|TypeError|A|\uFFFD|2 4 97,226,130,172", js.evalSync("""
                    (() => {
                      const e = new TextEncoder();
                      const b = e.encode('hé€😀');
                      const whole = new TextDecoder().decode(b);
                      // A character split between chunks waits for the rest.
                      const s = new TextDecoder();
                      let streamed = '';
                      for (const part of [b.subarray(0, 2), b.subarray(2, 5), b.subarray(5)]) streamed += s.decode(part, { stream: true });
                      streamed += s.decode();
                      let fatal;
                      try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (x) { fatal = x.name; }
                      const dst = new Uint8Array(4);
                      const into = e.encodeInto('a€b', dst);
                      return [b.length + ' ' + Array.from(b).join(), whole, streamed, fatal,
                        new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), new TextDecoder().decode(new Uint8Array([0xff])),
                        into.read + ' ' + into.written + ' ' + Array.from(dst).join()].join('|');
                    })()""", "text.js"));
        }
    }
}
