package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WHATWG {@code TextEncoder} and {@code TextDecoder} (UTF-8), which Graal.js does not
 * have: the classes in {@code text.js}, the coding here (the JDK's UTF-8 coder).
 */
final class JsText {
    private JsText() {
    }

    static void install(Guest guest) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("encode", (ProxyExecutable) a -> ByteBuffer.wrap(a[0].asString().getBytes(StandardCharsets.UTF_8)));
        n.put("decoder", (ProxyExecutable) a -> new Decoder(a[0].asBoolean()));
        n.put("decode", (ProxyExecutable) a -> a[0].asHostObject() instanceof Decoder d ? d.decode(a[1], a[2].asLong(), a[3].asInt(), a[4].asBoolean())
                : null);
        guest.context().eval(JsResources.source("text.js")).execute(ProxyObject.fromMap(n));
    }

    /** One TextDecoder's state: the bytes of a character split between two streamed chunks. */
    static final class Decoder {
        private final CharsetDecoder decoder;
        private byte[] pending = new byte[0];

        Decoder(boolean fatal) {
            CodingErrorAction action = fatal ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
            this.decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
        }

        String decode(Value buffer, long offset, int length, boolean stream) {
            byte[] bytes = new byte[pending.length + length];
            System.arraycopy(pending, 0, bytes, 0, pending.length);
            if (length > 0) {
                buffer.readBuffer(offset, bytes, pending.length, length);
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharBuffer out = CharBuffer.allocate(bytes.length + 1);
            var result = decoder.decode(in, out, !stream);
            if (result.isError()) {
                decoder.reset();
                pending = new byte[0];
                throw new IllegalArgumentException("TextDecoder.decode: the data is not valid UTF-8 (fatal)");
            }
            if (!stream) {
                var flushed = decoder.flush(out);
                decoder.reset();
                if (flushed.isError()) {
                    throw new IllegalArgumentException("TextDecoder.decode: the data is not valid UTF-8 (fatal)");
                }
            }
            pending = new byte[in.remaining()];
            in.get(pending);
            return out.flip().toString();
        }
    }
}
