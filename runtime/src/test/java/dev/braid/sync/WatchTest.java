package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Watch} polled by hand. */
final class WatchTest {
    private final CountingWaker w = new CountingWaker();

    @Test
    void changed_waitsForANewerVersion_andSkipsIntermediateOnes() {
        var ch = Watch.channel("v0");
        Future<Void> c = ch.receiver().changed();
        w.pending(c);
        ch.sender().send("v1");
        ch.sender().send("v2");
        assertEquals(1, w.wakes());
        w.ready(c);
        assertEquals("v2", ch.receiver().borrow());
        assertEquals(2, ch.receiver().seenVersion());
        w.pending(ch.receiver().changed());
    }

    @Test
    void borrow_doesNotMarkSeen_borrowAndUpdateDoes() {
        var ch = Watch.channel(0);
        ch.sender().send(1);
        assertEquals(1, ch.receiver().borrow());
        assertTrue(ch.receiver().hasChanged());
        assertEquals(1, ch.receiver().borrowAndUpdate());
        assertFalse(ch.receiver().hasChanged());
        w.pending(ch.receiver().changed());
    }

    @Test
    void sendModify_appliesOnce_andBumpsTheVersion() {
        var ch = Watch.channel(10);
        Watch.Receiver<Integer> rx2 = ch.sender().subscribe();
        assertTrue(ch.sender().sendModify(x -> x + 1));
        assertEquals(11, rx2.borrowAndUpdate());
        assertEquals(1, ch.sender().version());
    }

    @Test
    void changed_failsWhenTheSenderCloses_butOnlyAfterAnUnseenChange() {
        var ch = Watch.channel("a");
        Watch.Receiver<String> rx2 = ch.receiver().clone();
        Future<Void> c = rx2.changed();
        w.pending(c);
        ch.sender().send("b");
        ch.sender().close();
        ch.sender().close();
        w.ready(c); // the change came before the close
        assertThrows(Watch.ClosedException.class, () -> w.poll(rx2.changed()));
        w.ready(ch.receiver().changed());
        assertThrows(Watch.ClosedException.class, () -> ch.receiver().hasChanged());
        assertThrows(IllegalStateException.class, () -> ch.sender().send("c"));
    }

    @Test
    void droppedChanged_unregisters_andLosesNoChange() {
        var ch = Watch.channel(0);
        Future<Void> c = ch.receiver().changed();
        w.pending(c);
        assertEquals(1, ch.receiver().waiterCount());
        var sel = Futures.selectBiased(c, Future.ready(null));
        assertEquals(1, w.ready(sel).index());
        assertEquals(0, ch.receiver().waiterCount());
        ch.sender().send(1);
        assertEquals(0, w.wakes());
        w.ready(ch.receiver().changed());
    }

    @Test
    void send_reportsWhetherAnybodyListens_andKeepsTheValue() {
        var ch = Watch.channel(0);
        ch.receiver().close();
        assertFalse(ch.sender().send(5));
        assertEquals(5, ch.sender().borrow());
        Watch.Receiver<Integer> late = ch.sender().subscribe();
        assertEquals(5, late.borrow());
        assertFalse(late.hasChanged());
    }

    @Test
    void changed_spendsBudget() {
        var ch = Watch.channel(0);
        ch.sender().send(1);
        Context cx = new Context(w);
        cx.reset(w, 0);
        assertTrue(ch.receiver().changed().poll(cx).isPending());
        assertEquals(1, w.wakes());
        assertTrue(ch.receiver().hasChanged(), "a forced yield marks nothing seen");
    }

    @Test
    void toString_namesTheChannel() {
        var ch = Watch.channel(0);
        ch.sender().send(1);
        assertTrue(ch.toString().matches("watch#\\d+\\(version 1, receivers 1, waiting 0\\)"), ch.toString());
    }
}
