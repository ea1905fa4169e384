package org.cmtp.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;

import java.net.ServerSocket;
import java.util.Properties;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

/**
 * How Angus Mail finds the transport, and what it says about settings it cannot use. The
 * sending itself is tested against a real server in cmtp-it (JakartaMailIT).
 */
class CmtpTransportTest {

    @Test
    void javamailProvidersNamesTheTransport() throws Exception {
        Provider provider = Session.getInstance(new Properties()).getProvider("cmtp");
        assertEquals(Provider.Type.TRANSPORT, provider.getType());
        assertEquals(CmtpTransport.class.getName(), provider.getClassName());
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertTrue(ServiceLoader.load(Provider.class).stream()
                .anyMatch(p -> p.type() == CmtpProvider.class && "cmtp".equals(p.get().getProtocol())));
    }

    @Test
    void internetAddressesGoToCmtpWhenTheSessionSaysSo() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.transport.protocol.rfc822", "cmtp");
        Transport transport = Session.getInstance(properties).getTransport(new InternetAddress("bob@example.org"));
        assertInstanceOf(CmtpTransport.class, transport);
    }

    @Test
    void unusableSettingsAreRefusedNamingTheProperty() {
        assertEquals("mail.cmtp.serverkey must be the server's public key as 64 hex digits (32 bytes)",
                connect("mail.cmtp.serverkey", "abcd").getMessage());
        assertEquals("mail.cmtp.timeout must be a number of milliseconds from 1 to 2147483647, not 'soon'",
                connect("mail.cmtp.timeout", "soon").getMessage());
        assertEquals("mail.cmtp.connectiontimeout must be a number of milliseconds from 1 to 2147483647, not '0'",
                connect("mail.cmtp.connectiontimeout", "0").getMessage());
        assertEquals("mail.cmtp.allowplaintext must be true or false, not 'maybe'",
                connect("mail.cmtp.allowplaintext", "maybe").getMessage());
    }

    @Test
    void aServerThatIsNotThereIsAClearConnectFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.93"))) {
            port = free.getLocalPort(); // closed again: nobody listens there now
        }
        MessagingException refused = connect("mail.cmtp.port", Integer.toString(port));
        assertTrue(refused.getMessage().startsWith("cannot connect to the CMTP server 127.0.0.93:" + port + ": "),
                refused.getMessage());
    }

    @Test
    void theAdapterRouteOutsideAContainerSaysWhyItCannotWork() {
        MessagingException refused = connect("mail.cmtp.connectionfactory", "java:app/cmtp/ConnectionFactory");
        assertTrue(refused.getMessage().startsWith("mail.cmtp.connectionfactory: cannot look up 'java:app/cmtp/ConnectionFactory'"),
                refused.getMessage());
    }

    private static MessagingException connect(String property, String value) {
        Properties properties = new Properties();
        properties.put("mail.cmtp.host", "127.0.0.93");
        properties.put("mail.cmtp.port", "16250");
        properties.put("mail.cmtp.connectiontimeout", "2000");
        properties.put(property, value);
        return assertThrows(MessagingException.class, () -> {
            try (Transport transport = Session.getInstance(properties).getTransport("cmtp")) {
                transport.connect();
            }
        });
    }
}
