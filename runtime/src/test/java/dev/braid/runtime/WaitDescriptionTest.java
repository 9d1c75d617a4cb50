package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.net.TcpListener;
import dev.braid.net.TcpStream;
import dev.braid.net.UdpSocket;
import dev.braid.process.Child;
import dev.braid.process.Command;
import dev.braid.process.PipeWriter;
import dev.braid.process.Stdio;
import dev.braid.runtime.internal.Task;
import dev.braid.sync.Barrier;
import dev.braid.sync.Broadcast;
import dev.braid.sync.Mpsc;
import dev.braid.sync.Mutex;
import dev.braid.sync.Notify;
import dev.braid.sync.OnceCell;
import dev.braid.sync.Oneshot;
import dev.braid.sync.RwLock;
import dev.braid.sync.Semaphore;
import dev.braid.sync.Watch;
import dev.braid.time.Interval;
import dev.braid.time.Sleep;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a pending poll records with {@link Context#waitingOn}: every runtime resource names its
 * operation and the object waited on when it registers a waker and returns pending, and records
 * nothing when it is ready or only yields because the cooperative budget is spent.
 */
final class WaitDescriptionTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final Waker NOOP = () -> { };

    /** A fresh context without a budget limit. */
    private static Context cx() {
        return new Context(NOOP);
    }

    /** A fresh context whose budget is spent: the next {@code pollProceed()} forces a yield. */
    private static Context spent() {
        Context cx = new Context(NOOP);
        cx.reset(NOOP, 0);
        return cx;
    }

    /** Polls {@code f} with {@code cx}, which must leave it pending. */
    private static void pending(Future<?> f, Context cx) {
        Poll<?> p = f.poll(cx);
        if (p.isReady()) {
            fail("expected pending, was ready with " + p.value());
        }
    }

    /** Polls {@code f} with a fresh context; it must be pending. Returns the context. */
    private static Context pending(Future<?> f) {
        Context cx = cx();
        pending(f, cx);
        return cx;
    }

    private static void assertWait(Context cx, String op, Object resource) {
        assertEquals(op, cx.waitOp(), "op");
        assertSame(resource, cx.waitResource(), "resource of " + op);
        assertEquals(1, cx.waitCount(), "waits recorded");
    }

    private static void assertNoWait(Context cx) {
        assertEquals(0, cx.waitCount(), "waits recorded");
        assertNull(cx.waitOp());
        assertNull(cx.waitResource());
    }

    private static BraidRuntime currentThread() {
        return BraidRuntime.builder().currentThread().build();
    }

    /** Runs {@code body} once, inside {@code rt} (so timers and sockets find their drivers). */
    private static <T> T inside(BraidRuntime rt, Supplier<T> body) {
        return rt.blockOn(Future.lazy(body));
    }

    /** The shared channel object an mpsc receive waits on. */
    private static Object channelOf(Mpsc.Receiver<?> rx) {
        Future<?> r = rx.recv();
        Context cx = pending(r);
        r.drop();
        assertEquals("mpsc.recv", cx.waitOp());
        return cx.waitResource();
    }

    // ---- sync -------------------------------------------------------------------------------

    @Test
    void mpsc_recv_send_andReserve_recordTheSharedChannel() {
        var ch = Mpsc.<String>bounded(1);
        Object chan = channelOf(ch.receiver());
        assertNotNull(chan);
        assertTrue(chan != ch.sender() && chan != ch.receiver(), "the channel both ends share, not one end");

        assertEquals(Mpsc.TrySend.SENT, ch.sender().trySend("fills the only slot"));
        Future<Void> send = ch.sender().send("waits");
        assertWait(pending(send), "mpsc.send", chan);
        assertWait(pending(send), "mpsc.send", chan); // again while queued
        send.drop();

        Future<Mpsc.Permit<String>> reserve = ch.sender().reserve();
        assertWait(pending(reserve), "mpsc.reserve", chan);
        reserve.drop();

        var unbounded = Mpsc.<String>unbounded();
        Future<String> recv = unbounded.receiver().recv();
        Context cx = pending(recv);
        assertEquals("mpsc.recv", cx.waitOp());
        assertTrue(cx.waitResource() != chan, "each channel is its own resource");
        recv.drop();
    }

    @Test
    void oneshot_broadcast_watch() {
        Oneshot<Integer> one = Oneshot.channel();
        assertWait(pending(one.receiver()), "oneshot.recv", one);

        Broadcast<Integer> bc = Broadcast.channel(4);
        Future<Integer> brecv = bc.receiver().recv();
        assertWait(pending(brecv), "broadcast.recv", bc);
        brecv.drop();

        Watch<Integer> w = Watch.channel(0);
        Future<Void> changed = w.receiver().changed();
        assertWait(pending(changed), "watch.changed", w);
        changed.drop();
    }

    @Test
    void semaphore_mutex_rwlock_recordTheLockTheUserHolds() {
        Semaphore sem = new Semaphore(0);
        Future<Semaphore.Permit> acquire = sem.acquire();
        assertWait(pending(acquire), "semaphore.acquire", sem);
        assertWait(pending(acquire), "semaphore.acquire", sem); // queued: the later poll too
        acquire.drop();

        Mutex<String> mutex = new Mutex<>("v");
        Mutex.Guard<String> held = mutex.tryLock();
        Future<Mutex.Guard<String>> lock = mutex.lock();
        assertWait(pending(lock), "mutex.lock", mutex);
        assertWait(pending(lock), "mutex.lock", mutex);
        lock.drop();
        held.close();

        RwLock<String> rw = new RwLock<>("v");
        RwLock.WriteGuard<String> writer = rw.tryWrite();
        Future<RwLock.ReadGuard<String>> read = rw.read();
        assertWait(pending(read), "rwlock.read", rw);
        read.drop();
        writer.close();
        RwLock.ReadGuard<String> reader = rw.tryRead();
        Future<RwLock.WriteGuard<String>> write = rw.write();
        assertWait(pending(write), "rwlock.write", rw);
        write.drop();
        reader.close();
    }

    @Test
    void notify_barrier_onceCell() {
        Notify notify = new Notify();
        Future<Void> notified = notify.notified();
        assertWait(pending(notified), "notify.notified", notify);
        assertWait(pending(notified), "notify.notified", notify);
        notified.drop();

        Barrier barrier = new Barrier(2);
        Future<Barrier.WaitResult> arrive = barrier.await();
        assertWait(pending(arrive), "barrier.wait", barrier);
        assertWait(pending(arrive), "barrier.wait", barrier);
        arrive.drop();

        OnceCell<String> cell = new OnceCell<>();
        Oneshot<String> value = Oneshot.channel();
        Future<String> initialiser = cell.getOrInit(value::receiver);
        // The elected caller runs the initialiser, which records its own wait.
        assertWait(pending(initialiser), "oneshot.recv", value);
        Future<String> other = cell.getOrInit(() -> Future.ready("unused"));
        assertWait(pending(other), "oncecell.init", cell);
        value.sender().send("done");
        Context cx = cx();
        assertEquals("done", initialiser.poll(cx).value());
        assertNoWait(cx);
    }

    @Test
    void aCompletionStage_isAnExternalWait() {
        CompletableFuture<String> stage = new CompletableFuture<>();
        Future<String> f = Future.fromStage(stage);
        assertWait(pending(f), "external.stage", stage);
        stage.complete("x");
        Context cx = cx();
        assertEquals("x", f.poll(cx).value());
        assertNoWait(cx);

        Object what = new Object();
        assertWait(pending(Future.fromStage(new CompletableFuture<>(), "external.test", what)), "external.test", what);
    }

    // ---- ready polls and forced yields record nothing -------------------------------------

    @Test
    void readyPolls_recordNothing() {
        var ch = Mpsc.<String>unbounded();
        ch.sender().send("a");
        Context cx = cx();
        assertEquals("a", ch.receiver().recv().poll(cx).value());
        assertNoWait(cx);

        cx = cx();
        assertTrue(new Semaphore(1).acquire().poll(cx).isReady());
        assertNoWait(cx);

        Oneshot<Integer> one = Oneshot.channel();
        one.sender().send(1);
        cx = cx();
        assertEquals(1, one.receiver().poll(cx).value());
        assertNoWait(cx);

        cx = cx();
        assertTrue(new Mutex<>("v").lock().poll(cx).isReady());
        assertNoWait(cx);
    }

    @Test
    void budgetForcedYields_recordNothing() {
        var ch = Mpsc.<String>unbounded();
        ch.sender().send("a");
        Context cx = spent();
        pending(ch.receiver().recv(), cx);
        assertEquals(1, cx.forcedYields(), "the poll yielded");
        assertNoWait(cx);

        cx = spent();
        pending(new Semaphore(1).acquire(), cx);
        assertNoWait(cx);

        var bounded = Mpsc.<String>bounded(1);
        cx = spent();
        pending(bounded.sender().send("a"), cx);
        assertNoWait(cx);

        Oneshot<Integer> one = Oneshot.channel();
        one.sender().send(1);
        cx = spent();
        pending(one.receiver(), cx);
        assertNoWait(cx);

        Notify notify = new Notify();
        notify.notifyOne();
        cx = spent();
        pending(notify.notified(), cx);
        assertNoWait(cx);

        Broadcast<Integer> bc = Broadcast.channel(2);
        bc.sender().send(1);
        cx = spent();
        pending(bc.receiver().recv(), cx);
        assertNoWait(cx);

        CompletableFuture<String> done = CompletableFuture.completedFuture("x");
        cx = spent();
        // A completed stage does not spend budget: ready even with none left, and no wait.
        assertTrue(Future.fromStage(done).poll(cx).isReady());
        assertNoWait(cx);
    }

    // ---- combinators ------------------------------------------------------------------------

    @Test
    void select_recordsOneWaitPerBranch_theFirstBranchFirst() {
        Notify notify = new Notify();
        Semaphore sem = new Semaphore(0);
        Future<?> select = Futures.selectBiased(notify.notified(), sem.acquire());
        Context cx = pending(select);
        assertEquals(2, cx.waitCount());
        assertEquals("notify.notified", cx.waitOp());
        assertSame(notify, cx.waitResource());
        select.drop();

        var a = Mpsc.<String>unbounded();
        var b = Mpsc.<String>unbounded();
        Object chanA = channelOf(a.receiver());
        Future<?> both = Futures.selectBiased(a.receiver().recv(), b.receiver().recv());
        cx = pending(both);
        assertEquals(2, cx.waitCount());
        assertEquals("mpsc.recv", cx.waitOp());
        assertSame(chanA, cx.waitResource());
        both.drop();

        Future<?> join = Futures.join(sem.acquire(), notify.notified());
        cx = pending(join);
        assertEquals(2, cx.waitCount());
        assertEquals("semaphore.acquire", cx.waitOp());
        join.drop();
    }

    // ---- time -------------------------------------------------------------------------------

    @Test
    void sleep_interval_andTimeout() {
        try (BraidRuntime rt = currentThread()) {
            inside(rt, () -> {
                Sleep sleep = Time.sleep(Duration.ofHours(1));
                assertWait(pending(sleep), "sleep", sleep);
                sleep.drop();

                Sleep due = Time.sleep(Duration.ZERO);
                Context cx = spent();
                pending(due, cx);
                assertNoWait(cx); // due, but the budget is spent: a yield
                cx = cx();
                assertTrue(due.poll(cx).isReady());
                assertNoWait(cx);

                Interval every = Time.interval(Duration.ofHours(1));
                cx = cx();
                assertTrue(every.tick().poll(cx).isReady(), "the first tick is immediate");
                assertNoWait(cx);
                assertWait(pending(every.tick()), "interval.tick", every);
                every.close();

                Oneshot<String> never = Oneshot.channel();
                Future<String> timeout = Time.timeout(Duration.ofHours(1), never.receiver());
                cx = pending(timeout);
                assertEquals(2, cx.waitCount(), "the inner future's wait and the deadline");
                assertEquals("oneshot.recv", cx.waitOp(), "the inner future's wait comes first");
                assertSame(never, cx.waitResource());
                timeout.drop();
                return null;
            });
        }
    }

    // ---- tasks ------------------------------------------------------------------------------

    @Test
    void joinHandle_andJoinSet() {
        try (BraidRuntime rt = currentThread()) {
            Oneshot<Integer> gate = Oneshot.channel();
            JoinHandle<Integer> h = rt.spawn("gated", gate.receiver());
            Context cx = pending(h);
            assertEquals("join", cx.waitOp());
            Task<?> task = assertInstanceOf(Task.class, cx.waitResource());
            assertEquals(h.id(), task.id());
            assertEquals(1, cx.waitCount());
            gate.sender().send(7);
            assertEquals(7, rt.blockOn(h));

            JoinHandle<Integer> finished = rt.spawn(Future.ready(1));
            int value = rt.blockOn(outer -> {
                if (!finished.isFinished()) {
                    return finished.poll(outer); // pending: wakes this when the task is done
                }
                Context c = spent();
                pending(finished, c); // finished, but the budget is spent: a yield
                assertNoWait(c);
                c = cx();
                Poll<Integer> p = finished.poll(c);
                assertNoWait(c);
                return p;
            });
            assertEquals(1, value);

            CountDownLatch release = new CountDownLatch(1);
            JoinHandle<Integer> blocking = rt.spawnBlocking(() -> {
                release.await();
                return 2;
            });
            cx = pending(blocking);
            assertEquals("join", cx.waitOp(), "a blocking task is joined like any other");
            assertEquals(blocking.id(), assertInstanceOf(Task.class, cx.waitResource()).id());
            release.countDown();
            assertEquals(2, rt.blockOn(blocking));

            Oneshot<Integer> gate2 = Oneshot.channel();
            try (JoinSet<Integer> set = new JoinSet<>(rt)) {
                set.spawn(gate2.receiver());
                Future<JoinResult<Integer>> next = set.joinNext();
                assertWait(pending(next), "joinset.next", set);
                next.drop();
            }
        }
    }

    // ---- sockets ----------------------------------------------------------------------------

    @Test
    void tcp_accept_read_write() throws Exception {
        try (BraidRuntime rt = currentThread()) {
            TcpListener listener = inside(rt, () -> TcpListener.bind(LOOPBACK));
            Future<TcpStream> accept = listener.accept();
            Context cx = inside(rt, () -> pending(accept));
            assertWait(cx, "tcp.accept", listener);
            accept.drop();

            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(4096);
                peer.connect(new InetSocketAddress("127.0.0.1", listener.port()));
                TcpStream stream = rt.blockOn(listener.accept());
                assertWait(inside(rt, () -> pending(stream.read(ByteBuffer.allocate(64)))), "tcp.read", stream);

                // The peer reads nothing: writing fills the socket buffers until a write waits.
                Context wcx = inside(rt, () -> {
                    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                    for (int i = 0; i < 1000; i++) {
                        Context c = cx();
                        chunk.clear();
                        if (stream.write(chunk).poll(c).isPending()) {
                            return c;
                        }
                        assertNoWait(c);
                    }
                    throw new AssertionError("writes to a peer that never reads never waited");
                });
                assertWait(wcx, "tcp.write", stream);
                stream.close();
            }
            listener.close();
        }
    }

    @Test
    void udp_recv() {
        try (BraidRuntime rt = currentThread()) {
            UdpSocket socket = inside(rt, () -> UdpSocket.bind(LOOPBACK));
            Future<?> recv = socket.recvFrom(ByteBuffer.allocate(64));
            assertWait(inside(rt, () -> pending(recv)), "udp.recv", socket);
            recv.drop();
            socket.close();
        }
    }

    // ---- processes --------------------------------------------------------------------------

    @Test
    void childExit_isExternal_pipesAreNot() {
        try (BraidRuntime rt = currentThread()) {
            inside(rt, () -> {
                Child cat = Command.of("cat").stdin(Stdio.piped()).stdout(Stdio.piped()).killOnDrop(true).spawn();
                try {
                    Future<?> exit = cat.waitFor();
                    assertWait(pending(exit), "external.process.wait", cat);
                    exit.drop();
                    Future<Integer> read = dev.braid.io.Io.read(cat.stdout(), ByteBuffer.allocate(64));
                    assertWait(pending(read), "pipe.read", cat.stdout());
                } finally {
                    cat.close();
                }

                // sleep never reads its stdin: the second transfer at the latest is still in flight.
                Child sleeper = Command.of("sleep", "60").stdin(Stdio.piped()).killOnDrop(true).spawn();
                try {
                    PipeWriter in = sleeper.stdin();
                    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                    for (int i = 0; ; i++) {
                        assertTrue(i < 100, "writes to a child that never reads never waited");
                        Context c = cx();
                        chunk.clear();
                        if (in.pollWrite(c, chunk).isPending()) {
                            assertWait(c, "pipe.write", in);
                            break;
                        }
                        assertNoWait(c);
                    }
                } finally {
                    sleeper.close();
                }
                return null;
            });
        }
    }
}
