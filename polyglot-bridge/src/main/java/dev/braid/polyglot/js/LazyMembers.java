package dev.braid.polyglot.js;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code braid} global: members, some of them made on first use (a {@link Lazy}), so
 * that a context pays at start only for what every script needs. Used on the guest's strand.
 */
final class LazyMembers implements ProxyObject {
    /** A member made when first read. */
    record Lazy(Supplier<Object> make) {
    }

    private final Map<String, Object> members;

    LazyMembers(Map<String, Object> members) {
        this.members = new LinkedHashMap<>(members);
    }

    @Override
    public Object getMember(String key) {
        Object v = members.get(key);
        if (v instanceof Lazy lazy) {
            v = lazy.make().get();
            members.put(key, v);
        }
        return v;
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(new ArrayList<>(members.keySet()));
    }

    @Override
    public boolean hasMember(String key) {
        return members.containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
        members.put(key, value);
    }

    @Override
    public boolean removeMember(String key) {
        return members.remove(key) != null;
    }
}
