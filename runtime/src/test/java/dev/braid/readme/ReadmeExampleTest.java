package dev.braid.readme;

import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java example on README.md's first screen, kept compiling and true. */
class ReadmeExampleTest {
    @Test
    void theReadmeExamplePrintsWhatItSays() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            JoinHandle<Integer> answer = rt.spawn("answer", cx -> Poll.ready(6 * 7));
            JoinHandle<String> greeting = rt.spawn(Time.sleep(Duration.ofMillis(10)).map(v -> "hello"));
            String both = rt.blockOn(Futures.join(answer, greeting, (n, s) -> s + " " + n).timeout(Duration.ofSeconds(1)));
            assertEquals("hello 42", both);
        }
    }
}
