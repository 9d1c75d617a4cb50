package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import javax.script.Bindings;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ENGINE_SCOPE of a {@link BraidScriptEngine}: the guest's global scope itself, as its
 * language's polyglot bindings (in JavaScript the global object's properties and top-level
 * {@code let}/{@code const}/{@code class} bindings; in Python the main module's globals and,
 * as GraalPy shows them, the builtins). Every operation is a round trip to the session's
 * strand, so it sees what scripts set, and scripts see what it puts; values are converted as
 * described on {@link BraidScriptEngine}.
 * Views ({@link #keySet()}, {@link #entrySet()}) are snapshots whose removals and
 * {@code setValue} write through. Keys starting with {@code javax.script.} (engine attributes
 * such as {@link javax.script.ScriptEngine#FILENAME}) stay in Java: guests do not see them.
 */
final class GlobalBindings extends AbstractMap<String, Object> implements Bindings {
    /** Keys the JSR-223 API uses for engine attributes ({@code javax.script.filename}...): kept in Java. */
    private static final String ATTRIBUTE_PREFIX = "javax.script.";

    final EngineCore core;
    private final Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();

    GlobalBindings(EngineCore core) {
        this.core = core;
    }

    private static String key(Object key) {
        Objects.requireNonNull(key, "a binding's name must not be null");
        if (!(key instanceof String s)) {
            throw new ClassCastException("a binding's name must be a String, got " + key.getClass().getName());
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a binding's name must not be empty");
        }
        return s;
    }

    private static boolean isAttribute(String k) {
        return k.startsWith(ATTRIBUTE_PREFIX);
    }

    @Override
    public Object put(String name, Object value) {
        String k = key(name);
        if (isAttribute(k)) {
            return value == null ? attributes.remove(k) : attributes.put(k, value);
        }
        return core.onStrand("bindings.put " + k, () -> {
            Value g = core.globals();
            Object prev = g.hasMember(k) ? core.toJava(g.getMember(k)) : null;
            g.putMember(k, core.toGuest(value));
            return prev;
        });
    }

    @Override
    public void putAll(Map<? extends String, ?> toMerge) {
        Map<String, Object> copy = new LinkedHashMap<>();
        toMerge.forEach((k, v) -> {
            if (isAttribute(key(k))) {
                put(k, v);
            } else {
                copy.put(k, v);
            }
        });
        core.onStrand("bindings.putAll", () -> {
            Value g = core.globals();
            copy.forEach((k, v) -> g.putMember(k, core.toGuest(v)));
            return null;
        });
    }

    @Override
    public Object get(Object name) {
        String k = key(name);
        if (isAttribute(k)) {
            return attributes.get(k);
        }
        return core.onStrand("bindings.get " + k, () -> {
            Value g = core.globals();
            return g.hasMember(k) ? core.toJava(g.getMember(k)) : null;
        });
    }

    @Override
    public boolean containsKey(Object name) {
        String k = key(name);
        if (isAttribute(k)) {
            return attributes.containsKey(k);
        }
        return core.onStrand("bindings.containsKey " + k, () -> core.globals().hasMember(k));
    }

    /**
     * Deletes a global. One the language keeps (in JavaScript a binding declared with
     * {@code var}, {@code let}, {@code const}, {@code function} or {@code class}) throws
     * {@link UnsupportedOperationException}.
     */
    @Override
    public Object remove(Object name) {
        String k = key(name);
        if (isAttribute(k)) {
            return attributes.remove(k);
        }
        return core.onStrand("bindings.remove " + k, () -> {
            Value g = core.globals();
            if (!g.hasMember(k)) {
                return null;
            }
            Object prev = core.toJava(g.getMember(k));
            boolean removed;
            try {
                removed = g.removeMember(k);
            } catch (UnsupportedOperationException | PolyglotException e) {
                removed = false; // GraalPy fails on a builtin (its bindings list them, but they are not the module's)
            }
            if (!removed) {
                throw new UnsupportedOperationException("cannot remove the global '" + k + "': " + core.language.globalStays());
            }
            return prev;
        });
    }

    @Override
    public int size() {
        return attributes.size() + core.onStrand("bindings.size", () -> core.globals().getMemberKeys().size());
    }

    @Override
    public Set<String> keySet() {
        Set<String> snapshot = core.onStrand("bindings.keySet", () -> new java.util.LinkedHashSet<>(core.globals().getMemberKeys()));
        snapshot.addAll(attributes.keySet());
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                Iterator<String> it = snapshot.iterator();
                return new Iterator<>() {
                    private String last;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public String next() {
                        last = it.next();
                        return last;
                    }

                    @Override
                    public void remove() {
                        GlobalBindings.this.remove(last);
                        it.remove();
                    }
                };
            }

            @Override
            public int size() {
                return snapshot.size();
            }

            @Override
            public boolean contains(Object o) {
                return snapshot.contains(o);
            }
        };
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> snapshot = core.onStrand("bindings.entrySet", () -> {
            Value g = core.globals();
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : g.getMemberKeys()) {
                m.put(k, core.toJava(g.getMember(k)));
            }
            return m;
        });
        snapshot.putAll(attributes);
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Object>> it = snapshot.entrySet().iterator();
                return new Iterator<>() {
                    private Entry<String, Object> last;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        Entry<String, Object> e = it.next();
                        last = e;
                        return new SimpleEntry<>(e) {
                            @Override
                            public Object setValue(Object value) {
                                GlobalBindings.this.put(getKey(), value);
                                e.setValue(value);
                                return super.setValue(value);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        GlobalBindings.this.remove(last.getKey());
                        it.remove();
                    }
                };
            }

            @Override
            public int size() {
                return snapshot.size();
            }
        };
    }

    @Override
    public String toString() {
        return core.language.engineName() + " globals " + keySet();
    }
}
