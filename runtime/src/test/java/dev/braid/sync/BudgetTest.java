package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every waiting operation of the package spends one unit of the cooperative budget when it
 * completes, even when it is ready on its first poll, and with a spent budget it yields
 * (waking its task) without taking anything.
 */
final class BudgetTest {

    /**
     * Polls {@code make}'s future with a budget of 0 (must yield and leave {@code untouched}
     * true), then with a budget of 1 (must be ready and spend it).
     */
    private static void check(Supplier<Future<?>> make, BooleanSupplier untouched) {
        CountingWaker w = new CountingWaker();
        Context cx = new Context(w);
        Future<?> f = make.get();
        cx.reset(w, 0);
        assertTrue(f.poll(cx).isPending(), "a spent budget forces a yield");
        assertTrue(w.woken(), "the forced yield wakes the task");
        assertTrue(untouched.getAsBoolean(), "nothing taken across the forced yield");
        cx.reset(w, 1);
        assertTrue(f.poll(cx).isReady());
        assertEquals(0, cx.remainingBudget(), "completing spent one unit");
    }

    @Test
    void semaphoreAcquire() {
        Semaphore s = new Semaphore(1);
        check(s::acquire, () -> s.availablePermits() == 1);
    }

    @Test
    void mutexLock_andRwLockReadAndWrite() {
        Mutex<Integer> m = new Mutex<>(0);
        check(m::lock, () -> !m.isLocked());
        RwLock<Integer> l = new RwLock<>(0);
        check(l::read, () -> l.toString().contains("readers=0"));
        RwLock<Integer> l2 = new RwLock<>(0);
        check(l2::write, () -> !l2.toString().contains("write-locked"));
    }

    @Test
    void notified_withAStoredNotification() {
        Notify n = new Notify();
        n.notifyOne();
        check(n::notified, () -> n.toString().contains("notified"));
    }

    @Test
    void barrierWait_ofTheLeader() {
        Barrier b = new Barrier(1);
        check(b::await, () -> b.generation() == 0);
    }

    @Test
    void onceCellGetOrInit() {
        OnceCell<String> c = new OnceCell<>("v");
        check(() -> c.getOrInit(() -> Future.ready("other")), () -> true);
        OnceCell<String> empty = new OnceCell<>();
        check(() -> empty.getOrInit(() -> Future.ready("init")), () -> !empty.isInitialized());
    }
}
