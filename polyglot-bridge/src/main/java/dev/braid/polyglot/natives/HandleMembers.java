package dev.braid.polyglot.natives;

import dev.braid.runtime.JoinHandle;
import org.graalvm.polyglot.proxy.ProxyExecutable;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The members of a task handle from {@code braid.spawn}: {@code id}, {@code abort()} and
 * {@code isFinished()}, read from the join handle when the guest asks. One small object per
 * task instead of a hash map, its entries and two closures (a script may spawn 100 000
 * tasks and never read a member); each function is made on its first read, then kept.
 */
public final class HandleMembers extends AbstractMap<String, Object> {
    private static final List<String> KEYS = List.of("id", "abort", "isFinished");

    private final JoinHandle<?> handle;
    private ProxyExecutable abort;
    private ProxyExecutable isFinished;

    public HandleMembers(JoinHandle<?> handle) {
        this.handle = handle;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String k)) {
            return null;
        }
        return switch (k) {
            case "id" -> handle.id();
            case "abort" -> {
                if (abort == null) {
                    abort = x -> {
                        handle.abort();
                        return null;
                    };
                }
                yield abort;
            }
            case "isFinished" -> {
                if (isFinished == null) {
                    isFinished = x -> handle.isFinished();
                }
                yield isFinished;
            }
            default -> null;
        };
    }

    @Override
    public boolean containsKey(Object key) {
        return KEYS.contains(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<String> keys = KEYS.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return keys.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        String k = keys.next();
                        return Map.entry(k, get(k));
                    }
                };
            }

            @Override
            public int size() {
                return KEYS.size();
            }
        };
    }
}
