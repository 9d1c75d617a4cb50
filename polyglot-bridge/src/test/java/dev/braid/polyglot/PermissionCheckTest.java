package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grants, wildcards, denials that win over grants, and the hint a denial gives. */
final class PermissionCheckTest {
    private static final String PATH = System.getenv("PATH");
    private static final Path CWD = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aDenialWinsOverAGrant_forEveryKind() {
        Permissions p = Permissions.builder()
                .allowRead(dir).denyRead(dir.resolve("secret"))
                .allowWrite(dir).denyWrite(dir.resolve("keep"))
                .allowNet("*:*").denyNet("evil.example:*")
                .allowRun("*").denyRun("rm")
                .allowEnv("*").denyEnv("TOKEN")
                .build();
        assertDoesNotThrow(() -> PermissionCheck.read(p, dir.resolve("a.txt")));
        assertEquals("read", assertThrows(PermissionDenied.class, () -> PermissionCheck.read(p, dir.resolve("secret/x"))).kind());
        assertDoesNotThrow(() -> PermissionCheck.write(p, dir.resolve("b.txt")));
        assertThrows(PermissionDenied.class, () -> PermissionCheck.write(p, dir.resolve("keep/x")));
        assertDoesNotThrow(() -> PermissionCheck.connect(p, "example.org", 443));
        PermissionDenied net = assertThrows(PermissionDenied.class, () -> PermissionCheck.connect(p, "EVIL.example", 80));
        assertTrue(net.getMessage().contains("connecting to it is denied"), net.getMessage());
        assertDoesNotThrow(() -> PermissionCheck.run(p, "git", PATH, CWD));
        assertThrows(PermissionDenied.class, () -> PermissionCheck.run(p, "rm", PATH, CWD));
        assertDoesNotThrow(() -> PermissionCheck.env(p, "HOME"));
        assertThrows(PermissionDenied.class, () -> PermissionCheck.env(p, "TOKEN"));
    }

    @Test
    void aDenialSaysHowToGrant_theWayTheHintSpeaks() {
        Permissions builder = Permissions.none();
        PermissionDenied d = assertThrows(PermissionDenied.class, () -> PermissionCheck.env(builder, "HOME"));
        assertTrue(d.getMessage().endsWith("(grant it with Permissions.builder().allowEnv(\"HOME\"))"), d.getMessage());
        Permissions flags = Permissions.builder().hint((kind, target) -> "--allow-" + kind + "=" + target).build();
        PermissionDenied f = assertThrows(PermissionDenied.class, () -> PermissionCheck.connect(flags, "127.0.0.1", 8080));
        assertTrue(f.getMessage().endsWith("(grant it with --allow-net=127.0.0.1:8080)"), f.getMessage());
    }
    @Test
    void aRunGrantWrittenAsAnAbsolutePath_pinsTheProgramTheNameResolvesTo(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path sh = PermissionCheck.program("sh", PATH, CWD);
        org.junit.jupiter.api.Assumptions.assumeTrue(sh != null, "no sh on the PATH");
        Permissions pinned = Permissions.builder().allowRun(sh.toString()).build();
        assertEquals(sh, PermissionCheck.run(pinned, "sh", PATH, CWD), "the name resolves on the PATH to the pinned program");
        assertEquals(sh, PermissionCheck.run(pinned, sh.toString(), PATH, CWD));
        java.nio.file.Files.copy(sh, dir.resolve("sh"));
        PermissionDenied other = assertThrows(PermissionDenied.class, () -> PermissionCheck.run(pinned, dir.resolve("sh").toString(), PATH, CWD));
        assertTrue(other.getMessage().contains("not among the granted commands"), other.getMessage());
        assertThrows(PermissionDenied.class, () -> PermissionCheck.run(pinned, "ls", PATH, CWD));
        Permissions byName = Permissions.builder().allowRun("sh").build();
        assertThrows(PermissionDenied.class, () -> PermissionCheck.run(byName, dir.resolve("sh").toString(), PATH, CWD),
                "a name grant allows the name, not another program of that name");
        Permissions pinDenied = Permissions.builder().allowRun("*").denyRun(sh.toString()).build();
        assertThrows(PermissionDenied.class, () -> PermissionCheck.run(pinDenied, "sh", PATH, CWD), "a pinned deny catches the bare name too");
        // The session's own PATH and working directory decide, not this process's.
        Path empty = Files.createDirectories(dir.resolve("nothing-here"));
        assertEquals(null, PermissionCheck.program("sh", empty.toString(), CWD), "not on that PATH");
        assertEquals(dir.resolve("tool"), PermissionCheck.program("./tool", PATH, dir));
    }

    @Test
    void aPromptIsAskedBeforeARefusal_butNeverAboutADeny() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        Permissions p = Permissions.builder().denyEnv("TOKEN").prompt((kind, target) -> {
            asked.add(kind + " " + target);
            return target.equals("HOME");
        }).build();
        assertDoesNotThrow(() -> PermissionCheck.env(p, "HOME"));
        assertThrows(PermissionDenied.class, () -> PermissionCheck.env(p, "USER"));
        assertThrows(PermissionDenied.class, () -> PermissionCheck.env(p, "TOKEN"));
        assertEquals(java.util.List.of("env HOME", "env USER"), asked);
    }

    @Test
    void aLookUpNeedsAGrantNamingTheHost_onAnyPort_andNoDenialOfEveryPort() {
        Permissions p = Permissions.builder().allowNet("example.org:443").allowNet("[::1]:8080").build();
        assertDoesNotThrow(() -> PermissionCheck.resolve(p, "example.org"));
        assertDoesNotThrow(() -> PermissionCheck.resolve(p, "EXAMPLE.org"));
        assertDoesNotThrow(() -> PermissionCheck.resolve(p, "::1"));
        assertTrue(assertThrows(PermissionDenied.class, () -> PermissionCheck.resolve(p, "example.com")).getMessage()
                .contains("not among the granted hosts"));
        Permissions denied = Permissions.builder().allowNet("*:*").denyNet("evil.example:*").denyNet("partly.example:22").build();
        assertThrows(PermissionDenied.class, () -> PermissionCheck.resolve(denied, "evil.example"));
        assertDoesNotThrow(() -> PermissionCheck.resolve(denied, "partly.example")); // only one port is denied
    }
}
