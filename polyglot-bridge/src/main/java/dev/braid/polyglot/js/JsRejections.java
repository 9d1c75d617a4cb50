package dev.braid.polyglot.js;

import dev.braid.future.Poll;
import dev.braid.polyglot.Guest;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Unhandled promise rejections, reported once each on the host's err stream (see
 * {@link JsReporter}) instead of Graal's own warning.
 *
 * <p>The context runs with {@code js.unhandled-rejections=handler}: at the end of each call
 * into the guest (after its promise jobs ran) Graal hands every promise that was rejected
 * without a handler to the function set with {@code Graal.setUnhandledPromiseRejectionHandler}.
 * The {@code Graal} global is needed only for that, and is deleted right after.
 *
 * <p>A candidate is not reported at once but by a strand task queued when Graal reports it,
 * behind the work the current turn queued: Braid itself may be about to observe the promise
 * (a raw promise given to {@code braid.join} or {@code select} is awaited when the combinator
 * is first polled, in a task that turn queued), and a promise Braid awaits is never
 * reported; its rejection reaches whoever awaits the Braid operation.
 */
final class JsRejections {
    private final Guest guest;
    private final JsReporter reporter;
    private Value observed;
    private Value take;
    /** Report tasks queued (while there are none, there are no candidates). */
    private int queued;

    private JsRejections(Guest guest, JsReporter reporter) {
        this.guest = guest;
        this.reporter = reporter;
    }

    static void install(Guest guest, JsAdapter js, JsReporter reporter) {
        Value bindings = guest.context().getBindings("js");
        Value graal = bindings.getMember("Graal");
        bindings.removeMember("Graal");
        if (graal == null || !graal.hasMember("setUnhandledPromiseRejectionHandler")) {
            return; // the context was built without the Graal builtin: Graal's own mode applies
        }
        JsRejections r = new JsRejections(guest, reporter);
        Value h = guest.context().eval(JsResources.source("rejections.js"))
                .execute(graal, (ProxyExecutable) a -> {
                    r.candidate(a[0].asDouble());
                    return null;
                });
        r.observed = h.getMember("observed");
        r.take = h.getMember("take");
        js.observer = r::observed;
    }

    /** Graal reported a rejection (the {@code ticket}-th): judge it behind the work queued so far. */
    private void candidate(double ticket) {
        queued++;
        guest.spawn("unhandled rejection", cx -> {
            queued--;
            try {
                Value reasons = take.execute(ticket);
                for (long i = 0; i < reasons.getArraySize(); i++) {
                    reporter.report("unhandled promise rejection", reasons.getArrayElement(i));
                }
            } catch (PolyglotException | IllegalStateException e) {
                // the session was cancelled or closed meanwhile: nothing to report to
            }
            return Poll.ready(null);
        });
    }

    /** Braid started awaiting {@code awaitable}: if it was a candidate, it is handled now. */
    private void observed(Value awaitable) {
        if (queued > 0) {
            observed.executeVoid(awaitable);
        }
    }
}
