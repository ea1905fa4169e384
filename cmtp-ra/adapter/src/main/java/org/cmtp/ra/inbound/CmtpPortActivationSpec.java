package org.cmtp.ra.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import org.cmtp.ra.Setting;
import org.cmtp.ra.ListenerAddress;
import org.cmtp.ra.MessageLimits;

/**
 * Where and how the CMTP port accepts connections: one activation of the domain's endpoint
 * (the server's MDB, {@link org.cmtp.ra.api.CmtpRequestListener}) opens one {@link CmtpPort}.
 * The other activation spec, {@link MailSubscriptionActivationSpec}, opens no socket.
 *
 * <p>Every property left unset by the activation config falls back to the server
 * configuration ({@code cmtp.*} system property or {@code CMTP_*} environment
 * variable, see README "Configuration"), then to the default named here. This keeps
 * the MDB annotation free of host names and ports, portably across Payara and WildFly.
 * These keys are read here, through {@link Setting}, and not through the server's
 * {@code CmtpConfiguration}: the adapter runs outside the application and before it, where
 * MicroProfile Config is not available. Keys the application reads as well (address, port,
 * message limits) are read through {@link ListenerAddress} and {@link MessageLimits} on both
 * sides, so that they agree.
 */
public class CmtpPortActivationSpec implements ActivationSpec {

    public static final int DEFAULT_MAX_MESSAGE_SIZE = MessageLimits.DEFAULT_MAX_MESSAGE_SIZE;
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_MESSAGE_TIMEOUT_SECONDS = 600;
    public static final int DEFAULT_MAX_BAD_COMMANDS = 10;
    public static final int DEFAULT_MAX_ATTACHMENTS = MessageLimits.DEFAULT_MAX_ATTACHMENTS;
    public static final int DEFAULT_MAIL_MEMORY_MIB = 128;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 20;
    public static final int DEFAULT_WRITE_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MAIL_STALL_TIMEOUT_SECONDS = 60;

    private ResourceAdapter resourceAdapter;
    private String bindAddress;
    private Integer port;
    private Integer maxMessageSize;
    private Integer maxAttachments;
    private Integer maxConnections;
    private Integer maxConnectionsPerClient;
    private Integer writeTimeoutSeconds;
    private Integer mailStallTimeoutSeconds;
    private Integer mailMemoryMiB;
    private Integer idleTimeoutSeconds;
    private Integer messageTimeoutSeconds;
    private Integer maxBadCommands;
    private Integer proofOfWorkDifficulty;
    private String banner;

