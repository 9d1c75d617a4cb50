package dev.braid.polyglot.natives;

import dev.braid.sync.Mutex;
import dev.braid.sync.Semaphore;
import org.graalvm.polyglot.Value;

import java.util.Map;

/**
 * The natives behind {@code new braid.Semaphore(n)} and {@code new braid.Mutex(value)}. Both
 * are the runtime's fair (FIFO) primitives; {@code withPermit} / {@code withLock} hold the
 * permit or lock while the guest function runs and release it when its promise settles, or
 * when the call is cancelled (a losing {@code select} branch, an aborted task).
 */
final class Locks {
    private Locks() {
    }

    /** A mutex guard as the guest sees it: it knows whether it still holds the lock. */
    static final class Guard {
        private final Mutex.Guard<Value> guard;
        boolean held = true;

        Guard(Mutex.Guard<Value> guard) {
            this.guard = guard;
        }

        void unlock() {
            if (held) {
                held = false;
                guard.close();
            }
        }
    }

    static void natives(Natives s, Map<String, Object> n) {
        s.put(n, "semNew", a -> new Semaphore(a[0].asInt()));
        s.put(n, "semAcquire", a -> {
            Semaphore sem = Natives.handle(a[0], Semaphore.class);
            int k = a[1].asInt();
            return s.awaitable(() -> sem.acquire(k).map(s::newPermit));
        });
        s.put(n, "semWithPermit", a -> {
            Semaphore sem = Natives.handle(a[0], Semaphore.class);
            Value fn = a[1];
            Object[] args = Natives.elements(a[2]);
            return s.awaitable(() -> new Holding<Semaphore.Permit, Object>(sem.acquire(),
                    p -> s.guest.call(fn, args), Semaphore.Permit::close));
        });
        s.put(n, "semAvailable", a -> Natives.handle(a[0], Semaphore.class).availablePermits());
        s.put(n, "permitRelease", a -> {
            Natives.handle(a[0], Semaphore.Permit.class).close();
            return null;
        });
        s.put(n, "permitCount", a -> Natives.handle(a[0], Semaphore.Permit.class).permits());

        s.put(n, "mxNew", a -> new Mutex<>(a[0]));
        s.put(n, "mxLock", a -> {
            Mutex<Value> m = mutex(a[0]);
            return s.awaitable(() -> m.lock().map(g -> s.newGuard(new Guard(g))));
        });
        s.put(n, "mxWithLock", a -> {
            Mutex<Value> m = mutex(a[0]);
            Value fn = a[1];
            Object[] rest = Natives.elements(a[2]);
            return s.awaitable(() -> new Holding<Guard, Object>(m.lock().map(Guard::new), g -> {
                Object[] args = new Object[rest.length + 1];
                args[0] = s.newGuard(g);
                System.arraycopy(rest, 0, args, 1, rest.length);
                return s.guest.call(fn, args);
            }, Guard::unlock));
        });
        s.put(n, "mxLocked", a -> mutex(a[0]).isLocked());
        s.put(n, "guardHeld", a -> Natives.handle(a[0], Guard.class).held);
        s.put(n, "guardGet", a -> Natives.handle(a[0], Guard.class).guard.get());
        s.put(n, "guardSet", a -> {
            Natives.handle(a[0], Guard.class).guard.set(a[1]);
            return null;
        });
        s.put(n, "guardUnlock", a -> {
            Natives.handle(a[0], Guard.class).unlock();
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private static Mutex<Value> mutex(Value h) {
        return Natives.handle(h, Mutex.class);
    }
}
