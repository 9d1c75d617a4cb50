package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.sync.Oneshot;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Correct programs that hand work between two runtimes and a plain thread, with quiet spells
 * longer than the deadlock detection delay: every round completes, and no blockOn ever fails
 * (deadlock detection reports at most; only a closed world fails a wait).
 */
final class DeadlockStressTest {

    @Test
    void workHandedBetweenRuntimesAndPlainThreads_neverFailsABlockOn() throws Exception {
        long seed = Stress.seed();
        System.out.println("deadlockStress seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        BlockingQueue<Runnable> plainJobs = new LinkedBlockingQueue<>();
        Thread plain = new Thread(() -> {
            try {
                for (;;) {
                    plainJobs.take().run();
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "deadlock-stress-plain");
        plain.setDaemon(true);
        plain.start();
        try (BraidRuntime a = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-stress-a")
                .deadlockDetection(Duration.ofMillis(2)).build();
             BraidRuntime b = BraidRuntime.builder().workerThreads(1).threadNamePrefix("dl-stress-b")
                .deadlockDetection(Duration.ofMillis(2)).build()) {
            int rounds = Stress.rounds(1_000);
            for (int round = 0; round < rounds; round++) {
                long bDelayMicros = rnd.nextInt(4) == 0 ? 3_000 + rnd.nextInt(3_000) : rnd.nextInt(500);
                long plainDelayNanos = rnd.nextInt(4) == 0 ? 3_000_000 + rnd.nextInt(3_000_000) : rnd.nextInt(500_000);
                boolean viaTask = rnd.nextBoolean();
                int value = round;
                Oneshot<Integer> toB = Oneshot.channel();
                Oneshot<Integer> backToA = Oneshot.channel();
                // B: receives from A, waits a while on its own timers, hands on to the plain thread.
                b.spawn("b-hop", toB.receiver().andThen(v -> Time.sleep(Duration.ofNanos(bDelayMicros * 1_000)).map(x -> {
                    plainJobs.add(() -> {
                        LockSupport.parkNanos(plainDelayNanos); // the plain thread's own work
                        backToA.sender().send(v + 1);
                    });
                    return null;
                })));
                // A: sends to B, then waits for the plain thread's answer, in a task or in blockOn itself.
                int got;
                if (viaTask) {
                    got = a.blockOn(a.spawn("a-hop", Future.lazy(() -> toB.sender().send(value))
                            .andThen(sent -> backToA.receiver())));
                } else {
                    a.blockOn(a.spawn(Future.lazy(() -> toB.sender().send(value))));
                    got = a.blockOn(backToA.receiver());
                }
                assertEquals(value + 1, got, "round " + round);
            }
            System.out.printf("deadlockStress: %d rounds, suspected deadlocks reported: A %d, B %d%n",
                    rounds, a.metrics().suspectedDeadlocks(), b.metrics().suspectedDeadlocks());
        } finally {
            plain.interrupt();
        }
    }

    /**
     * A closed world, where a deadlock verdict fails the wait: work that waits on timers, the
     * blocking pool and blockInPlace, in quiet spells longer than the detection delay, is
     * never taken for a deadlock.
     */
    @Test
    void closedWorld_timersAndBlockingWork_neverTakenForADeadlock() {
        long seed = Stress.seed();
        System.out.println("closedWorldStress seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-closed")
                .deadlockDetection(Duration.ofMillis(2)).closedWorld().build()) {
            int rounds = Stress.rounds(300);
            for (int round = 0; round < rounds; round++) {
                int value = round;
                long waitMicros = 3_000 + rnd.nextInt(3_000); // longer than the detection delay
                Oneshot<Integer> handOff = Oneshot.channel();
                Future<Integer> work = switch (rnd.nextInt(3)) {
                    case 0 -> Time.sleep(Duration.ofNanos(waitMicros * 1_000)).map(v -> value);
                    case 1 -> rt.spawnBlocking(() -> {
                        LockSupport.parkNanos(waitMicros * 1_000);
                        return value;
                    });
                    default -> Future.lazy(() -> {
                        try {
                            return Braid.blockInPlace(() -> {
                                LockSupport.parkNanos(waitMicros * 1_000);
                                return value;
                            });
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                };
                rt.spawn("producer", work.map(v -> handOff.sender().send(v)));
                assertEquals(value, rt.blockOn(rt.spawn("consumer", handOff.receiver())), "round " + round);
            }
            assertEquals(0, rt.metrics().suspectedDeadlocks(), "nothing was ever quiet while work was in progress");
        }
    }
}
