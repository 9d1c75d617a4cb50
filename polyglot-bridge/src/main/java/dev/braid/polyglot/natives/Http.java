package dev.braid.polyglot.natives;

import dev.braid.future.Future;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.PermissionCheck;
import dev.braid.polyglot.Permissions;
import org.graalvm.polyglot.proxy.ProxyArray;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The natives behind a language's {@code fetch}, on the JDK's HTTP client
 * ({@code java.net.http}). {@code fetch(url, method, headers, body, offset, length, redirect)}
 * (headers a flat list of names and values, the body a buffer or null, redirect
 * {@code follow}, {@code manual} or {@code error}) checks the session's net grant for the
 * host and port of the URL and of every redirect it follows (at most 20), and settles with a
 * response handle once the status and headers have arrived. The body is read afterwards:
 * {@code bodyRead} (a chunk as a host buffer, null at the end), {@code bodyAll},
 * {@code bodyCancel}.
 */
final class Http {
    private static final int MAX_REDIRECTS = 20;
    private static final int CHUNK = 64 * 1024;
    private static volatile HttpClient client;

    private Http() {
    }

    /** One client for the process (it starts threads of its own); redirects are ours to follow. */
    private static HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (Http.class) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(30)).build();
                    client = c;
                }
            }
        }
        return c;
    }

    static void put(Guest guest, LanguageAdapter lang, Map<String, Object> m) {
        Permissions perms = guest.permissions();
        m.put("fetch", guest.function(a -> {
            URI uri = uri(SystemApi.string(a, 0, "fetch(url)", "url"));
            String method = SystemApi.string(a, 1, "fetch(url, init)", "method").toUpperCase(java.util.Locale.ROOT);
            List<String> headers = SystemApi.strings(a, 2, "fetch(url, init)");
            byte[] body = a.length > 3 && !a[3].isNull() ? SystemApi.bytes(a, 3, "fetch(url, init)") : null;
            String redirect = a.length > 6 && a[6].isString() ? a[6].asString() : "follow";
            return SystemApi.checkedCall(guest, lang, () -> checkNet(perms, uri),
                    () -> send(guest, perms, uri, method, headers, body, redirect, 0));
        }));
        m.put("status", guest.function(a -> Natives.handle(a[0], Response.class).response.statusCode()));
        m.put("url", guest.function(a -> Natives.handle(a[0], Response.class).response.uri().toString()));
        m.put("redirected", guest.function(a -> Natives.handle(a[0], Response.class).redirects > 0));
        m.put("headers", guest.function(a -> {
            List<Object> flat = new ArrayList<>();
            Natives.handle(a[0], Response.class).response.headers().map().forEach((k, vs) -> {
                if (!k.startsWith(":")) {
                    for (String v : vs) {
                        flat.add(k);
                        flat.add(v);
                    }
                }
            });
            return ProxyArray.fromList(flat);
        }));
        m.put("bodyRead", guest.function(a -> {
            Response r = Natives.handle(a[0], Response.class);
            return guest.awaitable(() -> guest.runtime().spawnBlocking("read a response body", r::read));
        }));
        m.put("bodyAll", guest.function(a -> {
            Response r = Natives.handle(a[0], Response.class);
            return guest.awaitable(() -> guest.runtime().spawnBlocking("read a response body", r::readAll));
        }));
        m.put("bodyCancel", guest.function(a -> {
            Natives.handle(a[0], Response.class).close();
            return null;
        }));
    }

    private static Future<Response> send(Guest guest, Permissions perms, URI uri, String method, List<String> headers, byte[] body,
                                         String redirect, int hops) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        HttpRequest request;
        try {
            request = b.build();
        } catch (IllegalArgumentException e) {
            return Future.failed(new IllegalArgumentException("fetch " + uri + ": " + e.getMessage(), e));
        }
        return Future.fromStage(client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()), "external.http", uri)
                .andThen(response -> {
                    int status = response.statusCode();
                    String location = response.headers().firstValue("location").orElse(null);
                    boolean isRedirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && location != null;
                    if (!isRedirect || redirect.equals("manual")) {
                        return Future.ready(new Response(response, hops));
                    }
                    close(response.body());
                    if (redirect.equals("error")) {
                        return Future.failed(new IllegalStateException("fetch " + uri + ": redirected to " + location + " (redirect: 'error')"));
                    }
                    if (hops == MAX_REDIRECTS) {
                        return Future.failed(new IllegalStateException("fetch " + uri + ": more than " + MAX_REDIRECTS + " redirects"));
                    }
                    URI next = uri.resolve(location);
                    try {
                        checkNet(perms, next); // every host a redirect leads to needs its grant too
                    } catch (RuntimeException e) {
                        return Future.failed(e);
                    }
                    // 303, and 301/302 after a POST, continue as a GET without the body (as browsers do).
                    boolean toGet = status == 303 || (status == 301 || status == 302) && method.equals("POST");
                    return send(guest, perms, next, toGet ? "GET" : method, headers, toGet ? null : body, redirect, hops + 1);
                });
    }

    private static void checkNet(Permissions perms, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("fetch: only http and https URLs can be fetched, got '" + uri + "'");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        PermissionCheck.connect(perms, uri.getHost(), port);
    }

    private static URI uri(String s) {
        try {
            URI u = new URI(s);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("fetch: '" + s + "' is not an absolute http(s) URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("fetch: '" + s + "' is not a valid URL (" + e.getReason() + ")");
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing an abandoned body: nothing to report
        }
    }

    /** A response whose status and headers arrived; its body is read on the blocking pool. */
    static final class Response {
        final HttpResponse<InputStream> response;
        final int redirects;
        private boolean closed;

        Response(HttpResponse<InputStream> response, int redirects) {
            this.response = response;
            this.redirects = redirects;
        }

        synchronized ByteBuffer read() throws IOException {
            if (closed) {
                return null;
            }
            byte[] b = new byte[CHUNK];
            int n = response.body().read(b);
            if (n < 0) {
                close();
                return null;
            }
            return ByteBuffer.wrap(java.util.Arrays.copyOf(b, n));
        }

        synchronized ByteBuffer readAll() throws IOException {
            if (closed) {
                return ByteBuffer.allocate(0);
            }
            byte[] all = response.body().readAllBytes();
            close();
            return ByteBuffer.wrap(all);
        }

        synchronized void close() {
            closed = true;
            Http.close(response.body());
        }
    }
}
