package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Semaphore.Permit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphore behaviour, polled by hand on the test thread. */
final class SemaphoreTest {

    @Test
    void tryAcquire_takesPermits_andCloseGivesThemBackOnce() {
        Semaphore s = new Semaphore(3);
        Permit p = s.tryAcquire(2);
        assertNotNull(p);
        assertEquals(2, p.permits());
        assertEquals(1, s.availablePermits());
        assertNull(s.tryAcquire(2));
        p.close();
        assertTrue(p.isReleased());
        assertEquals(3, s.availablePermits());
        p.close();
        assertEquals(3, s.availablePermits(), "a second close is a no-op");
    }

    @Test
    void forget_consumesPermitsForGood() {
        Semaphore s = new Semaphore(2);
        Permit p = s.tryAcquire();
        p.forget();
        p.close();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void acquire_isLazy_untilFirstPoll() {
        Semaphore s = new Semaphore(1);
        Future<Permit> f = s.acquire();
        assertEquals(1, s.availablePermits());
        Permit p = new CountingWaker().ready(f);
        assertEquals(0, s.availablePermits());
        p.close();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void acquire_readyOnFirstPoll_consumesBudget_andYieldsWithoutTakingPermits() {
        Semaphore s = new Semaphore(5);
        CountingWaker w = new CountingWaker();
        Context cx = new Context(w);
        cx.reset(w, 1);
        Poll<Permit> first = s.acquire().poll(cx);
        assertTrue(first.isReady());
        assertEquals(0, cx.remainingBudget());
        Future<Permit> second = s.acquire();
        assertTrue(second.poll(cx).isPending(), "budget spent: must yield");
        assertTrue(w.woken(), "a forced yield wakes the task");
        assertEquals(1, cx.forcedYields());
        assertEquals(4, s.availablePermits(), "nothing taken across the yield");
        cx.reset(w, 1);
        assertTrue(second.poll(cx).isReady());
        assertEquals(3, s.availablePermits());
    }

    @Test
    void acquire_failingOnAClosedSemaphore_consumesBudgetToo() {
        Semaphore s = new Semaphore(1);
        s.close();
        CountingWaker w = new CountingWaker();
        Context cx = new Context(w);
        cx.reset(w, 1);
        assertThrows(Semaphore.ClosedException.class, () -> s.acquire().poll(cx));
        assertEquals(0, cx.remainingBudget());
    }

    @Test
    void grantedAcquire_withSpentBudget_holdsItsPermits_andDropGivesThemBack() {
        Semaphore s = new Semaphore(0);
        CountingWaker w = new CountingWaker();
        Future<Permit> f = s.acquire(2);
        w.pending(f);
        s.addPermits(2);
        assertTrue(w.woken());
        Context cx = new Context(w);
        cx.reset(w, 0);
        assertTrue(f.poll(cx).isPending());
        assertEquals(0, s.availablePermits());
        f.drop();
        assertEquals(2, s.availablePermits());
    }

    @Test
    void fifo_waitersAreServedInArrivalOrder() {
        Semaphore s = new Semaphore(0);
        List<Future<Permit>> fs = new ArrayList<>();
        List<CountingWaker> ws = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CountingWaker w = new CountingWaker();
            Future<Permit> f = s.acquire();
            w.pending(f);
            fs.add(f);
            ws.add(w);
        }
        assertEquals(5, s.waiterCount());
        for (int i = 0; i < 5; i++) {
            s.addPermits(1);
            for (int j = 0; j < 5; j++) {
                assertEquals(j <= i, ws.get(j).woken(), "after " + (i + 1) + " permits, waiter " + j);
            }
            ws.get(i).ready(fs.get(i));
        }
        assertEquals(0, s.waiterCount());
    }

    @Test
    void fifo_largeWaiterAtTheHead_isNotOvertakenBySmallOnes() {
        Semaphore s = new Semaphore(1);
        CountingWaker big = new CountingWaker();
        CountingWaker small = new CountingWaker();
        Future<Permit> bigF = s.acquire(3);
        big.pending(bigF);
        assertEquals(0, s.availablePermits(), "the waiter took what was there");
        Future<Permit> smallF = s.acquire(1);
        small.pending(smallF);
        assertNull(s.tryAcquire(1), "tryAcquire does not overtake a waiter");
        s.addPermits(1);
        assertFalse(big.woken());
        assertFalse(small.woken(), "the permit went to the head waiter");
        s.addPermits(1);
        assertTrue(big.woken());
        assertFalse(small.woken());
        assertEquals(3, big.ready(bigF).permits());
        s.addPermits(1);
        assertTrue(small.woken());
        small.ready(smallF);
    }

    @Test
    void drop_ofQueuedWaiter_passesItsAssignedPermitsToTheNext() {
        Semaphore s = new Semaphore(2);
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Permit> fa = s.acquire(3);
        a.pending(fa);
        Future<Permit> fb = s.acquire(2);
        b.pending(fb);
        assertEquals(2, Semaphore.heldBy(fa));
        fa.drop();
        assertTrue(b.woken(), "the 2 permits assigned to a went to b");
        assertEquals(0, s.availablePermits());
        assertEquals(0, s.waiterCount());
        fb.drop(); // granted but never polled: gives everything back
        assertEquals(2, s.availablePermits());
        s.checkInvariants();
    }

    @Test
    void drop_ofLastWaiter_returnsItsPermitsToTheCount() {
        Semaphore s = new Semaphore(2);
        Future<Permit> f = s.acquire(5);
        new CountingWaker().pending(f);
        assertEquals(0, s.availablePermits());
        f.drop();
        f.drop(); // dropping twice is harmless
        assertEquals(2, s.availablePermits());
        assertEquals(0, s.waiterCount());
        s.checkInvariants();
        assertNotNull(s.tryAcquire(2), "the lock-free path works again");
    }

    @Test
    void drop_ofUnpolledOrFinishedAcquire_changesNothing() {
        Semaphore s = new Semaphore(1);
        s.acquire().drop();
        Future<Permit> f = s.acquire();
        Permit p = new CountingWaker().ready(f);
        f.drop();
        assertEquals(0, s.availablePermits());
        p.close();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void repoll_withNewWaker_wakesOnlyTheNewOne() {
        Semaphore s = new Semaphore(0);
        CountingWaker first = new CountingWaker();
        CountingWaker second = new CountingWaker();
        Future<Permit> f = s.acquire();
        first.pending(f);
        second.pending(f);
        s.addPermits(1);
        assertFalse(first.woken());
        assertTrue(second.woken());
        second.ready(f);
    }

    @Test
    void close_wakesEveryWaiterWithTheError_andReturnsPartialAssignments() {
        Semaphore s = new Semaphore(1);
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Permit> fa = s.acquire(2);
        a.pending(fa);
        Future<Permit> fb = s.acquire(1);
        b.pending(fb);
        s.close();
        assertTrue(s.isClosed());
        assertTrue(a.woken());
        assertTrue(b.woken());
        assertThrows(Semaphore.ClosedException.class, () -> a.poll(fa));
        assertThrows(Semaphore.ClosedException.class, () -> b.poll(fb));
        assertEquals(0, s.waiterCount());
        assertEquals(1, s.availablePermits(), "the permit assigned to a is counted again");
        assertThrows(Semaphore.ClosedException.class, () -> s.tryAcquire());
        assertThrows(Semaphore.ClosedException.class, () -> new CountingWaker().poll(s.acquire()));
        s.close(); // idempotent
        assertTrue(s.toString().endsWith(", closed)"), s.toString());
    }

    @Test
    void close_afterGrant_stillDeliversThePermit_andHeldPermitsCanBeReleased() {
        Semaphore s = new Semaphore(1);
        Permit held = s.tryAcquire();
        CountingWaker w = new CountingWaker();
        Future<Permit> f = s.acquire();
        w.pending(f);
        held.close(); // grants f
        s.close();
        Permit p = w.ready(f);
        p.close();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void polledAfterCompletion_fails() {
        Semaphore s = new Semaphore(1);
        Future<Permit> f = s.acquire();
        CountingWaker w = new CountingWaker();
        w.ready(f);
        assertThrows(IllegalStateException.class, () -> w.poll(f));
    }

    @Test
    void acquireZero_isReadyAtOnce() {
        Semaphore s = new Semaphore(0);
        Future<Permit> waiting = s.acquire();
        new CountingWaker().pending(waiting);
        assertEquals(0, new CountingWaker().ready(s.acquire(0)).permits());
    }

    @Test
    void counts_areChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(Semaphore.MAX_PERMITS + 1));
        Semaphore s = new Semaphore(Semaphore.MAX_PERMITS);
        assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(Semaphore.MAX_PERMITS + 1));
        assertThrows(IllegalStateException.class, () -> s.addPermits(1));
        assertEquals(Semaphore.MAX_PERMITS, s.availablePermits());
        Permit all = s.tryAcquire(Semaphore.MAX_PERMITS);
        assertEquals(0, s.availablePermits());
        all.close();
        assertEquals(Semaphore.MAX_PERMITS, s.availablePermits());
    }

    @Test
    void throwingWaker_doesNotKeepTheOthersAsleep() {
        Semaphore s = new Semaphore(0);
        Future<Permit> bad = s.acquire();
        bad.poll(new Context(() -> {
            throw new IllegalStateException("bad waker");
        }));
        CountingWaker good = new CountingWaker();
        Future<Permit> f = s.acquire();
        good.pending(f);
        assertThrows(IllegalStateException.class, () -> s.addPermits(2));
        assertTrue(good.woken());
        s.checkInvariants();
    }

    @Test
    void toString_namesTheInstanceAndItsState() {
        Semaphore s = new Semaphore(2);
        Future<Permit> f = s.acquire(3);
        new CountingWaker().pending(f);
        assertTrue(s.toString().matches("Semaphore#\\d+\\(permits=0, waiters=1\\)"), s.toString());
        Permit p = s.tryAcquire(0);
        assertTrue(p.toString().startsWith("Permit(0 of Semaphore#"), p.toString());
        assertFalse(new Semaphore(1).toString().equals(new Semaphore(1).toString()), "serials differ");
        f.drop();
    }
}
