package dev.braid.polyglot;

import com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What Truffle's annotation processor would generate for one of the bridge's instruments
 * (it is not on the build's path): a subclass carries the instrument's {@code @Registration}
 * and is listed in
 * {@code META-INF/services/com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider}.
 * Public only for Truffle's service loader.
 */
public abstract class BridgeInstrumentProvider extends TruffleInstrumentProvider {
    private final String instrumentClass;
    private final String serviceClass;
    private final Supplier<Object> factory;

    protected BridgeInstrumentProvider(Class<?> instrument, Class<?> service, Supplier<Object> factory) {
        this.instrumentClass = instrument.getName();
        this.serviceClass = service.getName();
        this.factory = factory;
    }

    @Override
    protected final String getInstrumentClassName() {
        return instrumentClass;
    }

    @Override
    protected final Object create() {
        return factory.get();
    }

    @Override
    protected final Collection<String> getServicesClassNames() {
        return List.of(serviceClass);
    }

    @Override
    protected final List<String> getInternalResourceIds() {
        return List.of();
    }

    @Override
    protected final Object createInternalResource(String resourceId) {
        throw new IllegalArgumentException("no internal resource " + resourceId);
    }
}
