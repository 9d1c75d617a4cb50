package dev.braid.polyglot;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider;

import java.util.Collection;
import java.util.List;

/**
 * Registers {@link GuestStackInstrument} with Truffle (listed in
 * {@code META-INF/services/com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider}).
 * Written by hand: it is what Truffle's annotation processor would generate from the
 * instrument's {@code @Registration}, which it reads from this class.
 */
@TruffleInstrument.Registration(id = GuestStackInstrument.ID, name = "Braid guest stacks", version = "1.0",
        services = GuestStackInstrument.Sampler.class)
public final class GuestStackInstrumentProvider extends TruffleInstrumentProvider {
    public GuestStackInstrumentProvider() {
    }

    @Override
    protected String getInstrumentClassName() {
        return GuestStackInstrument.class.getName();
    }

    @Override
    protected Object create() {
        return new GuestStackInstrument();
    }

    @Override
    protected Collection<String> getServicesClassNames() {
        return List.of(GuestStackInstrument.Sampler.class.getName());
    }

    @Override
    protected List<String> getInternalResourceIds() {
        return List.of();
    }

    @Override
    protected Object createInternalResource(String resourceId) {
        throw new IllegalArgumentException("no internal resource " + resourceId);
    }
}
