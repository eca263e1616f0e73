package io.github.sysloadexporter.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small sysfs-like tree made in a temporary directory from a text that a fuzzer mutates, one
 * entry a line, fields separated by a tab:
 * <pre>
 *   d PATH           a directory
 *   f PATH CONTENT   a file
 *   l PATH TARGET    a symbolic link to TARGET, as written if relative; "/x" is x under the
 *                    tree's root (what /sys/x is on a host); a target that leaves the tree
 *                    becomes "/", the real root, which the scanners may only read
 * </pre>
 * PATH is relative to the root; parents are made as directories. In names, contents and targets
 * {@code \n}, {@code \t}, {@code \\} and {@code \xHH} stand for a newline, a tab, a backslash and
 * the char U+00HH, so names can hold any char Linux allows (as UTF-8), and a content whose chars
 * are all up to U+00FF is written one byte a char, so it can be any bytes. An entry that cannot be made (its
 * parent is a file or a link, the name is taken, too long or has NUL) is left out: the tree
 * holds whatever the text describes that a file system can hold. Nothing is ever made through a
 * symbolic link, so whatever the links point at, the tree stays in its directory.
 */
final class SysfsTree implements AutoCloseable {
    /** Entries read at most, and longest field, so that a tree costs time linear in the text. */
    static final int MAX_ENTRIES = 64;

    private static final int MAX_FIELD = 512;
    /**
     * Where trees are made: tmpfs if there is one, since making and removing some 50 entries
     * an input on a disk file system (ext4 with discard here) takes 10 times as long.
     */
    private static final Path TMP = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
            ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));

    final Path root;
    private final Path realRoot;
    /** The kind ('d', 'f', 'l') of each path made: the builder looks here, not at the disk. */
    private final Map<Path, Character> kinds = new HashMap<>();
    /** What was made, one line an entry, for failure messages. */
    private final StringBuilder made = new StringBuilder();

    private SysfsTree(Path root) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
    }

    static SysfsTree build(String spec) throws IOException {
        SysfsTree t = new SysfsTree(Files.createTempDirectory(TMP, "sysload-fuzz-sysfs-"));
        try {
            int entries = 0;
            for (String line : spec.split("\n", MAX_ENTRIES + 1)) {
                if (++entries > MAX_ENTRIES) {
                    break;
                }
                t.add(line);
            }
        } catch (IOException | RuntimeException | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void add(String line) throws IOException {
        String[] f = line.split("\t", 3);
        if (f.length < 2 || f[0].length() != 1 || f[1].length() > MAX_FIELD) {
            return;
        }
        String arg = f.length > 2 ? f[2] : "";
        if (arg.length() > MAX_FIELD) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String n : unescape(f[1]).split("/")) {
            if (n.equals(".") || n.equals("..")) {
                return;
            }
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            return;
        }
        try {
            Path parent = parentDirs(names);
            if (parent == null) {
                return;
            }
            Path p = parent.resolve(names.get(names.size() - 1));
            if (kinds.containsKey(p)) {
                return;
            }
            switch (f[0].charAt(0)) {
                case 'd' -> Files.createDirectory(p);
                case 'f' ->
                    Files.write(p, bytes(unescape(arg)), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                case 'l' -> Files.createSymbolicLink(p, target(p, unescape(arg)));
                default -> {
                    return;
                }
            }
            kinds.put(p, f[0].charAt(0));
            made.append(f[0]).append(' ').append(root.relativize(p));
            if (f[0].equals("l")) {
                made.append(" -> ").append(Files.readSymbolicLink(p));
            }
            made.append('\n');
        } catch (InvalidPathException e) {
            // NUL in a name or target
        } catch (IOException e) {
            // name too long and the like: not a tree a file system holds
        }
    }

    /** Makes the parent directories of an entry; null if one of them is a file or a link. */
    private Path parentDirs(List<String> names) throws IOException {
        Path dir = root;
        for (int i = 0; i < names.size() - 1; i++) {
            dir = dir.resolve(names.get(i));
            Character kind = kinds.get(dir);
            if (kind == null) {
                Files.createDirectory(dir);
                kinds.put(dir, 'd');
                made.append("d ").append(root.relativize(dir)).append('\n');
            } else if (kind != 'd') {
                return null;
            }
        }
        return dir;
    }

    private Path target(Path link, String target) {
        if (target.isEmpty()) {
            return Path.of(".");
        }
        Path inTree = target.startsWith("/")
                ? root.resolve(target.substring(1)).normalize()
                : link.getParent().resolve(target).normalize();
        if (!inTree.startsWith(root)) {
            return Path.of("/");
        }
        return target.startsWith("/") ? realRoot.resolve(root.relativize(inTree)) : Path.of(target);
    }

    /** A file's content: one byte per char up to U+00FF (so {@code \xHH} writes byte HH), else UTF-8. */
    private static byte[] bytes(String content) {
        boolean latin1 = content.chars().allMatch(c -> c <= 0xff);
        return content.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'x' -> {
                    int v = i + 2 < s.length() ? hex(s.charAt(i + 1), s.charAt(i + 2)) : -1;
                    if (v < 0) {
                        sb.append("\\x");
                    } else {
                        sb.append((char) v);
                        i += 2;
                    }
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    private static int hex(char a, char b) {
        int hi = Character.digit(a, 16);
        int lo = Character.digit(b, 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    /** The entries made, for a failure message. */
    String describe() {
        return made.length() == 0 ? "(empty tree)\n" : made.toString();
    }

    /** Removes the tree, its links as links: nothing outside it is touched. */
    @Override
    public void close() throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
