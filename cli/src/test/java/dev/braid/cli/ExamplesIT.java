package dev.braid.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every script in {@code js-examples/} runs with the command its header gives, through the
 * launcher, and prints what its {@code .out} file says (see {@code js-examples/README.md}).
 */
final class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "js-examples").toAbsolutePath().normalize();
    private static final String HEADER = "// Run it with:  ./braid ";

    @TestFactory
    Stream<DynamicTest> examples() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
        }
        assertTrue(scripts.size() >= 4, "the examples are missing: " + scripts);
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> run(script)));
    }

    private static void run(Path script) throws Exception {
        String command = Files.readAllLines(script).stream().filter(l -> l.startsWith(HEADER)).findFirst()
                .orElseThrow(() -> new AssertionError(script + " has no '" + HEADER.strip() + " …' line in its header"))
                .substring(HEADER.length()).strip();
        List<String> args = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        Path expected = script.resolveSibling(script.getFileName().toString().replaceFirst("\\.js$", ".out"));
        LauncherIT.Result r = LauncherIT.braid(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        Path err = script.resolveSibling(script.getFileName().toString().replaceFirst("\\.js$", ".err"));
        if (Files.exists(err)) {
            for (String line : Files.readAllLines(err)) { // each line of NAME.err appears on standard error
                assertTrue(r.err().contains(line), "standard error lacks '" + line + "': " + r);
            }
            assertFalse(r.err().contains("\tat com.oracle.truffle"), "Java frames only with --verbose: " + r);
            assertFalse(r.err().contains("spawned future dev.braid"), "the spawn site names Java code: " + r);
        } else {
            assertEquals("", r.err(), r.toString());
        }
        assertEquals(normalized(Files.readString(expected)), normalized(r.out()), "the output of " + command);
    }

    /** Timings vary: every number of milliseconds is compared as {@code N ms}. */
    static String normalized(String text) {
        return text.replaceAll("\\b\\d+(\\.\\d+)? ms\\b", "N ms");
    }
}
