package dev.braid.sync;

import dev.braid.future.Future;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class NotifyTest {

    @Test
    void notifyOne_withoutWaiters_storesOneNotification() {
        Notify n = new Notify();
        n.notifyOne();
        n.notifyOne();
        assertTrue(n.toString().contains("notified"), n.toString());
        new CountingWaker().ready(n.notified());
        new CountingWaker().pending(n.notified()); // the two calls stored only one
    }

    @Test
    void notifyOne_wakesTheOldestWaiter() {
        Notify n = new Notify();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        Future<Void> a = n.notified();
        wa.pending(a);
        Future<Void> b = n.notified();
        wb.pending(b);
        assertEquals(2, n.waiterCount());
        n.notifyOne();
        assertTrue(wa.woken());
        assertFalse(wb.woken());
        wa.ready(a);
        wb.pending(b);
        n.notifyOne();
        wb.ready(b);
        assertEquals(0, n.waiterCount());
        new CountingWaker().pending(n.notified()); // nothing stored
    }

    @Test
    void notifyWaiters_wakesEveryone_andStoresNothing() {
        Notify n = new Notify();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        Future<Void> a = n.notified();
        wa.pending(a);
        Future<Void> b = n.notified();
        wb.pending(b);
        n.notifyWaiters();
        assertTrue(wa.woken());
        assertTrue(wb.woken());
        wa.ready(a);
        wb.ready(b);
        new CountingWaker().pending(n.notified());
    }

    @Test
    void notifyWaiters_countsFuturesMadeBeforeTheCall_evenUnpolled() {
        Notify n = new Notify();
        Future<Void> before = n.notified();
        n.notifyWaiters();
        Future<Void> after = n.notified();
        new CountingWaker().ready(before);
        new CountingWaker().pending(after);
    }

    @Test
    void droppedWaiterChosenByNotifyOne_passesTheNotificationOn() {
        Notify n = new Notify();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        Future<Void> a = n.notified();
        wa.pending(a);
        Future<Void> b = n.notified();
        wb.pending(b);
        n.notifyOne();
        a.drop();
        assertTrue(wb.woken());
        wb.ready(b);
        // With nobody left, the passed-on notification is stored.
        Future<Void> c = n.notified();
        new CountingWaker().pending(c);
        n.notifyOne();
        c.drop();
        new CountingWaker().ready(n.notified());
    }

    @Test
    void droppedWaiterChosenByNotifyWaiters_passesNothingOn() {
        Notify n = new Notify();
        Future<Void> a = n.notified();
        new CountingWaker().pending(a);
        n.notifyWaiters();
        a.drop();
        new CountingWaker().pending(n.notified());
    }

    @Test
    void droppedWaitingFuture_leavesTheList() {
        Notify n = new Notify();
        Future<Void> a = n.notified();
        new CountingWaker().pending(a);
        a.drop();
        assertEquals(0, n.waiterCount());
        n.notifyOne(); // stored, not given to the dropped future
        new CountingWaker().ready(n.notified());
    }

    @Test
    void polledAfterCompletion_fails() {
        Notify n = new Notify();
        n.notifyOne();
        Future<Void> f = n.notified();
        CountingWaker w = new CountingWaker();
        w.ready(f);
        assertThrows(IllegalStateException.class, () -> w.poll(f));
    }

    @Test
    void stress_dropRacingWithNotifyOne_neverLosesTheNotification() throws Exception {
        int rounds = SyncStress.rounds(5_000);
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        AtomicReference<Notify> current = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread notifier = new Thread(() -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    start.await(10, TimeUnit.SECONDS);
                    current.get().notifyOne();
                    end.await(10, TimeUnit.SECONDS);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "notify-racer");
        notifier.start();
        for (int r = 0; r < rounds; r++) {
            Notify n = new Notify();
            Future<Void> a = n.notified();
            new CountingWaker().pending(a);
            CountingWaker wb = new CountingWaker();
            Future<Void> b = n.notified();
            wb.pending(b);
            current.set(n);
            start.await(10, TimeUnit.SECONDS);
            a.drop();
            end.await(10, TimeUnit.SECONDS);
            assertTrue(wb.woken(), "round " + r);
            wb.ready(b);
            assertEquals(0, n.waiterCount());
            new CountingWaker().pending(n.notified()); // and it was not also stored
        }
        notifier.join(10_000);
        assertNull(failure.get());
    }
}
