package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code braid.process.spawn}: output read line by line while the child runs, a kill on a
 * deadline, standard input piped in, the environment the child gets, the denial.
 */
final class JsSpawnTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-spawn");

    private static final Permissions SH_AND_CAT = Permissions.builder().allowRun("sh").allowRun("cat").build();

    @Test
    void linesWhileItRuns_thenKilledOnADeadline() {
        try (GuestSession js = fx.host().newSession("js", SH_AND_CAT)) {
            assertEquals("line1,line2,line3|err|killed:true|143 false SIGTERM", js.evalSync("""
                    (async () => {
                      const child = braid.process.spawn('sh', ['-c', 'for i in 1 2 3; do echo line$i; done; echo err >&2; exec sleep 60']);
                      const seen = [];
                      for await (const line of child.stdout) {
                        seen.push(line);
                        if (seen.length === 3) break; // it still runs: the lines came as it wrote them
                      }
                      const err = await child.stderr.readLine();
                      // A deadline: the sleep never ends by itself.
                      const outcome = await braid.select({ exited: child.status, deadline: braid.sleep(200) });
                      const killed = outcome.key === 'deadline' && child.kill();
                      const s = await child.status;
                      return [seen.join(), err, 'killed:' + killed, [s.code, s.success, s.signal].join(' ')].join('|');
                    })()""", "spawn.js"));
        }
    }

    @Test
    void stdinPipedIn_bytesOut_andTheChildsEnvironment() {
        try (GuestSession js = fx.host().newSession("js", SH_AND_CAT)) {
            assertEquals("a|b|true", js.evalSync("""
                    (async () => {
                      const cat = braid.process.spawn('cat', [], { stdin: 'piped' });
                      await cat.stdin.write('a\\n');
                      await cat.stdin.write(new Uint8Array([98, 10]));
                      await cat.stdin.close();
                      const lines = [];
                      for await (const l of cat.stdout.lines()) lines.push(l);
                      return [...lines, (await cat.status).success].join('|');
                    })()""", "cat.js"));
            // Only what the script passes (nothing of the host's was granted here).
            assertEquals("[EXTRA=x]", js.evalSync("""
                    (async () => {
                      const c = braid.process.spawn('sh', ['-c', 'env | grep -v "^PWD=\\\\|^SHLVL=\\\\|^_=" | tr "\\\\n" " "'], { env: { EXTRA: 'x' } });
                      const bytes = await c.stdout.read();
                      await c.status;
                      return '[' + String.fromCharCode(...bytes).trim() + ']';
                    })()""", "env.js"));
        }
    }

    @Test
    void onlyGrantedCommands() {
        try (GuestSession js = fx.host().newSession("js", SH_AND_CAT)) {
            String denied = String.valueOf(js.evalSync(
                    "(() => { try { braid.process.spawn('rm', ['-rf', '/tmp/x']); return 'started'; } catch (e) { return e.name + ': ' + e.message; } })()",
                    "deny.js"));
            assertTrue(denied.startsWith("PermissionDenied: run access to rm denied"), denied);
        }
        try (ScriptHost host = ScriptHost.builder(fx.host().runtime()).permissions(SH_AND_CAT).environment(Map.of()).build();
             GuestSession js = host.newSession("js")) {
            String lost = String.valueOf(js.evalSync(
                    "(() => { try { braid.process.spawn('sh', []); return 'started'; } catch (e) { return e.message; } })()", "nopath.js"));
            assertTrue(lost.contains("'sh' is not on the session's PATH"), lost);
        }
    }
}
