package dev.braid.polyglot.js;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider;

import java.util.Collection;
import java.util.List;

/**
 * Registers {@link CancelledAwaits} with Truffle (listed in
 * {@code META-INF/services/com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider}).
 * Written by hand: it is what Truffle's annotation processor would generate from the
 * instrument's {@code @Registration}, which it reads from this class.
 */
@TruffleInstrument.Registration(id = CancelledAwaits.ID, name = "Braid cancelled awaits", version = "1.0",
        services = CancelledAwaits.Control.class)
public final class CancelledAwaitsProvider extends TruffleInstrumentProvider {
    public CancelledAwaitsProvider() {
    }

    @Override
    protected String getInstrumentClassName() {
        return CancelledAwaits.class.getName();
    }

    @Override
    protected Object create() {
        return new CancelledAwaits();
    }

    @Override
    protected Collection<String> getServicesClassNames() {
        return List.of(CancelledAwaits.Control.class.getName());
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
