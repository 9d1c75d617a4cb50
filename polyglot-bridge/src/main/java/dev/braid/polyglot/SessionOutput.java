package dev.braid.polyglot;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A session's standard output and error, the one way every language's output leaves the
 * guest: the context writes to them (Python's {@code print}, {@code sys.stdout}), and so does
 * the bridge's own API ({@code console.log}). They go to the host's streams, or, once
 * {@link #redirect redirected}, to an {@link OutputSink} as UTF-8 text (a character split
 * across two writes is held back until it is whole).
 */
final class SessionOutput {
    private final Stream out;
    private final Stream err;
    private final PrintStream outPrinter;
    private final PrintStream errPrinter;
    private volatile OutputSink sink;

    SessionOutput(PrintStream hostOut, PrintStream hostErr) {
        this.out = new Stream(hostOut, false);
        this.err = new Stream(hostErr, true);
        this.outPrinter = new PrintStream(out, true, StandardCharsets.UTF_8);
        this.errPrinter = new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    /** Sends the output to {@code s} from now on (null: back to the host's streams). */
    /** Where the output goes now, or null for the host's streams. */
    OutputSink sink() {
        return sink;
    }

    void redirect(OutputSink s) {
        sink = s;
    }

    /** The raw streams, for the context builder. */
    OutputStream out() {
        return out;
    }

    OutputStream err() {
        return err;
    }

    /** The same streams for printing text (auto-flushing, UTF-8). */
    PrintStream outPrinter() {
        return outPrinter;
    }

    PrintStream errPrinter() {
        return errPrinter;
    }

    private final class Stream extends OutputStream {
        private final PrintStream host;
        private final boolean error;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        /** Bytes of a character not yet complete (at most 3). */
        private final ByteBuffer pending = ByteBuffer.allocate(8);

        Stream(PrintStream host, boolean error) {
            this.host = host;
            this.error = error;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ByteBuffer in;
            if (pending.position() > 0) {
                in = ByteBuffer.allocate(pending.position() + len);
                pending.flip();
                in.put(pending).put(b, off, len).flip();
                pending.clear();
            } else {
                in = ByteBuffer.wrap(b, off, len);
            }
            CharBuffer chars = CharBuffer.allocate(in.remaining());
            CoderResult r = decoder.decode(in, chars, false);
            if (r.isError()) {
                throw new IllegalStateException("cannot happen: the decoder replaces bad input");
            }
            pending.put(in); // an incomplete character at the end, kept for the next write
            chars.flip();
            if (!chars.hasRemaining()) {
                return;
            }
            OutputSink s = sink;
            if (s != null) {
                s.write(error, chars.toString());
            } else {
                host.print(chars.toString()); // in the host stream's own charset
                host.flush();
            }
        }

        @Override
        public void flush() {
            if (sink == null) {
                host.flush();
            }
        }
    }
}
