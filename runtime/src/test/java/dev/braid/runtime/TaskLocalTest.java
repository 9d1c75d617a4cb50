package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.future.Futures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TaskLocalTest {
    private static final TaskLocal<String> REQUEST = new TaskLocal<>("REQUEST");

    @Test
    void scope_isSeenAcrossYields_andOnlyByItsOwnTask() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("tl-test").build()) {
            JoinSet<String> set = new JoinSet<>(rt);
            for (int i = 0; i < 50; i++) {
                String id = "r" + i;
                Future<String> body = Braid.yieldNow().andThen(v -> Braid.yieldNow())
                        .map(v -> REQUEST.get() + "=" + id);
                set.spawn(REQUEST.scope(id, body));
            }
            JoinResult<String> r;
            int n = 0;
            while ((r = rt.blockOn(set.joinNext())) != null) {
                String[] parts = r.get().split("=");
                assertEquals(parts[0], parts[1]);
                n++;
            }
            assertEquals(50, n);
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
        assertFalse(REQUEST.isSet());
        assertThrows(NoSuchElementException.class, REQUEST::get);
        assertEquals("none", REQUEST.getOrElse("none"));
    }

    @Test
    void scopesNest_andRestore() {
        String out = REQUEST.sync("outer", () -> REQUEST.get() + "/" + REQUEST.sync("inner", REQUEST::get) + "/" + REQUEST.get());
        assertEquals("outer/inner/outer", out);
        Future<List<String>> both = Futures.join(REQUEST.scope("a", Future.lazy(REQUEST::get)),
                REQUEST.scope("b", Future.lazy(REQUEST::get)));
        try (BraidRuntime rt = BraidRuntime.newCurrentThread()) {
            assertEquals(List.of("a", "b"), rt.blockOn(both));
        }
    }
}
