package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Waker;
import org.junit.jupiter.api.Test;

import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A waker is user code and may throw. The drivers wake whole batches (the timers due at one
 * tick, the keys one select reported): a throwing waker must not lose the rest of the batch,
 * nor escape into the worker that drives (which may be registered as parked meanwhile).
 */
final class DriverWakerTest {
    private static final Waker THROWING = () -> {
        throw new IllegalStateException("bad waker");
    };

    @Test
    void timers_aThrowingWaker_doesNotLoseTheRestOfTheBatch() {
        for (boolean throwingFirst : new boolean[] {true, false}) {
            try (Captured log = new Captured()) {
                ClockImpl clock = new ClockImpl(true, false);
                TimeDriver driver = new TimeDriver(clock);
                AtomicInteger woken = new AtomicInteger();
                long deadline = clock.nanoTime() + Duration.ofMillis(5).toNanos();
                TimerEntry[] entries = new TimerEntry[5];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = new TimerEntry();
                    boolean bad = throwingFirst ? i == 0 : i == entries.length - 1;
                    entries[i].setWaker(bad ? THROWING : woken::incrementAndGet);
                    assertTrue(driver.register(entries[i], deadline));
                }
                clock.advance(Duration.ofMillis(10)); // a paused clock fires what is due as it moves
                assertEquals(5, driver.firedTimers(), "every due timer fired");
                assertEquals(4, woken.get(), "every other waker of the batch was woken");
                for (TimerEntry e : entries) {
                    assertTrue(e.isFired());
                }
                assertEquals(1, log.errors("a timer"), "the throwing waker was logged once");
            }
        }
    }

    @Test
    void io_aThrowingReader_doesNotLoseTheWriter() throws Exception {
        IoDriver driver = new IoDriver();
        Pipe pipe = Pipe.open();
        try (Captured log = new Captured()) {
            ScheduledIo io = driver.register(pipe.source());
            // Forget the optimistic readiness, then wait both ways.
            io.clearReadiness(io.pollReady(new Context(Waker.NOOP), ScheduledIo.READ), ScheduledIo.READ);
            io.clearReadiness(io.pollReady(new Context(Waker.NOOP), ScheduledIo.WRITE), ScheduledIo.WRITE);
            AtomicInteger writerWoken = new AtomicInteger();
            assertEquals(-1, io.pollReady(new Context(THROWING), ScheduledIo.READ));
            assertEquals(-1, io.pollReady(new Context(writerWoken::incrementAndGet), ScheduledIo.WRITE));
            io.dispatch(ScheduledIo.READ | ScheduledIo.WRITE);
            assertEquals(1, writerWoken.get(), "the writer was woken after the reader's waker threw");
            assertEquals(1, log.errors("I/O readiness"));
        } finally {
            pipe.source().close();
            pipe.sink().close();
            driver.close();
        }
    }

    /** What the runtime logs at ERROR through System.Logger (java.util.logging), until closed. */
    private static final class Captured extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.braid.runtime");
        private final boolean useParent = logger.getUseParentHandlers();
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        Captured() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        /** Records naming {@code firedBy} that carry the bad waker's exception. */
        long errors(String firedBy) {
            return records.stream().filter(r -> r.getMessage().contains(firedBy)
                    && r.getThrown() instanceof IllegalStateException ise && "bad waker".equals(ise.getMessage())).count();
        }

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(useParent);
        }
    }
}
