package dev.braid.polyglot.jsr223;

/** Converts a guest function's (already Java) result to the return type of an interface method. */
final class Coerce {
    private Coerce() {
    }

    static Object to(Object value, Class<?> type, String method) {
        if (type == void.class || type == Void.class) {
            return null;
        }
        if (value == null) {
            if (type.isPrimitive()) {
                throw new ClassCastException(method + " returned null or undefined, but must return a " + type.getName());
            }
            return null;
        }
        Class<?> boxed = box(type);
        if (boxed.isInstance(value)) {
            return value;
        }
        if (value instanceof Number n) {
            if (boxed == Integer.class && n.doubleValue() == n.intValue()) {
                return n.intValue();
            }
            if (boxed == Long.class && n.doubleValue() == n.longValue()) {
                return n.longValue();
            }
            if (boxed == Double.class) {
                return n.doubleValue();
            }
            if (boxed == Float.class) {
                return n.floatValue();
            }
            if (boxed == Short.class && n.doubleValue() == n.shortValue()) {
                return n.shortValue();
            }
            if (boxed == Byte.class && n.doubleValue() == n.byteValue()) {
                return n.byteValue();
            }
        }
        if (boxed == Character.class && value instanceof String s && s.length() == 1) {
            return s.charAt(0);
        }
        throw new ClassCastException(method + " returned " + value + " (" + value.getClass().getSimpleName()
                + "), which is not a " + type.getName());
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        if (t == int.class) {
            return Integer.class;
        }
        if (t == long.class) {
            return Long.class;
        }
        if (t == double.class) {
            return Double.class;
        }
        if (t == boolean.class) {
            return Boolean.class;
        }
        if (t == float.class) {
            return Float.class;
        }
        if (t == short.class) {
            return Short.class;
        }
        if (t == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }
}
