package dev.braid.polyglot;

import dev.braid.runtime.UnretrievedFailure;
import dev.braid.runtime.UnretrievedFailure.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A guest task's rejection that no guest code awaits, joins or selects is reported: when
 * its session closes, with the guest stack and position, or earlier when its handle is
 * collected. One the guest took is not.
 */
final class JsUnretrievedFailureTest {
    private static final List<UnretrievedFailure> REPORTS = new CopyOnWriteArrayList<>();

    /** Opened by a test to let the host function {@code failLater} fail. */
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-unretrieved").onUnretrievedFailure(REPORTS::add)
            .host(b -> b.hostFunction("failLater", args -> {
                RELEASE.await();
                throw new IllegalStateException("host failure");
            }));

    /** The reports whose guest message contains {@code marker}: each test's own. */
    private static List<UnretrievedFailure> reports(String marker) {
        return REPORTS.stream().filter(r -> String.valueOf(r.exception().getMessage()).contains(marker)).toList();
    }

    @Test
    void aRejectionNobodyAwaits_isReportedWhenItsSessionCloses_withTheGuestStackAndPosition() throws Exception {
        GuestSession js = fx.host().newSession("js");
        js.evalSync("""
                globalThis.h = braid.spawn(async function worker() {
                  throw new Error('never awaited');
                });
                undefined
                """, "job.js");
        js.evalSync("(async () => { while (!h.isFinished()) await braid.yieldNow(); })()", "wait.js"); // failed, not interrupted by the close
        assertEquals(List.of(), reports("never awaited"), "not while the session could still await it");
        js.close();

        assertEquals(1, js.whenClosed().get(30, TimeUnit.SECONDS));
        List<UnretrievedFailure> mine = reports("never awaited");
        assertEquals(1, mine.size(), REPORTS.toString());
        UnretrievedFailure r = mine.get(0);
        assertEquals(Reason.SESSION_ENDED, r.reason());
        assertEquals("worker", r.taskName());
        GuestError e = assertInstanceOf(GuestError.class, r.exception());
        assertEquals("Error", e.guestName());
        assertEquals("job.js", e.file());
        assertEquals(2, e.line());
        assertEquals(9, e.column());
        assertTrue(e.getMessage().endsWith("never awaited (job.js:2:9)"), e.getMessage());
        StringWriter printed = new StringWriter(); // what the default handler's log shows
        e.printStackTrace(new PrintWriter(printed));
        assertTrue(printed.toString().startsWith(e + System.lineSeparator() + "\tat <js> worker (job.js:2:9)"), printed.toString());
    }

    @Test
    void rejectionsTheGuestAwaitsJoinsOrSelects_areNotReported() throws Exception {
        GuestSession js = fx.host().newSession("js");
        js.evalSync("""
                (async () => {
                  const boom = (what) => async () => { throw new Error('taken: ' + what); };
                  try { await braid.spawn(boom('await')); } catch (e) {}
                  try { await braid.join([braid.spawn(boom('join'))]); } catch (e) {}
                  try { await braid.select(braid.spawn(boom('select')), braid.sleep(60000)); } catch (e) {}
                  const set = new braid.JoinSet();
                  set.spawn(boom('JoinSet'));
                  try { await set.joinNext(); } catch (e) {}
                  globalThis.control = braid.spawn(async () => { throw new Error('left: control'); });
                })()
                """, "taken.js");
        js.close();

        assertEquals(1, js.whenClosed().get(30, TimeUnit.SECONDS));
        assertEquals(List.of(), reports("taken: "));
        assertEquals(1, reports("left: control").size());
    }

    @Test
    void aRejectionWhoseHandleTheGuestDropped_isReportedOnceTheHandleIsCollected() throws Exception {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("(() => { braid.spawn(async () => { throw new Error('dropped handle'); }); })(); undefined", "dropped.js");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reports("dropped handle").isEmpty()) {
                if (System.nanoTime() > deadline) {
                    fail("the dropped handle's failure was not reported after garbage collection");
                }
                System.gc();
                js.evalSync("undefined", "tick.js"); // waits for the strand, so no fixed sleep is needed
            }
            assertEquals(Reason.HANDLE_DROPPED, reports("dropped handle").get(0).reason());
            js.close();
            assertEquals(0, js.whenClosed().get(30, TimeUnit.SECONDS), "already reported");
            assertEquals(1, reports("dropped handle").size());
        }
    }

    @Test
    void aBlockingTaskNobodyAwaits_isReportedWithTheSessionThatSpawnedIt() throws Exception {
        GuestSession js = fx.host().newSession("js");
        js.evalSync("braid.spawnBlocking(failLater); undefined", "blocking.js");
        RELEASE.countDown();
        js.evalSync("(async () => { while (braid.taskDump().some((t) => t.name === 'failLater')) await braid.yieldNow(); })()",
                "wait.js");
        js.close();

        assertEquals(1, js.whenClosed().get(30, TimeUnit.SECONDS));
        List<UnretrievedFailure> mine = reports("host failure");
        assertEquals(1, mine.size(), REPORTS.toString());
        assertEquals("failLater", mine.get(0).taskName());
        assertInstanceOf(IllegalStateException.class, mine.get(0).exception());
    }
}
