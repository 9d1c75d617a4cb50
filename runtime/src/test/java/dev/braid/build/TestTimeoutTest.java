package dev.braid.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test of this module runs under a default timeout, on a thread of its own, with a
 * thread dump when it expires: a lost wake-up must fail the build, not hang it.
 */
@ExtendWith(TestTimeoutTest.Config.class)
final class TestTimeoutTest {
    @Test
    void everyTest_hasADefaultTimeout_onItsOwnThread_withAThreadDump(ExtensionContext cx) {
        String timeout = cx.getConfigurationParameter("junit.jupiter.execution.timeout.default").orElse(null);
        assertTrue(timeout != null && timeout.matches("\\d+ ?[sm]"), "default timeout: " + timeout);
        assertEquals("SEPARATE_THREAD",
                cx.getConfigurationParameter("junit.jupiter.execution.timeout.thread.mode.default").orElse(null));
        assertEquals("true",
                cx.getConfigurationParameter("junit.jupiter.execution.timeout.threaddump.enabled").orElse(null));
        assertTrue(Thread.currentThread().getName().contains("timeout"),
                "runs on the timeout's own thread, not " + Thread.currentThread().getName());
    }

    static final class Config implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext cx) {
            return p.getParameter().getType() == ExtensionContext.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext cx) {
            return cx;
        }
    }
}
