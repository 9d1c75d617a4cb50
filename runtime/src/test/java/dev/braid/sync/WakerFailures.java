package dev.braid.sync;

import dev.braid.future.Waker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Test helper: captures what the package logs about throwing wakers (the {@code dev.braid.sync}
 * System.Logger, backed by java.util.logging) instead of printing it, until closed.
 */
final class WakerFailures implements AutoCloseable {
    /** A waker that always throws {@link IllegalStateException}. */
    static final Waker THROWING = () -> {
        throw new IllegalStateException("bad waker");
    };

    private final Logger logger = Logger.getLogger(Coop.LOGGER); // strong reference while capturing
    private final boolean useParent = logger.getUseParentHandlers();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    WakerFailures() {
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** How many throwing wakers were logged, each with the exception it threw. */
    int logged() {
        for (LogRecord r : records) {
            if (!(r.getThrown() instanceof IllegalStateException) || !"bad waker".equals(r.getThrown().getMessage())) {
                throw new AssertionError("unexpected log record: " + r.getMessage() + " / " + r.getThrown());
            }
        }
        return records.size();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParent);
    }
}
