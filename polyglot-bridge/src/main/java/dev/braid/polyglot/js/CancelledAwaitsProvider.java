package dev.braid.polyglot.js;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import dev.braid.polyglot.BridgeInstrumentProvider;

/** Registers {@link CancelledAwaits} with Truffle (see {@link BridgeInstrumentProvider}). */
@TruffleInstrument.Registration(id = CancelledAwaits.ID, name = "Braid cancelled awaits", version = "1.0",
        services = CancelledAwaits.Control.class)
public final class CancelledAwaitsProvider extends BridgeInstrumentProvider {
    public CancelledAwaitsProvider() {
        super(CancelledAwaits.class, CancelledAwaits.Control.class, CancelledAwaits::new);
    }
}
