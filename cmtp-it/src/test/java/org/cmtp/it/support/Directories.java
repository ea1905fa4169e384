package org.cmtp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test directories made afresh for each run. */
public final class Directories {

    private Directories() {
    }

    /**
     * Removes {@code dir} and everything in it, if it exists, deepest first. A file that
     * cannot be removed is left (the next run's removal tries again); a test that needs the
     * directory empty finds out when it uses it.
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
