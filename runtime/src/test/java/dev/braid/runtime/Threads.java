package dev.braid.runtime;

import java.util.List;
import java.util.stream.Collectors;

/** Test helper: the live threads whose names start with a runtime's prefix. */
final class Threads {
    private Threads() {
    }

    static List<String> alive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix + "-"))
                .sorted()
                .collect(Collectors.toList());
    }
}
