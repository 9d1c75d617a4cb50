/**
 * Braid's runtime: futures and the poll contract ({@code dev.braid.future}), the runtime,
 * tasks and strands ({@code dev.braid.runtime}), timers ({@code dev.braid.time}) and async
 * primitives ({@code dev.braid.sync}).
 * The scheduler machinery in {@code dev.braid.runtime.internal} is not exported.
 */
module dev.braid.runtime {
    exports dev.braid.future;
    exports dev.braid.io;
    exports dev.braid.net;
    exports dev.braid.runtime;
    exports dev.braid.sync;
    exports dev.braid.time;
}
