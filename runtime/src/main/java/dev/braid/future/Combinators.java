package dev.braid.future;

import java.util.function.Function;

/** The single-future combinators behind {@link Future}'s default methods. */
final class Combinators {
    private Combinators() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    static final class Map<T, R> implements Future<R> {
        private final Future<T> inner;
        private final Function<? super T, ? extends R> fn;

        Map(Future<T> inner, Function<? super T, ? extends R> fn) {
            this.inner = inner;
            this.fn = fn;
        }

        @Override
        public Poll<R> poll(Context cx) {
            Poll<T> p = inner.poll(cx);
            return p.isReady() ? Poll.ready(fn.apply(p.value())) : Poll.pending();
        }

        @Override
        public void drop() {
            inner.drop();
        }
    }

    static final class AndThen<T, R> implements Future<R> {
        private Future<T> first;
        private Function<? super T, ? extends Future<R>> fn;
        private Future<R> second;

        AndThen(Future<T> first, Function<? super T, ? extends Future<R>> fn) {
            this.first = first;
            this.fn = fn;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (second == null) {
                Poll<T> p = first.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                second = fn.apply(p.value());
                first = null;
                fn = null;
            }
            return second.poll(cx);
        }

        @Override
        public void drop() {
            if (second != null) {
                second.drop();
            } else if (first != null) {
                first.drop();
            }
        }
    }

    static final class Recover<T> implements Future<T> {
        private final Future<T> inner;
        private final Function<? super Throwable, ? extends T> fn;

        Recover(Future<T> inner, Function<? super Throwable, ? extends T> fn) {
            this.inner = inner;
            this.fn = fn;
        }

        @Override
        public Poll<T> poll(Context cx) {
            try {
                return inner.poll(cx);
            } catch (Throwable t) {
                return Poll.ready(fn.apply(t));
            }
        }

        @Override
        public void drop() {
            inner.drop();
        }
    }
}
