package dev.braid.runtime.internal;

/**
 * How the time driver's role holder sleeps once the runtime does I/O: in the selector, so
 * that readiness, timers and new work all end the sleep. Unparking is a selector wake-up.
 * With a {@link Core}, the core's pending unpark is checked after the core has published
 * that it selects (and {@link Core#unpark()} checks that after setting the pending flag), so
 * a wake-up for the core is never lost between the two.
 */
final class IoParker implements Parker {
    final IoDriver io;
    private final Core core;

    IoParker(IoDriver io, Core core) {
        this.io = io;
        this.core = core;
    }

    @Override
    public void park() {
        sleep(0);
    }

    @Override
    public void parkNanos(long nanos) {
        sleep(Math.max(1, (nanos + 999_999) / 1_000_000));
    }

    private void sleep(long millis) {
        Thread.interrupted(); // a left-over interrupt would make every select return at once
        if (core == null) {
            io.select(millis);
            return;
        }
        core.selecting = this;
        try {
            if (!core.takeNotified()) {
                io.select(millis);
            }
        } finally {
            core.selecting = null;
        }
    }

    @Override
    public void unpark() {
        io.wakeup();
    }
}
