package org.cmtp.mail;

import jakarta.mail.MessagingException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.CmtpClientException;
import org.cmtp.client.MailSendException;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.wire.ProtocolLimits;

/**
 * A CMTP connection of the transport's own to {@code mail.cmtp.host:port}, open from
 * {@code connect} to {@code close}. The server's key must be the pinned one
 * ({@code mail.cmtp.serverkey}) or, without a pin, the one it presented first
 * ({@link KnownServers}); key requests then use {@code KEYBIND} whenever the server is
 * pinned or has advertised it, exactly as the adapter's connection factory does.
 */
final class DirectRoute implements Route {

    private final CmtpSettings settings;
    private CmtpClient client;
    private byte[] serverKey;

    private DirectRoute(CmtpSettings settings) {
        this.settings = settings;
    }

    static DirectRoute connect(CmtpSettings settings) throws MessagingException {
        DirectRoute route = new DirectRoute(settings);
        route.open();
        return route;
    }

    @Override
    public List<Receipt> send(OutgoingMail mail, boolean plaintextWithoutKey) throws MailSendException, MessagingException {
        if (!usable()) {
            close();
            open();
        }
        MailSender sender = new MailSender(client, serverKey, Clock.systemUTC());
        return sender.send(mail, sender.keys(mail), plaintextWithoutKey);
    }

    /**
     * False for a connection that broke or that the server closed while it sat idle
     * (servers close idle sessions), so that a message is never begun on a dead one.
     */
    private boolean usable() {
        if (client == null || client.isBroken()) {
            return false;
        }
        try {
            client.noop();
            return true;
        } catch (CmtpClientException e) {
            return false;
        }
    }

    private void open() throws MessagingException {
        String server = settings.host() + ":" + settings.port();
        CmtpClient opened;
        try {
            Socket socket = new Socket();
            if (settings.localAddress() != null) {
                bind(socket, settings.localAddress());
            }
            opened = CmtpClient.connect(socket, new InetSocketAddress(settings.host(), settings.port()),
                    settings.connectTimeout(), settings.timeout(), ProtocolLimits.DEFAULTS);
        } catch (CmtpClientException e) {
            throw new MessagingException("cannot connect to the CMTP server " + server + ": " + e.getMessage(), e);
        }
        try {
            byte[] pinned = settings.serverKey() != null ? settings.serverKey() : KnownServers.key(server);
            if (pinned != null || KnownServers.keyBind(server)) {
                // a known key, or a server seen answering with bound replies: nothing less from now on (§4a)
                opened.requireKeyBind();
            }
            byte[] presented = opened.serverKey();
            byte[] trusted = pinned != null ? pinned : KnownServers.trustOnFirstUse(server, presented);
            if (!Arrays.equals(trusted, presented)) {
                throw new MessagingException("the CMTP server " + server + " presented the key "
                        + HexFormat.of().formatHex(presented) + ", not the " + (settings.serverKey() != null
                                ? "one pinned by " + CmtpSettings.SERVER_KEY : "one it presented first")
                        + " (" + HexFormat.of().formatHex(trusted) + "); refusing to send through it");
            }
            if (opened.usesKeyBind()) { // sends OHAI, whose capabilities MAIL needs anyway
                KnownServers.rememberKeyBind(server);
            }
            client = opened;
            serverKey = trusted;
        } catch (CmtpClientException e) {
            opened.close();
            throw new MessagingException("the CMTP server " + server + " failed the greeting: " + e.getMessage(), e);
        } catch (MessagingException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static void bind(Socket socket, String localAddress) throws MessagingException {
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new MessagingException(CmtpSettings.LOCAL_ADDRESS + ": cannot connect from '" + localAddress + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