    @Override
    public void validate() throws InvalidPropertyException {
        requireRange("port", effectivePort(), 0, 65535);
        requireRange("maxMessageSize", effectiveMaxMessageSize(), 1024, Integer.MAX_VALUE);
        requireRange("maxAttachments", effectiveMaxAttachments(), 0, 100_000);
        requireRange("maxConnections", effectiveMaxConnections(), 1, 100_000);
        requireRange("maxConnectionsPerClient", effectiveMaxConnectionsPerClient(), 0, 100_000);
        requireRange("writeTimeoutSeconds", effectiveWriteTimeoutSeconds(), 1, 86_400);
        requireRange("mailStallTimeoutSeconds", effectiveMailStallTimeoutSeconds(), 1, 86_400);
        requireRange("mailMemoryMiB", effectiveMailMemoryMiB(), 1, 1024L * 1024);
        if (effectiveMailMemoryMiB() * 1024L * 1024 < effectiveMaxMessageSize() + 256L * 1024) {
            throw invalid("mailMemoryMiB", "(" + effectiveMailMemoryMiB() + " MiB) must hold at least one message of"
                    + " the largest size allowed (maxMessageSize " + effectiveMaxMessageSize() + " bytes)");
        }
        requireRange("idleTimeoutSeconds", effectiveIdleTimeoutSeconds(), 1, 86_400);
        requireRange("messageTimeoutSeconds", effectiveMessageTimeoutSeconds(), 1, 86_400);
        requireRange("maxBadCommands", effectiveMaxBadCommands(), 1, 1_000);
        requireRange("proofOfWorkDifficulty", effectiveProofOfWorkDifficulty(), 0, 64);
        String address = effectiveBindAddress();
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw invalid("bindAddress", "'" + address + "' is not an address of this host");
        }
        if (effectiveBanner().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 250
                || effectiveBanner().indexOf('\0') >= 0) {
            throw invalid("banner", "must be under 250 bytes of text without NUL");
        }
    }

    private static void requireRange(String property, long value, long min, long max)
            throws InvalidPropertyException {
        if (value < min || value > max) {
            throw invalid(property, "must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static InvalidPropertyException invalid(String property, String problem) {
        InvalidPropertyException e = new InvalidPropertyException("CMTP activation property " + property + " " + problem);
        return e;
    }

    public String effectiveBindAddress() {
        return bindAddress != null ? bindAddress : ListenerAddress.bind();
    }

    public int effectivePort() {
        return port != null ? port : ListenerAddress.port();
    }

    public int effectiveMaxMessageSize() {
        return maxMessageSize != null ? maxMessageSize : MessageLimits.maxMessageSize();
    }

    public int effectiveMaxAttachments() {
        return maxAttachments != null ? maxAttachments : MessageLimits.maxAttachments();
    }

    public int effectiveMaxConnections() {
        return maxConnections != null ? maxConnections : Setting.integer("cmtp.max-connections", DEFAULT_MAX_CONNECTIONS);
    }

    /** Connections one client (an IPv4 address, an IPv6 /64) may hold open at once; 0 = no limit. */
    public int effectiveMaxConnectionsPerClient() {
        return maxConnectionsPerClient != null ? maxConnectionsPerClient
                : Setting.integer("cmtp.max-connections-per-client", DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
    }

    /** Seconds a connection may stay blocked writing replies its client does not read before it is closed. */
    public int effectiveWriteTimeoutSeconds() {
        return writeTimeoutSeconds != null ? writeTimeoutSeconds
                : Setting.integer("cmtp.write-timeout", DEFAULT_WRITE_TIMEOUT_SECONDS);
    }

    /** Seconds a MAIL may go without a byte arriving before its memory is given back and the connection closed. */
    public int effectiveMailStallTimeoutSeconds() {
        return mailStallTimeoutSeconds != null ? mailStallTimeoutSeconds
                : Setting.integer("cmtp.mail-stall-timeout", DEFAULT_MAIL_STALL_TIMEOUT_SECONDS);
    }

    /** MiB of heap for messages still arriving, over all connections of this listener (see MessageMemory). */
    public int effectiveMailMemoryMiB() {
        return mailMemoryMiB != null ? mailMemoryMiB : Setting.integer("cmtp.mail-memory", DEFAULT_MAIL_MEMORY_MIB);
    }

    public int effectiveIdleTimeoutSeconds() {
        return idleTimeoutSeconds != null ? idleTimeoutSeconds
                : Setting.integer("cmtp.idle-timeout", DEFAULT_IDLE_TIMEOUT_SECONDS);
    }

    public int effectiveMessageTimeoutSeconds() {
        return messageTimeoutSeconds != null ? messageTimeoutSeconds
                : Setting.integer("cmtp.message-timeout", DEFAULT_MESSAGE_TIMEOUT_SECONDS);
    }

    public int effectiveMaxBadCommands() {
        return maxBadCommands != null ? maxBadCommands : Setting.integer("cmtp.max-bad-commands", DEFAULT_MAX_BAD_COMMANDS);
    }

    public int effectiveProofOfWorkDifficulty() {
        return proofOfWorkDifficulty != null ? proofOfWorkDifficulty : Setting.integer("cmtp.pow-difficulty", 0);
    }

    public String effectiveBanner() {
        return banner != null ? banner : Setting.text("cmtp.banner", "Welcome to CMTP version 1");
    }

    // JavaBean properties, set by the container from the activation config.

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = Setting.blankToNull(bindAddress);
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Integer getMaxAttachments() {
        return maxAttachments;
    }

    public void setMaxAttachments(Integer maxAttachments) {
        this.maxAttachments = maxAttachments;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxConnectionsPerClient() {
        return maxConnectionsPerClient;
    }

    public void setMaxConnectionsPerClient(Integer maxConnectionsPerClient) {
        this.maxConnectionsPerClient = maxConnectionsPerClient;
    }

    public Integer getWriteTimeoutSeconds() {
        return writeTimeoutSeconds;
    }

    public void setWriteTimeoutSeconds(Integer writeTimeoutSeconds) {
        this.writeTimeoutSeconds = writeTimeoutSeconds;
    }

    public Integer getMailStallTimeoutSeconds() {
        return mailStallTimeoutSeconds;
    }

    public void setMailStallTimeoutSeconds(Integer mailStallTimeoutSeconds) {
        this.mailStallTimeoutSeconds = mailStallTimeoutSeconds;
    }

    public Integer getMailMemoryMiB() {
        return mailMemoryMiB;
    }

    public void setMailMemoryMiB(Integer mailMemoryMiB) {
        this.mailMemoryMiB = mailMemoryMiB;
    }

    public Integer getIdleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    public Integer getMessageTimeoutSeconds() {
        return messageTimeoutSeconds;
    }

    public void setMessageTimeoutSeconds(Integer messageTimeoutSeconds) {
        this.messageTimeoutSeconds = messageTimeoutSeconds;
    }

    public Integer getMaxBadCommands() {
        return maxBadCommands;
    }

    public void setMaxBadCommands(Integer maxBadCommands) {
        this.maxBadCommands = maxBadCommands;
    }

    public Integer getProofOfWorkDifficulty() {
        return proofOfWorkDifficulty;
    }

    public void setProofOfWorkDifficulty(Integer proofOfWorkDifficulty) {
        this.proofOfWorkDifficulty = proofOfWorkDifficulty;
    }

    public String getBanner() {
        return banner;
    }

    public void setBanner(String banner) {
        this.banner = Setting.blankToNull(banner);
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = Objects.requireNonNull(resourceAdapter);
    }

    @Override
    public String toString() {
        return "CMTP listener " + effectiveBindAddress() + ":" + effectivePort();
    }
}
