package org.cmtp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cmtp.protocol.DefaultPort;
import org.cmtp.ra.ListenerAddress;
import org.cmtp.ra.Setting;
import org.cmtp.ra.inbound.CmtpPortActivationSpec;
import org.cmtp.ra.outbound.CmtpManagedConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * README "Configuration" is the one place an operator learns the settings, and
 * {@link CmtpConfiguration} the one place the server reads them (with the resource adapter,
 * which runs outside the application, reading the CMTP port's own keys through
 * {@link Setting}). The keys are those actually asked for while the configuration and the
 * adapter's specs are read, not those spelled somewhere in the code: a key read nowhere
 * fails as surely as a key missing from the table.
 */
class DocumentedConfigurationTest {

    /** A row of the README's table: {@code | `cmtp.key` | `CMTP_KEY` | …}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(cmtp\\.[a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\|");

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theReadmeTableAndTheKeysReadAreTheSameSet() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(Files.readString(REPOSITORY.resolve("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
            assertEquals(Setting.environmentName(row.group(1)), row.group(2), "environment variable of " + row.group(1));
        }
        Set<String> read = keysRead();
        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented);
        Set<String> unread = new TreeSet<>(documented);
        unread.removeAll(read);
        assertEquals(Set.of(), undocumented, "read by the server but missing from README \"Configuration\"");
        assertEquals(Set.of(), unread, "in README \"Configuration\" but read by neither CmtpConfiguration nor the adapter");
    }

    /**
     * Every key CmtpConfiguration asks its settings for, and every key the adapter asks
     * {@link Setting} for (seen as the system property lookups it makes first), with every
     * value unset: defaults throughout.
     */
    private static Set<String> keysRead() {
        Set<String> keys = new ConcurrentSkipListSet<>();
        Properties original = System.getProperties();
        Properties recording = new Properties() {
            @Override
            public String getProperty(String key) {
                if (key.startsWith("cmtp.")) {
                    keys.add(key);
                }
                return super.getProperty(key);
            }
        };
        original.forEach((key, value) -> {
            if (!String.valueOf(key).startsWith("cmtp.")) {
                recording.put(key, value);
            }
        });
        System.setProperties(recording);
        try {
            CmtpConfiguration.from(key -> {
                keys.add(key);
                return Optional.empty();
            });
            CmtpPortActivationSpec port = new CmtpPortActivationSpec();
            port.validate();
            port.toString();
            CmtpManagedConnectionFactory outbound = new CmtpManagedConnectionFactory();
            outbound.effectiveHost();
            outbound.effectivePort();
        } catch (Exception e) {
            throw new AssertionError("reading the configuration with nothing set failed", e);
        } finally {
            System.setProperties(original);
        }
        assertTrue(keys.size() > 30, "keys read: " + keys);
        return keys;
    }

    /**
     * No server code reads configuration around {@link CmtpConfiguration}: MicroProfile Config
     * is used there alone, {@link Setting} in the resource adapter alone. Two hand-overs are
     * not settings: the HTTPS certificate's alias, which the launcher passes with the JVM's
     * {@code javax.net.ssl.*} properties, and the admin password the launcher's backup tool
     * takes from its environment.
     */
    @Test
    void configurationIsReadInOnePlace() throws IOException {
        Pattern mpConfig = Pattern.compile("ConfigProvider|@ConfigProperty");
        Pattern setting = Pattern.compile("\\bSetting\\.(value|text|integer|number)\\(");
        Pattern direct = Pattern.compile("System\\.(getProperty\\(\"cmtp\\.|getenv\\(\"CMTP_)");
        List<String> strays = new ArrayList<>();
        for (String module : List.of("cmtp-ejb", "cmtp-web", "cmtp-ra", "server-config")) {
            try (Stream<Path> files = Files.walk(REPOSITORY.resolve(module))) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().contains("/src/main/"))::iterator) {
                    String source = Files.readString(file);
                    String name = file.getFileName().toString();
                    if (mpConfig.matcher(source).find() && !name.equals("CmtpConfiguration.java")) {
                        strays.add(file + ": MicroProfile Config outside CmtpConfiguration");
                    }
                    if (setting.matcher(source).find() && !file.toString().contains("/cmtp-ra/")) {
                        strays.add(file + ": Setting outside the resource adapter");
                    }
                    if (direct.matcher(source).find()
                            && !name.equals("HttpsCertificateLog.java") && !name.equals("BackupCall.java")) {
                        strays.add(file + ": a cmtp.* system property or CMTP_* variable read directly");
                    }
                }
            }
        }
        assertEquals(List.of(), strays);
    }

    /** The launcher repeats three defaults (it uses them before any Java runs); they are the server's. */
    @Test
    void theLauncherHasTheServersDefaults() throws IOException {
        String launcher = Files.readString(REPOSITORY.resolve("cmtp-server"));
        assertEquals(ListenerAddress.WILDCARD, launcherDefault(launcher, "CMTP_BIND"));
        assertEquals(String.valueOf(DefaultPort.CMTP), launcherDefault(launcher, "CMTP_PORT"));
        assertEquals(CmtpConfiguration.DEFAULT_DOMAIN, launcherDefault(launcher, "CMTP_DOMAIN"));
    }

    private static String launcherDefault(String launcher, String variable) {
        Matcher m = Pattern.compile("(?m)^export " + variable + "=\\$\\{" + variable + ":-([^}]*)}$").matcher(launcher);
        assertTrue(m.find(), "cmtp-server sets no default for " + variable);
        return m.group(1);
    }
}
