package org.cmtp.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * WildFly from its distribution, with {@code standalone-full.xml}, set up as the README's
 * "Deploying the EAR on WildFly" tells an operator. Each run gets a fresh copy of the
 * {@code standalone} directory (configuration, data, log) in its work directory, so the
 * unpacked distribution stays untouched. All ports are shifted by the port offset
 * ({@code it.wildfly.port-offset}, {@value #DEFAULT_PORT_OFFSET} unless set).
 */
public final class WildFlyServer extends AppServer {

    /** 8080 → 24580, 9990 → 26490, 3528 (IIOP) → 20028: nothing below 20000. */
    public static final int DEFAULT_PORT_OFFSET = 16500;

    private final Path base;
    private final int portOffset = Integer.getInteger("it.wildfly.port-offset", DEFAULT_PORT_OFFSET);
    private Process server;

    public WildFlyServer(Path home, Path work, int cmtpPort, String domain, String adminPassword) throws IOException {
        super(home, work, cmtpPort, domain, adminPassword);
        base = work.resolve("standalone");
        environment.put("JAVA_OPTS", "-Xms64m -Xmx768m -XX:MaxMetaspaceSize=512m -Djava.net.preferIPv4Stack=true"
                + " -Djava.awt.headless=true");
    }

    @Override
    public void start() throws Exception {
        copyTree(home.resolve("standalone"), base);
        server = launch(home.resolve("bin/standalone.sh").toString(), "-c", "standalone-full.xml",
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + portOffset, "-Djboss.server.base.dir=" + base);
        String outcome = awaitText(serverLog(), BOOT, "WFLYSRV0025", "WFLYSRV0026");
        if (!outcome.equals("WFLYSRV0025")) {
            throw new IllegalStateException("WildFly started with errors\n" + tail(serverLog()));
        }
    }

    /**
     * The README's commands: the data source, the application security domain, and the
     * MicroProfile Health and Micrometer subsystems that serve {@code /health} and the
     * Prometheus {@code /metrics} on the management interface (ADR 0039).
     */
    @Override
    public void configure() throws Exception {
        Path script = work.resolve("configure.cli");
        Files.writeString(script, String.join("\n",
                // WildFly's bundled H2 driver; java:/jdbc/cmtp is what jboss-ejb3.xml maps jdbc/cmtp to
                "data-source add --name=cmtp --jndi-name=java:/jdbc/cmtp --driver-name=h2 --user-name=sa --password=sa"
                        + " --connection-url=\"jdbc:h2:file:" + h2File() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE\"",
                // the admin comes from the application's own identity store, not from Elytron's
                "/subsystem=undertow/application-security-domain=other:write-attribute(name=integrated-jaspi,value=false)",
                "/extension=org.wildfly.extension.microprofile.health-smallrye:add",
                "/subsystem=microprofile-health-smallrye:add(security-enabled=false)",
                "/subsystem=metrics:remove",
                "/extension=org.wildfly.extension.metrics:remove",
                // it held /metrics until now
                "reload",
                "/extension=org.wildfly.extension.micrometer:add",
                "/subsystem=micrometer:add",
                "/subsystem=micrometer/registry=prometheus:add(context=/metrics,security-enabled=false)",
                "reload", ""), StandardCharsets.UTF_8);
        cli("--file=" + script);
    }

    @Override
    public void deploy(Path ear) throws Exception {
        // the runtime name is what jboss-ejb3.xml's adapter binding (cmtp.ear#cmtp-ra.rar) names
        cli("--command=deploy " + ear + " --name=cmtp.ear --runtime-name=cmtp.ear");
    }

    @Override
    public void undeploy() throws Exception {
        cli("--command=undeploy cmtp.ear");
    }

    @Override
    public void stop() throws Exception {
        if (server == null || !server.isAlive()) {
            return;
        }
        try {
            cli("--command=:shutdown");
        } finally {
            if (!server.waitFor(120, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
    }

    @Override
    public URI http() {
        return URI.create("http://127.0.0.1:" + (8080 + portOffset) + "/");
    }

    /** The management interface, where WildFly's subsystems serve {@code /health/*} and {@code /metrics}. */
    @Override
    public URI monitoring() {
        return URI.create("http://127.0.0.1:" + (9990 + portOffset) + "/");
    }

    @Override
    public Path serverLog() {
        return base.resolve("log/server.log");
    }

    private void cli(String argument) throws IOException, InterruptedException {
        run(Duration.ofMinutes(8), home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + (9990 + portOffset), "--timeout=120000", argument);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
