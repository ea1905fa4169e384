package org.cmtp.server.federation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.cmtp.client.ConnectionFailedException;
import org.cmtp.client.NotCmtpServerException;
import org.junit.jupiter.api.Test;

/**
 * Which failures of a host say "no CMTP server here" (ADR 0028): only a refused connection
 * and an SMTP greeting; everything else may pass, and keeps a plaintext message off SMTP.
 */
class NoCmtpServerTest {

    private static ConnectionFailedException connect(IOException cause) {
        return new ConnectionFailedException("192.0.2.7:9001", "connect", cause.getMessage(), cause);
    }

    @Test
    void aRefusedConnectionAndAnSmtpGreetingMeanNoCmtpServer() {
        assertTrue(RemoteServers.speaksNoCmtp(connect(new ConnectException("Connection refused"))));
        assertTrue(RemoteServers.speaksNoCmtp(new NotCmtpServerException("192.0.2.7:9001", "220 mx ESMTP")));
    }

    @Test
    void timeoutsUnreachableNetworksAndBrokenConversationsMayPass() {
        assertFalse(RemoteServers.speaksNoCmtp(connect(new ConnectException("Network is unreachable"))));
        assertFalse(RemoteServers.speaksNoCmtp(connect(new SocketTimeoutException("connect timed out"))));
        assertFalse(RemoteServers.speaksNoCmtp(new ConnectionFailedException("192.0.2.7:9001", "banner",
                "the server closed the connection", null)));
        assertFalse(RemoteServers.speaksNoCmtp(new ConnectionFailedException("192.0.2.7:9001", "MAIL",
                "Connection refused", new ConnectException("Connection refused"))));
    }
}
