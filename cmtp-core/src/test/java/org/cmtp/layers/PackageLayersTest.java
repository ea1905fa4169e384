package org.cmtp.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages of cmtp-core use each other one way only (ADR 0038): {@code crypto} and
 * {@code wire} at the bottom, then {@code message}, {@code protocol}, {@code client}. A
 * reference the other way (an import or a qualified name in the code) fails here, so that
 * no cycle creeps back in.
 */
class PackageLayersTest {

    /** What each package may use besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "crypto", Set.of(),
            "wire", Set.of(),
            "message", Set.of("crypto", "wire"),
            "protocol", Set.of("crypto", "wire", "message"),
            "client", Set.of("crypto", "wire", "message", "protocol"));

    private static final Path SOURCES = Path.of("src/main/java/org/cmtp");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.cmtp\\.([a-z]+)\\.");

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
        Set<String> violations = new TreeSet<>();
        int files = 0;
        for (String layer : ALLOWED.keySet()) {
            try (Stream<Path> sources = Files.list(SOURCES.resolve(layer))) {
                for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    files++;
                    Matcher used = REFERENCE.matcher(Files.readString(source));
                    while (used.find()) {
                        String other = used.group(1);
                        if (!other.equals(layer) && !ALLOWED.get(layer).contains(other)) {
                            violations.add(source.getFileName() + " (" + layer + ") uses " + other);
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "read the sources of cmtp-core: " + files);
        assertEquals(Set.of(), violations);
    }

    @Test
    void theCorePackagesAreExactlyTheLayersNamedHere() throws IOException {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(ALLOWED.keySet()), packages, "a new package needs its place in the layers");
    }
}
