package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.io.PrintStream;

/**
 * Reports guest errors that nobody can catch any more (a timer callback that threw, a promise
 * rejection nobody handled) on the host's err stream, one message each, with the guest stack:
 * <pre>
 * [braid js-1] uncaught error in a setTimeout callback: TypeError: boom
 *     at tick (job.js:3:11)
 * </pre>
 * Node would end the process here; a Braid session reports the error and keeps running, so
 * one faulty callback does not take down a REPL or the other tasks of a job.
 */
final class JsReporter {
    private final Guest guest;
    private final JsAdapter js;
    private final PrintStream err;
    private final Value format;

    JsReporter(Guest guest, JsAdapter js, PrintStream err) {
        this.guest = guest;
        this.js = js;
        this.err = err;
        this.format = guest.context().eval(JsResources.source("report.js"));
    }

    /** Reports {@code error}, a guest value (usually an Error), as {@code what}. */
    void report(String what, Value error) {
        String text;
        try {
            text = JsAdapter.withoutBridgeFrames(format.execute(error).asString());
        } catch (PolyglotException e) {
            text = "(the error could not be shown: " + e.getMessage() + ")";
        }
        print(what, text);
    }

    /** Reports what a call into the guest threw. */
    void report(String what, PolyglotException e) {
        if (e.isGuestException() && e.getGuestObject() != null) {
            report(what, e.getGuestObject());
        } else {
            var ge = js.toHostError(null, e);
            String stack = ge.guestStack() == null ? "" : ge.guestStack().stripTrailing();
            print(what, ge.getMessage() + (stack.isEmpty() ? "" : "\n" + stack));
        }
    }

    private void print(String what, String text) {
        guest.noteUncaught();
        err.println("[braid " + guest.name() + "] " + what + ": " + text);
    }
}
