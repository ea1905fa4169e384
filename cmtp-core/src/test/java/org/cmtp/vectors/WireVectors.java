package org.cmtp.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Loads the shared wire vectors ({@code shared/vectors/}, described in its README) for
 * the codec tests. The directory comes from the system property {@code cmtp.shared.dir},
 * which surefire sets from the root pom; run from an IDE without it, the default is
 * {@code ../../../shared} relative to the module directory, the layout of a checkout
 * beside {@code shared/}. A missing vector fails the test with a message that says where
 * it was looked for: silently skipping would let a broken checkout pass.
 */
public final class WireVectors {

    private WireVectors() {
    }

    /** @return the vectors directory, or throws if it does not exist */
    public static Path directory() {
        String shared = System.getProperty("cmtp.shared.dir", "../../../shared");
        Path directory = Path.of(shared, "vectors").toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("CMTP test vectors not found at " + directory
                    + "; set -Dcmtp.shared.dir to the directory holding PROTOCOL.md and vectors/");
        }
        return directory;
    }

    /** @return the raw bytes of a {@code .bin} or {@code .txt} vector */
    public static byte[] bytes(String name) {
        Path file = directory().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("CMTP test vector missing: " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CMTP test vector " + file, e);
        }
    }

    /** @return the bytes a {@code .hex} vector spells (one line of hex) */
    public static byte[] hex(String name) {
        return HexFormat.of().parseHex(new String(bytes(name), StandardCharsets.US_ASCII).strip());
    }

    /** @return a {@code .txt} vector as UTF-8 text */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
