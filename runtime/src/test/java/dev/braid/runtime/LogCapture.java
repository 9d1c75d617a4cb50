package dev.braid.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what the runtime logs through System.Logger (backed by java.util.logging). */
final class LogCapture extends Handler {
    private static final Logger LOGGER = Logger.getLogger("dev.braid.runtime");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    static LogCapture start() {
        LogCapture c = new LogCapture();
        LOGGER.addHandler(c);
        return c;
    }

    void stop() {
        LOGGER.removeHandler(this);
    }

    /** The first message containing {@code text}; fails if there is none. */
    String find(String text) {
        for (LogRecord r : records) {
            String m = message(r);
            if (m.contains(text)) {
                return m;
            }
        }
        throw new AssertionError("no log message contains '" + text + "'; got " + records.stream().map(LogCapture::message).toList());
    }

    /** Waits until a message containing {@code text} is logged, and returns it; fails after {@code timeout}. */
    synchronized String await(String text, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            for (LogRecord r : records) {
                if (message(r).contains(text)) {
                    return message(r);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log message contains '" + text + "' after " + timeout + "; got " + messages());
            }
            wait(Math.max(1, left / 1_000_000)); // woken by publish
        }
    }

    List<String> messages() {
        return records.stream().map(LogCapture::message).toList();
    }

    private static String message(LogRecord r) {
        String m = r.getMessage();
        return m == null ? "" : m;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
