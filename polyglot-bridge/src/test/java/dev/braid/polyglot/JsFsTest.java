package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code braid.fs}: every call against a temporary tree, each with its denial, links that
 * leave a granted directory and {@code ..} included.
 */
final class JsFsTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-fs");

    @TempDir
    Path dir;

    /** Runs {@code body} as an async function body; its value, or {@code name: message} of what it threw. */
    private static String run(GuestSession js, String body) {
        return String.valueOf(js.evalSync("(async () => { try { " + body + " } catch (e) { return e.name + ': ' + e.message; } })()",
                "fs-test.js"));
    }

    private String q(Path p) {
        return "'" + p.toString().replace("'", "\\'") + "'";
    }

    @Test
    void bytes_roundTrip_andAppend_textOrBytes() throws IOException {
        Permissions rw = Permissions.builder().allowWrite(dir).build();
        try (GuestSession js = fx.host().newSession("js", rw)) {
            Path f = dir.resolve("data.bin");
            assertEquals("4 0 255 true", run(js, "await braid.fs.writeBytes(" + q(f) + ", new Uint8Array([0, 1, 128, 255]));"
                    + " const b = await braid.fs.readBytes(" + q(f) + "); return [b.length, b[0], b[3], b instanceof Uint8Array].join(' ');"));
            assertArrayEquals(new byte[] {0, 1, (byte) 128, (byte) 255}, Files.readAllBytes(f));
            // A view writes only its own bytes; an ArrayBuffer writes all of it.
            run(js, "const all = new Uint8Array([9, 8, 7, 6]); await braid.fs.writeBytes(" + q(f) + ", all.subarray(1, 3));");
            assertArrayEquals(new byte[] {8, 7}, Files.readAllBytes(f));
            run(js, "await braid.fs.append(" + q(f) + ", 'hé'); await braid.fs.append(" + q(f) + ", new Uint8Array([33]).buffer);");
            assertArrayEquals(new byte[] {8, 7, 'h', (byte) 0xc3, (byte) 0xa9, 33}, Files.readAllBytes(f));
            assertEquals("TypeError: fs.writeBytes(path, data): data must be a Uint8Array or an ArrayBuffer, got number",
                    run(js, "await braid.fs.writeBytes(" + q(f) + ", 42);"));
        }
        try (GuestSession js = fx.host().newSession("js")) {
            String denied = run(js, "await braid.fs.readBytes(" + q(dir.resolve("data.bin")) + ");");
            assertTrue(denied.startsWith("PermissionDenied: read access to " + dir.resolve("data.bin") + " denied"), denied);
            String appendDenied = run(js, "await braid.fs.append(" + q(dir.resolve("data.bin")) + ", 'x');");
            assertTrue(appendDenied.startsWith("PermissionDenied: write access to " + dir.resolve("data.bin") + " denied"), appendDenied);
        }
    }

    @Test
    void directories_stat_mkdir_readDir_copy_rename_remove() throws IOException {
        Permissions rw = Permissions.builder().allowWrite(dir).build();
        try (GuestSession js = fx.host().newSession("js", rw)) {
            Path tree = dir.resolve("tree");
            assertEquals("ok", run(js, """
                    const fs = braid.fs;
                    await fs.mkdir(%1$s + '/a/b', { recursive: true });
                    await fs.writeText(%1$s + '/a/one.txt', 'one');
                    await fs.copy(%1$s + '/a/one.txt', %1$s + '/a/two.txt');
                    await fs.rename(%1$s + '/a/two.txt', %1$s + '/a/b/three.txt');
                    return 'ok';""".formatted(q(tree))));
            assertEquals("one", Files.readString(tree.resolve("a/b/three.txt")));
            assertEquals("one", Files.readString(tree.resolve("a/one.txt")), "a copy leaves its source");
            assertEquals("3 true false false true", run(js, "const s = await braid.fs.stat(" + q(tree.resolve("a/one.txt")) + ");"
                    + " return [s.size, s.isFile, s.isDirectory, s.isSymlink, s.mtime instanceof Date].join(' ');"));
            assertEquals("b:dir one.txt:file", run(js, "const names = []; for await (const e of braid.fs.readDir(" + q(tree.resolve("a"))
                    + ")) names.push(e.name + ':' + (e.isDirectory ? 'dir' : 'file')); return names.sort().join(' ');"));
            String notEmpty = run(js, "await braid.fs.remove(" + q(tree.resolve("a")) + ");");
            assertTrue(notEmpty.contains(tree.resolve("a").toString()) && notEmpty.contains("not empty"), "names the path and why: " + notEmpty);
            String exists = run(js, "await braid.fs.mkdir(" + q(tree.resolve("a")) + ");");
            assertTrue(exists.contains(tree.resolve("a").toString()) && exists.contains("exists"), exists);
            assertEquals("gone", run(js, "await braid.fs.remove(" + q(tree) + ", { recursive: true }); return 'gone';"));
            assertFalse(Files.exists(tree));
        }
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.writeString(ro.resolve("f.txt"), "f");
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowRead(ro).build())) {
            for (String call : List.of("braid.fs.mkdir(" + q(ro.resolve("new")) + ")", "braid.fs.remove(" + q(ro.resolve("f.txt")) + ")",
                    "braid.fs.rename(" + q(ro.resolve("f.txt")) + ", " + q(ro.resolve("g.txt")) + ")",
                    "braid.fs.copy(" + q(ro.resolve("f.txt")) + ", " + q(ro.resolve("g.txt")) + ")")) {
                String denied = run(js, "await " + call + ";");
                assertTrue(denied.startsWith("PermissionDenied: write access to " + ro), call + ": " + denied);
            }
            String listing = run(js, "for await (const e of braid.fs.readDir(" + q(dir) + ")) {} return 'listed';");
            assertTrue(listing.startsWith("PermissionDenied: read access to " + dir + " denied"), listing);
        }
    }

    @Test
    void walk_depthAndPatterns_linksNotFollowed_andADeniedSubtreeNamed() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("src/deep/deeper"));
        Files.writeString(root.resolve("src/a.js"), "a");
        Files.writeString(root.resolve("src/b.txt"), "b");
        Files.writeString(root.resolve("src/deep/c.js"), "c");
        Files.writeString(root.resolve("src/deep/deeper/d.js"), "d");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.js"), "s");
        Files.createSymbolicLink(root.resolve("src/link"), outside);
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowRead(root).build())) {
            String all = run(js, "const out = []; for await (const e of braid.fs.walk(" + q(root) + ")) out.push(e.path.slice("
                    + (root.toString().length()) + ") + (e.isDirectory ? '/' : e.isSymlink ? '@' : '')); return out.sort().join(' ');");
            assertEquals("/ /src/ /src/a.js /src/b.txt /src/deep/ /src/deep/c.js /src/deep/deeper/ /src/deep/deeper/d.js /src/link@", all,
                    "the root first, then everything; a link is listed, not followed");
            String js2 = run(js, "const out = []; for await (const e of braid.fs.walk(" + q(root)
                    + ", { maxDepth: 3, match: [/\\.js$/], includeDirs: false })) out.push(e.name); return out.sort().join(' ');");
            assertEquals("a.js c.js", js2, "depth 3 stops above deeper/, and only .js files");
        }
        Path ro = root.resolve("src");
        try (GuestSession js = fx.host().newSession("js", Permissions.builder().allowRead(root).denyRead(root.resolve("src/deep")).build())) {
            String denied = run(js, "for await (const e of braid.fs.walk(" + q(ro) + ")) {} return 'walked';");
            assertTrue(denied.startsWith("PermissionDenied: read access to " + root.resolve("src/deep")), "the walk stops at the denied directory: " + denied);
        }
        try (GuestSession js = fx.host().newSession("js")) {
            String denied = run(js, "for await (const e of braid.fs.walk(" + q(root) + ")) {} return 'walked';");
            assertTrue(denied.startsWith("PermissionDenied: read access to " + root + " denied"), denied);
        }
    }

    @Test
    void aTempDir_isTheJobsWithoutAGrant_andGoesWithTheSession() throws IOException {
        String made;
        try (GuestSession js = fx.host().newSession("js")) {
            made = run(js, "const d = await braid.fs.makeTempDir({ prefix: 'js-fs-test-' }); await braid.fs.mkdir(d + '/sub');"
                    + " await braid.fs.writeText(d + '/sub/x.txt', 'x'); return (await braid.fs.readText(d + '/sub/x.txt')) + ' ' + d;");
            assertTrue(made.startsWith("x " + Path.of(System.getProperty("java.io.tmpdir")).toRealPath()), made);
            Path temp = Path.of(made.substring(2));
            assertTrue(Files.exists(temp.resolve("sub/x.txt")));
            // Its parent is no grant: a sibling stays out of reach, by name or by climbing.
            String sibling = run(js, "await braid.fs.readText(" + q(temp.resolve("../x")) + ");");
            assertTrue(sibling.startsWith("PermissionDenied: read access to " + temp.getParent().resolve("x")), sibling);
        }
        Path temp = Path.of(made.substring(2));
        // The session's close removes it; closing runs on the strand, so wait for it.
        for (int i = 0; i < 200 && Files.exists(temp); i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        assertFalse(Files.exists(temp), "removed with the session");
    }

    @Test
    void relativePaths_andDotDot_areTheSessionsWorkingDirectorys() throws IOException {
        Path granted = Files.createDirectories(dir.resolve("granted"));
        Files.writeString(dir.resolve("outside.txt"), "outside");
        try (ScriptHost host = ScriptHost.builder(fx.host().runtime()).workingDirectory(granted)
                .permissions(Permissions.builder().allowWrite(granted).build()).build();
             GuestSession js = host.newSession("js")) {
            assertEquals("rel", run(js, "await braid.fs.writeText('rel.txt', 'rel'); return await braid.fs.readText('./rel.txt');"));
            assertEquals("rel", Files.readString(granted.resolve("rel.txt")));
            String climb = run(js, "await braid.fs.readText('../outside.txt');");
            assertTrue(climb.startsWith("PermissionDenied: read access to " + dir.resolve("outside.txt") + " denied"), climb);
        }
    }
}
