package org.cmtp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Data directories of the servers a test launches, beside the Arquillian server's, under target/. */
public final class TestDirectories {

    private TestDirectories() {
    }

    /** An empty directory {@code name} (what a previous run left there is removed); not created yet. */
    public static Path fresh(String name) throws IOException {
        Path dir = Path.of(System.getProperty("it.data.dir", "target/it-data")).resolveSibling(name);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        return dir;
    }
}
