package dev.braid.polyglot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fetch} against a local HTTP server the test starts: status, headers, JSON, a body
 * sent and one streamed back, a redirect followed, a redirect to a host that is not granted,
 * an abort, and the denial.
 */
final class JsFetchTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-fetch");

    private HttpServer server;
    private String base;
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/json", x -> reply(x, 200, "application/json", "{\"a\":1,\"method\":\"" + x.getRequestMethod() + "\"}"));
        server.createContext("/echo", x -> reply(x, 201, "text/plain", x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("X-Test")
                + " " + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        server.createContext("/redirect", x -> redirect(x, "/json"));
        server.createContext("/away", x -> redirect(x, "http://localhost:" + server.getAddress().getPort() + "/json"));
        server.createContext("/stream", x -> {
            x.sendResponseHeaders(200, 0); // chunked
            try (OutputStream o = x.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    o.write(("chunk" + i + "\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                }
            }
        });
        server.createContext("/slow", x -> {
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(x, 200, "text/plain", "late");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        server.stop(0);
    }

    private static void reply(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("X-Custom", "yes");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    private static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private GuestSession session() {
        return fx.host().newSession("js", Permissions.builder().allowNet("127.0.0.1:" + server.getAddress().getPort()).build());
    }

    @Test
    void statusHeadersJson_aBodySent_andOneStreamedBack() {
        try (GuestSession js = session()) {
            assertEquals("200 true OK yes application/json 1 GET|201 POST hdr payload|chunk0,chunk1,chunk2", js.evalSync("""
                    (async () => {
                      const r = await fetch('%1$s/json');
                      const j = await r.json();
                      const first = [r.status, r.ok, r.statusText, r.headers.get('x-custom'), r.headers.get('Content-Type'), j.a, j.method].join(' ');
                      const e = await fetch('%1$s/echo', { method: 'POST', headers: { 'X-Test': 'hdr' }, body: 'payload' });
                      const second = e.status + ' ' + await e.text();
                      const chunks = [];
                      for await (const c of (await fetch('%1$s/stream')).body) chunks.push(new TextDecoder().decode(c));
                      return [first, second, chunks.join('').trim().split('\\n').join()].join('|');
                    })()""".formatted(base), "fetch.js"));
        }
    }

    @Test
    void redirects_areFollowedOnlyToGrantedHosts() {
        try (GuestSession js = session()) {
            assertEquals("true " + base + "/json 1", js.evalSync("""
                    (async () => { const r = await fetch('%s/redirect'); return [r.redirected, r.url, (await r.json()).a].join(' '); })()
                    """.formatted(base), "redirect.js"));
            String away = String.valueOf(js.evalSync("""
                    (async () => { try { await fetch('%s/away'); return 'followed'; } catch (e) { return e.name + ': ' + e.message; } })()
                    """.formatted(base), "away.js"));
            assertTrue(away.startsWith("PermissionDenied: net access to localhost:" + server.getAddress().getPort() + " denied"), away);
            assertEquals("302 null", js.evalSync("""
                    (async () => { const r = await fetch('%s/away', { redirect: 'manual' }); return r.status + ' ' + r.headers.get('x-custom'); })()
                    """.formatted(base), "manual.js"));
        }
    }

    @Test
    void anAbort_endsTheWait_andUngrantedHostsAreRefused() {
        try (GuestSession js = session()) {
            assertEquals("AbortError TimeoutError", js.evalSync("""
                    (async () => {
                      const c = new AbortController();
                      setTimeout(() => c.abort(), 50);
                      const names = [];
                      try { await fetch('%1$s/slow', { signal: c.signal }); names.push('answered'); } catch (e) { names.push(e.name); }
                      try { await fetch('%1$s/slow', { signal: AbortSignal.timeout(50) }); names.push('answered'); } catch (e) { names.push(e.name); }
                      return names.join(' ');
                    })()""".formatted(base), "abort.js"));
        }
        try (GuestSession js = fx.host().newSession("js")) {
            String denied = String.valueOf(js.evalSync("""
                    (async () => { try { await fetch('%s/json'); return 'fetched'; } catch (e) { return e.name + ': ' + e.message; } })()
                    """.formatted(base), "deny.js"));
            assertTrue(denied.startsWith("PermissionDenied: net access to 127.0.0.1:" + server.getAddress().getPort() + " denied"), denied);
        }
    }
}
