package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Broadcast} polled by hand. */
final class BroadcastTest {
    private final CountingWaker w = new CountingWaker();

    @Test
    void everyReceiverSeesEveryValue_sentAfterItSubscribed() {
        var ch = Broadcast.<Integer>channel(4);
        assertEquals(1, ch.sender().send(1));
        Broadcast.Receiver<Integer> late = ch.sender().subscribe();
        assertEquals(2, ch.sender().send(2));
        assertEquals(1, w.ready(ch.receiver().recv()));
        assertEquals(2, w.ready(ch.receiver().recv()));
        assertEquals(2, late.tryRecv());
        assertNull(late.tryRecv());
    }

    @Test
    void recv_pending_isWokenBySend_andDropUnregisters() {
        var ch = Broadcast.<String>channel(2);
        Broadcast.Receiver<String> rx2 = ch.sender().subscribe();
        Future<String> r1 = ch.receiver().recv();
        Future<String> r2 = rx2.recv();
        w.pending(r1);
        w.pending(r2);
        assertEquals(2, rx2.waiterCount());
        r2.drop();
        assertEquals(1, rx2.waiterCount());
        ch.sender().send("x");
        assertEquals(1, w.wakes());
        assertEquals(0, rx2.waiterCount());
        assertEquals("x", w.ready(r1));
        assertEquals("x", w.ready(rx2.recv()), "the dropped receive lost nothing");
    }

    @Test
    void slowReceiver_lagsByTheExactCount_thenContinuesWithTheOldestKept() {
        var ch = Broadcast.<Integer>channel(3);
        for (int i = 0; i < 10; i++) {
            ch.sender().send(i);
        }
        assertEquals(3, ch.receiver().len());
        Broadcast.LaggedException e = assertThrows(Broadcast.LaggedException.class, () -> w.poll(ch.receiver().recv()));
        assertEquals(7, e.skipped());
        assertEquals(7, w.ready(ch.receiver().recv()));
        assertEquals(8, ch.receiver().tryRecv());
        ch.sender().send(10);
        ch.sender().send(11);
        ch.sender().send(12);
        assertEquals(1, assertThrows(Broadcast.LaggedException.class, () -> ch.receiver().tryRecv()).skipped());
        assertEquals(10, ch.receiver().tryRecv());
    }

    @Test
    void end_afterEverySenderClosed_andEverythingSeen() {
        var ch = Broadcast.<Integer>channel(4);
        Broadcast.Sender<Integer> tx2 = ch.sender().clone();
        ch.sender().send(1);
        ch.sender().close();
        ch.sender().close();
        Future<Integer> r = ch.receiver().recv();
        assertEquals(1, w.ready(r));
        r = ch.receiver().recv();
        w.pending(r);
        tx2.close();
        assertTrue(w.woken());
        assertNull(w.ready(r));
        assertTrue(ch.receiver().isTerminated());
        assertThrows(IllegalStateException.class, () -> tx2.send(2));
    }

    @Test
    void send_withoutReceivers_returnsZero_andClosedReceiversStopCounting() {
        var ch = Broadcast.<Integer>channel(2);
        Broadcast.Receiver<Integer> rx2 = ch.sender().subscribe();
        assertEquals(2, ch.sender().send(1));
        rx2.close();
        rx2.close();
        assertEquals(1, ch.sender().receiverCount());
        ch.receiver().close();
        assertEquals(0, ch.sender().send(2));
        assertThrows(IllegalStateException.class, () -> ch.receiver().tryRecv());
        assertThrows(NullPointerException.class, () -> ch.sender().send(null));
    }

    @Test
    void select_recvLosing_leavesNoWaiter() {
        var ch = Broadcast.<String>channel(2);
        var sel = Futures.selectBiased(ch.receiver().recv(), Future.ready("other"));
        assertEquals(1, w.ready(sel).index());
        assertEquals(0, ch.receiver().waiterCount());
        ch.sender().send("kept");
        assertEquals("kept", ch.receiver().tryRecv());
    }

    @Test
    void recv_spendsBudget_andAForcedYieldTakesNothing() {
        var ch = Broadcast.<Integer>channel(8);
        ch.sender().send(1);
        ch.sender().send(2);
        Context cx = new Context(w);
        cx.reset(w, 1);
        assertEquals(1, ch.receiver().recv().poll(cx).value());
        assertTrue(ch.receiver().recv().poll(cx).isPending());
        assertEquals(1, w.wakes());
        assertEquals(2, ch.receiver().tryRecv());
    }

    @Test
    void toString_namesTheChannel() {
        var ch = Broadcast.<Integer>channel(5);
        assertTrue(ch.toString().matches("broadcast#\\d+\\(capacity 5, receivers 1, waiting 0\\)"), ch.toString());
        assertFalse(ch.receiver().isClosed());
    }
}
