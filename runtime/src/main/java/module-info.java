/**
 * Braid's runtime: futures and the poll contract ({@code dev.braid.future}), the runtime,
 * tasks and strands ({@code dev.braid.runtime}), timers ({@code dev.braid.time}), async
 * primitives ({@code dev.braid.sync}), byte streams ({@code dev.braid.io}), sockets
 * ({@code dev.braid.net}), child processes ({@code dev.braid.process}) and file operations
 * ({@code dev.braid.fs}).
 * The scheduler machinery in {@code dev.braid.runtime.internal} is not exported.
 */
module dev.braid.runtime {
    requires jdk.jfr;

    exports dev.braid.fs;
    exports dev.braid.future;
    exports dev.braid.io;
    exports dev.braid.net;
    exports dev.braid.process;
    exports dev.braid.runtime;
    exports dev.braid.sync;
    exports dev.braid.time;
}
