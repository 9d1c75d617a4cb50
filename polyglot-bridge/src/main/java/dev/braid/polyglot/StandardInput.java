package dev.braid.polyglot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A host's standard input as its guests read it, by lines or by chunks of bytes: blocking
 * reads, meant for the blocking pool ({@code braid.stdin} awaits them). One reader at a time
 * (a lock): lines and bytes can be mixed, each read starts where the last one ended.
 */
public final class StandardInput {
    private static final int CHUNK = 64 * 1024;
    private final InputStream in;
    private final byte[] buffer = new byte[CHUNK];
    private int start;
    private int end;
    private boolean ended;

    StandardInput(InputStream in) {
        this.in = in;
    }

    /** The next line without its line end ({@code \n} or {@code \r\n}), UTF-8; null at the end of the input. */
    public synchronized String readLine() {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            if (start == end && !fill()) {
                return line.size() == 0 ? null : text(line);
            }
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    start = i + 1;
                    return text(line);
                }
            }
            line.write(buffer, start, end - start);
            start = end;
        }
    }

    /** The bytes available next (at most 64 KiB, at least one); null at the end of the input. */
    public synchronized byte[] read() {
        if (start == end && !fill()) {
            return null;
        }
        byte[] out = Arrays.copyOfRange(buffer, start, end);
        start = end;
        return out;
    }

    private static String text(java.io.ByteArrayOutputStream line) {
        byte[] b = line.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private boolean fill() {
        if (ended) {
            return false;
        }
        try {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                ended = true;
                return false;
            }
            start = 0;
            end = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("read standard input: " + e.getMessage(), e);
        }
    }
}
