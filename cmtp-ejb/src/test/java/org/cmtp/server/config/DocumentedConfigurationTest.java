package org.cmtp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cmtp.ra.Setting;
import org.junit.jupiter.api.Test;

/**
 * README "Configuration" is the one place an operator learns the settings: every
 * {@code cmtp.*} key the code reads is in its table, every key in the table is read
 * somewhere, and each row's environment variable is the one the code maps the key to.
 * (Metric names such as {@code cmtp.queue.depth} and launcher-internal properties have more
 * than one dot and are not settings.)
 */
class DocumentedConfigurationTest {

    /** A setting as written in code: {@code "cmtp.word-word"}, one dot. */
    private static final Pattern KEY_IN_CODE = Pattern.compile("\"(cmtp\\.[a-z0-9]+(?:-[a-z0-9]+)*)\"");
    /** A row of the README's table: {@code | `cmtp.key` | `CMTP_KEY` | …}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(cmtp\\.[a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\|");

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theReadmeTableAndTheCodeNameTheSameSettings() throws IOException {
        Set<String> inCode = keysInCode();
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(Files.readString(REPOSITORY.resolve("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
            assertEquals(Setting.environmentName(row.group(1)), row.group(2), "environment variable of " + row.group(1));
        }
        assertTrue(inCode.size() > 30, "found the keys in code: " + inCode);
        Set<String> undocumented = new TreeSet<>(inCode);
        undocumented.removeAll(documented);
        Set<String> unread = new TreeSet<>(documented);
        unread.removeAll(inCode);
        assertEquals(Set.of(), undocumented, "read in code but missing from README \"Configuration\"");
        assertEquals(Set.of(), unread, "in README \"Configuration\" but read nowhere");
    }

    private static Set<String> keysInCode() throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(REPOSITORY)) {
            for (Path file : (Iterable<Path>) files
                    .filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))::iterator) {
                Matcher m = KEY_IN_CODE.matcher(Files.readString(file));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }
}
