package dev.braid.polyglot;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;

/** Registers {@link GuestStackInstrument} with Truffle (see {@link BridgeInstrumentProvider}). */
@TruffleInstrument.Registration(id = GuestStackInstrument.ID, name = "Braid guest stacks", version = "1.0",
        services = GuestStackInstrument.Sampler.class)
public final class GuestStackInstrumentProvider extends BridgeInstrumentProvider {
    public GuestStackInstrumentProvider() {
        super(GuestStackInstrument.class, GuestStackInstrument.Sampler.class, GuestStackInstrument::new);
    }
}
