package org.cmtp.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;

/**
 * The libsodium-made known-answer files of {@code shared/vectors/} (see its README),
 * read at test time so that every module tests against the one copy.
 *
 * <p>The directory is {@code <cmtp.shared.dir>/vectors}; Surefire sets that property
 * from the root pom. Run outside Maven (an IDE), it defaults to {@code ../../shared}
 * relative to the working directory, which is the module directory
 * ({@code cmtp-core}) of a checkout that has {@code shared/} beside it.
 */
public final class Vectors {

    public static final String SHARED_DIR_PROPERTY = "cmtp.shared.dir";
    private static final String DEFAULT_SHARED_DIR = "../../shared";

    private Vectors() {
    }

    /** The vectors directory; fails with a message that says where it was looked for. */
    public static Path directory() {
        String configured = System.getProperty(SHARED_DIR_PROPERTY);
        Path shared = Paths.get(configured != null ? configured : DEFAULT_SHARED_DIR);
        Path vectors = shared.resolve("vectors").toAbsolutePath().normalize();
        if (!Files.isDirectory(vectors)) {
            throw new IllegalStateException("test vectors directory not found: " + vectors
                    + (configured != null
                            ? " (from system property " + SHARED_DIR_PROPERTY + "=" + configured + ")"
                            : " (system property " + SHARED_DIR_PROPERTY + " unset, default "
                                    + DEFAULT_SHARED_DIR + " from " + Paths.get("").toAbsolutePath() + ")")
                    + "; shared/ must sit beside the checkout");
        }
        return vectors;
    }

    /** The path of one vector file, which must exist. */
    public static Path path(String name) {
        Path file = directory().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("test vector file missing: " + file);
        }
        return file;
    }

    /** The raw bytes of a {@code .bin} or {@code .txt} file. */
    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test vector " + name, e);
        }
    }

    /** A {@code .txt} file as UTF-8 text, exactly as stored. */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** The bytes of a {@code .hex} file: one line of lowercase hex (a newline allowed). */
    public static byte[] hex(String name) {
        String content = text(name).strip();
        try {
            return HexFormat.of().parseHex(content);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("test vector " + name + " is not one line of hex", e);
        }
    }
}
