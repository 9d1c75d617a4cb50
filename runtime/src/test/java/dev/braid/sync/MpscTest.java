package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Selected;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Mpsc} polled by hand: ordering, waking, closing, capacity, cancellation, budget. */
final class MpscTest {
    private final CountingWaker w = new CountingWaker();

    @Test
    void unbounded_valuesArriveInOrder_acrossBlocks() {
        var ch = Mpsc.<Integer>unbounded(2);
        for (int i = 0; i < 9; i++) {
            assertTrue(ch.sender().send(i));
        }
        assertEquals(9, ch.receiver().len());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, w.ready(ch.receiver().recv()));
        }
        for (int i = 5; i < 9; i++) {
            assertEquals(i, ch.receiver().tryRecv());
        }
        assertNull(ch.receiver().tryRecv());
        assertEquals(0, ch.receiver().len());
    }

    @Test
    void recv_pending_isWokenBySend_andUnregisters() {
        var ch = Mpsc.<String>unbounded();
        Future<String> r = ch.receiver().recv();
        w.pending(r);
        assertTrue(ch.receiver().hasWaiter());
        ch.sender().send("a");
        ch.sender().send("b");
        assertEquals(1, w.wakes(), "a burst of sends wakes once");
        assertEquals("a", w.ready(r));
        assertFalse(ch.receiver().hasWaiter());
    }

    @Test
    void recv_dropped_unregistersAndLosesNothing() {
        var ch = Mpsc.<String>unbounded();
        Future<String> r = ch.receiver().recv();
        w.pending(r);
        r.drop();
        assertFalse(ch.receiver().hasWaiter());
        ch.sender().send("kept");
        assertEquals(0, w.wakes());
        assertEquals("kept", w.ready(ch.receiver().recv()));
    }

    @Test
    void recv_completesWithNull_onlyAfterEverySenderClosed() {
        var ch = Mpsc.<Integer>unbounded();
        Mpsc.UnboundedSender<Integer> tx2 = ch.sender().clone();
        ch.sender().send(1);
        ch.sender().close();
        ch.sender().close(); // idempotent: must not count twice
        Future<Integer> r = ch.receiver().recv();
        assertEquals(1, w.ready(r));
        r = ch.receiver().recv();
        w.pending(r);
        assertFalse(ch.receiver().isTerminated());
        tx2.send(2);
        assertEquals(2, w.ready(r));
        r = ch.receiver().recv();
        w.pending(r);
        tx2.close();
        assertTrue(w.wakes() >= 2);
        assertNull(w.ready(r));
        assertTrue(ch.receiver().isTerminated());
        assertNull(w.ready(ch.receiver().recv()), "the end stays the end");
    }

    @Test
    void receiverClose_failsLaterSends_keepsWhatWasSent() {
        var ch = Mpsc.<Integer>unbounded();
        ch.sender().send(1);
        ch.sender().send(2);
        ch.receiver().close();
        assertTrue(ch.sender().isClosed());
        assertFalse(ch.sender().send(3));
        assertEquals(Mpsc.TrySend.CLOSED, ch.sender().trySend(3));
        assertEquals(1, ch.receiver().tryRecv());
        assertEquals(2, w.ready(ch.receiver().recv()));
        assertNull(w.ready(ch.receiver().recv()));
    }

    @Test
    void misuse_failsClearly() {
        var ch = Mpsc.<String>bounded(4);
        assertThrows(NullPointerException.class, () -> ch.sender().send(null));
        assertThrows(NullPointerException.class, () -> ch.sender().trySend(null));
        assertThrows(IllegalArgumentException.class, () -> Mpsc.bounded(0));
        Future<Void> late = ch.sender().send("late");
        ch.sender().close();
        assertThrows(IllegalStateException.class, () -> w.poll(late), "a send polled after its sender's close");
        assertThrows(IllegalStateException.class, () -> ch.sender().trySend("x"));
        assertThrows(IllegalStateException.class, () -> ch.sender().clone());
    }

    @Test
    void bounded_trySend_tellsFullFromClosed() {
        var ch = Mpsc.<Integer>bounded(2);
        assertEquals(Mpsc.TrySend.SENT, ch.sender().trySend(1));
        assertEquals(Mpsc.TrySend.SENT, ch.sender().trySend(2));
        assertEquals(Mpsc.TrySend.FULL, ch.sender().trySend(3));
        assertEquals(0, ch.sender().capacity());
        assertEquals(1, ch.receiver().tryRecv());
        assertEquals(Mpsc.TrySend.SENT, ch.sender().trySend(3));
        ch.receiver().close();
        assertEquals(Mpsc.TrySend.CLOSED, ch.sender().trySend(4));
        assertEquals(2, ch.receiver().tryRecv());
        assertEquals(3, ch.receiver().tryRecv());
        assertNull(ch.receiver().tryRecv());
        assertTrue(ch.receiver().isTerminated());
    }

    @Test
    void bounded_send_waitsForRoom_inArrivalOrder() {
        var ch = Mpsc.<Integer>bounded(1);
        w.ready(ch.sender().send(1));
        Future<Void> s2 = ch.sender().send(2);
        Future<Void> s3 = ch.sender().send(3);
        w.pending(s2);
        w.pending(s3);
        assertEquals(Mpsc.TrySend.FULL, ch.sender().trySend(9), "no overtaking of waiting senders");
        assertEquals(1, ch.receiver().tryRecv());
        assertTrue(w.woken());
        w.ready(s2);
        w.pending(s3);
        assertEquals(2, ch.receiver().tryRecv());
        w.ready(s3);
        assertEquals(3, ch.receiver().tryRecv());
    }

    @Test
    void bounded_pendingSend_failsWithItsValue_whenReceiverCloses() {
        var ch = Mpsc.<String>bounded(1);
        w.ready(ch.sender().send("in"));
        Future<Void> s = ch.sender().send("out");
        w.pending(s);
        ch.receiver().close();
        Mpsc.ClosedException e = assertThrows(Mpsc.ClosedException.class, () -> w.poll(s));
        assertEquals("out", e.value());
        assertEquals("in", ch.receiver().tryRecv());
        assertNull(ch.receiver().tryRecv());
    }

    @Test
    void bounded_droppedSend_givesItsPlaceToTheNext() {
        var ch = Mpsc.<Integer>bounded(1);
        w.ready(ch.sender().send(1));
        Future<Void> s2 = ch.sender().send(2);
        Future<Void> s3 = ch.sender().send(3);
        w.pending(s2);
        w.pending(s3);
        assertEquals(1, ch.receiver().tryRecv()); // the slot is assigned to s2 ...
        s2.drop(); // ... which gives it on to s3
        w.ready(s3);
        assertEquals(3, ch.receiver().tryRecv());
        assertNull(ch.receiver().tryRecv());
        assertEquals(1, ch.sender().capacity());
    }

    @Test
    void reserve_holdsASlot_andGivesItBackOnClose() {
        var ch = Mpsc.<Integer>bounded(2);
        Mpsc.Permit<Integer> p1 = w.ready(ch.sender().reserve());
        Mpsc.Permit<Integer> p2 = w.ready(ch.sender().reserve());
        assertEquals(Mpsc.TrySend.FULL, ch.sender().trySend(0));
        assertEquals(0, ch.receiver().len(), "reserved is not sent");
        assertTrue(p1.send(1));
        assertThrows(IllegalStateException.class, () -> p1.send(9));
        p2.close();
        p2.close();
        assertEquals(1, ch.sender().capacity());
        assertEquals(1, ch.receiver().tryRecv());
        assertEquals(2, ch.sender().capacity());
    }

    @Test
    void reserve_droppedWhilePending_returnsCapacity() {
        var ch = Mpsc.<Integer>bounded(1);
        w.ready(ch.sender().send(1));
        Future<Mpsc.Permit<Integer>> r = ch.sender().reserve();
        w.pending(r);
        assertEquals(1, ch.receiver().tryRecv()); // assigns the free slot to the reservation
        r.drop();
        assertEquals(1, ch.sender().capacity());
        assertEquals(Mpsc.TrySend.SENT, ch.sender().trySend(2));
    }

    @Test
    void permit_countsAsASender_untilUsed() {
        var ch = Mpsc.<Integer>bounded(2);
        Mpsc.Permit<Integer> p = w.ready(ch.sender().reserve());
        ch.sender().close();
        Future<Integer> r = ch.receiver().recv();
        w.pending(r);
        assertFalse(ch.receiver().isClosed(), "the permit is still open");
        assertTrue(p.send(7));
        assertEquals(7, w.ready(r));
        assertNull(w.ready(ch.receiver().recv()));
    }

    @Test
    void permit_send_afterReceiverClosed_returnsFalse() {
        var ch = Mpsc.<Integer>bounded(2);
        Mpsc.Permit<Integer> p = w.ready(ch.sender().reserve());
        ch.receiver().close();
        assertFalse(p.send(1));
        assertThrows(Mpsc.ClosedException.class, () -> w.poll(ch.sender().reserve()));
    }

    @Test
    void select_recvLosingToAReadyFuture_leavesNoWaiter_andLosesNoValue() {
        var ch = Mpsc.<String>unbounded();
        Oneshot<String> other = Oneshot.channel();
        Future<Selected<String>> sel = Futures.selectBiased(ch.receiver().recv(), other.receiver());
        w.pending(sel);
        assertTrue(ch.receiver().hasWaiter());
        other.sender().send("other");
        assertEquals(1, w.ready(sel).index());
        assertFalse(ch.receiver().hasWaiter());
        ch.sender().send("after");
        assertEquals("after", w.ready(ch.receiver().recv()));
    }

    @Test
    void select_raceWithAValueArrivingAtTheSameTime_losesNothing() {
        var ch = Mpsc.<String>unbounded();
        Oneshot<String> other = Oneshot.channel();
        Future<Selected<String>> sel = Futures.selectBiased(other.receiver(), ch.receiver().recv());
        w.pending(sel);
        // Both become ready before the select is polled again; the first child wins and the
        // receive is dropped without taking the value.
        ch.sender().send("v");
        other.sender().send("o");
        assertEquals(0, w.ready(sel).index());
        assertFalse(ch.receiver().hasWaiter());
        assertEquals("v", ch.receiver().tryRecv());
    }

    @Test
    void select_sendThroughReserve_losingKeepsTheValue() {
        var ch = Mpsc.<String>bounded(1);
        w.ready(ch.sender().send("fill"));
        Future<Mpsc.Permit<String>> reserve = ch.sender().reserve();
        Future<Selected<Object>> sel = Futures.<Object>selectBiased(reserve, Future.ready("timeout"));
        assertEquals(1, w.ready(sel).index()); // reserve lost: nothing sent, the value is still ours
        assertEquals("fill", ch.receiver().tryRecv());
        assertNull(ch.receiver().tryRecv());
        assertEquals(1, ch.sender().capacity());
    }

    @Test
    void recv_spendsBudget_andAForcedYieldTakesNothing() {
        var ch = Mpsc.<Integer>unbounded();
        for (int i = 0; i < 5; i++) {
            ch.sender().send(i);
        }
        Context cx = new Context(w);
        cx.reset(w, 2);
        assertEquals(0, ch.receiver().recv().poll(cx).value());
        assertEquals(1, ch.receiver().recv().poll(cx).value());
        Future<Integer> third = ch.receiver().recv();
        assertTrue(third.poll(cx).isPending());
        assertEquals(1, w.wakes(), "a forced yield wakes the task");
        cx.reset(w, 2);
        assertEquals(2, third.poll(cx).value());
    }

    @Test
    void boundedSend_spendsBudget_andAForcedYieldHoldsNoSlot() {
        var ch = Mpsc.<Integer>bounded(3);
        Context cx = new Context(w);
        cx.reset(w, 1);
        assertTrue(ch.sender().send(1).poll(cx).isReady());
        Future<Void> s = ch.sender().send(2);
        assertTrue(s.poll(cx).isPending());
        assertEquals(2, ch.sender().capacity());
        cx.reset(w, 1);
        assertTrue(s.poll(cx).isReady());
        assertEquals(List.of(1, 2), drain(ch.receiver()));
    }

    @Test
    void toString_namesTheChannel() {
        var b = Mpsc.<Integer>bounded(100);
        b.sender().trySend(1);
        assertTrue(b.receiver().toString().matches("receiver of mpsc#\\d+\\(bounded 100, len 1\\)"), b.receiver().toString());
        var u = Mpsc.<Integer>unbounded();
        u.receiver().close();
        assertTrue(u.sender().toString().matches("sender of mpsc#\\d+\\(unbounded, len 0, receiver closed\\)"), u.sender().toString());
        assertTrue(String.valueOf(u.receiver().recv()).startsWith("recv on mpsc#"));
    }

    @Test
    void closedException_carriesTheValue() {
        var e = new Mpsc.ClosedException("v");
        assertSame("v", e.value());
    }

    private static List<Integer> drain(Mpsc.Receiver<Integer> rx) {
        List<Integer> out = new ArrayList<>();
        for (Integer v; (v = rx.tryRecv()) != null; ) {
            out.add(v);
        }
        return out;
    }
}
