package dev.braid.polyglot.js;

import org.graalvm.polyglot.Source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Braid's own JavaScript (the globals written in JS), read once from the class path. The
 * sources are internal: their frames stay out of guest stack traces, so an error thrown by a
 * check in them points at the guest code that called.
 */
final class JsResources {
    private static final Map<String, Source> CACHE = new ConcurrentHashMap<>();

    private JsResources() {
    }

    static Source source(String name) {
        return CACHE.computeIfAbsent(name, JsResources::load);
    }

    private static Source load(String name) {
        try (InputStream in = JsResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/braid/polyglot/js/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Source.newBuilder("js", text, "braid:" + name).internal(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
