package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code braid.net}: a server and a client in the same script, lines and bytes, half-close, the grant for listening. */
final class JsNetTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-net");

    @Test
    void aServerAndAClient_inOneScript() {
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowNet("127.0.0.1:*").build())) {
            assertEquals("client got: HELLO|WORLD|end:null|bytes:3|server saw 2 lines", js.evalSync("""
                    (async () => {
                      const server = braid.net.listen({ port: 0 });
                      const served = braid.spawn(async () => {
                        for await (const conn of server) {
                          let n = 0;
                          for await (const line of conn.lines()) { // to the client's half-close
                            n++;
                            await conn.write(line.toUpperCase() + '\\n');
                          }
                          await conn.write(new Uint8Array([1, 2, 3]));
                          await conn.closeWrite();
                          server.close();
                          return 'server saw ' + n + ' lines';
                        }
                      });
                      const c = await braid.net.connect('127.0.0.1', server.addr.port);
                      await c.write('hello\\nworld\\n');
                      await c.closeWrite();
                      const first = await c.readLine();
                      const second = await c.readLine();
                      let bytes = 0;
                      for (let b = await c.read(); b !== null; b = await c.read()) bytes += b.length;
                      const end = await c.readLine();
                      c.close();
                      return ['client got: ' + first, second, 'end:' + end, 'bytes:' + bytes, await served].join('|');
                    })()""", "server.js"));
        }
    }

    @Test
    void listening_needsTheGrant_andPortZeroPicksOne() {
        try (GuestSession js = fx.host().newSession("js")) {
            String denied = String.valueOf(js.evalSync(
                    "(() => { try { braid.net.listen({ port: 0 }); return 'listening'; } catch (e) { return e.name + ': ' + e.message; } })()",
                    "deny.js"));
            assertTrue(denied.startsWith("PermissionDenied: net access to 127.0.0.1:0 denied"), denied);
        }
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowNet("127.0.0.1:*").build())) {
            assertEquals(true, js.evalSync("(() => { const l = braid.net.listen({}); const p = l.addr.port; l.close(); return p > 0; })()",
                    "port.js"));
        }
    }
}
