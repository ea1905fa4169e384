package org.cmtp.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Payara Server from its distribution, with a domain of its own made for each run in the
 * work directory ({@code --portbase}: {@code it.payara.portbase}, {@value #DEFAULT_PORT_BASE}
 * unless set, giving HTTP 22080, admin 22048), set up as the README's "Deploying the EAR on
 * Payara Server" tells an operator.
 */
public final class PayaraServer extends AppServer {

    public static final int DEFAULT_PORT_BASE = 22000;
    private static final int PORT_BASE = Integer.getInteger("it.payara.portbase", DEFAULT_PORT_BASE);
    private static final String DOMAIN = "cmtp";

    private final Path domains;
    private boolean running;

    public PayaraServer(Path home, Path work, int cmtpPort, String domain, String adminPassword) throws IOException {
        super(home, work, cmtpPort, domain, adminPassword);
        domains = work.resolve("domains");
    }

    @Override
    public void start() throws Exception {
        asadmin(false, "--user", "admin", "create-domain", "--nopassword=true", "--domaindir", domains.toString(),
                "--portbase", Integer.toString(PORT_BASE), DOMAIN);
        // before, not after: a start that fails half-way may still leave the domain's JVM running
        running = true;
        // the domain's JVM inherits this process's environment: the CMTP_* settings
        asadmin(false, "start-domain", "--domaindir", domains.toString(), DOMAIN);
    }

    @Override
    public void configure() throws Exception {
        asadmin(true, "create-jdbc-connection-pool", "--datasourceclassname", "org.h2.jdbcx.JdbcDataSource",
                "--restype", "javax.sql.DataSource", "cmtp-pool");
        // set, not --property: asadmin's property syntax cannot carry the URL's '=' and ';'
        asadmin(true, "set", "resources.jdbc-connection-pool.cmtp-pool.property.url=jdbc:h2:file:" + h2File()
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        asadmin(true, "create-jdbc-resource", "--connectionpoolid", "cmtp-pool", "jdbc/cmtp");
    }

    @Override
    public void deploy(Path ear) throws Exception {
        // the application's name must be cmtp: the EAR's descriptors resolve the adapter as cmtp#cmtp-ra
        asadmin(true, "deploy", "--name", "cmtp", ear.toString());
    }

    @Override
    public void undeploy() throws Exception {
        asadmin(true, "undeploy", "cmtp");
    }

    @Override
    public void stop() throws Exception {
        if (running) {
            running = false;
            asadmin(false, "stop-domain", "--domaindir", domains.toString(), DOMAIN);
        }
    }

    @Override
    public URI http() {
        return URI.create("http://127.0.0.1:" + (PORT_BASE + 80) + "/");
    }

    /** Payara serves health and metrics on the HTTP port, as Payara Micro does. */
    @Override
    public URI monitoring() {
        return http();
    }

    @Override
    public Path serverLog() {
        return domains.resolve(DOMAIN).resolve("logs/server.log");
    }

    private void asadmin(boolean remote, String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + (remote ? 3 : 1)];
        command[0] = home.resolve("bin/asadmin").toString();
        int next = 1;
        if (remote) {
            command[next++] = "--port";
            command[next++] = Integer.toString(PORT_BASE + 48);
        }
        System.arraycopy(arguments, 0, command, next, arguments.length);
        run(Duration.ofMinutes(8), command);
    }
}
