package org.cmtp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** {@code cmtp.smtp-smarthost}: host, host:port, [v6]:port; anything else is refused naming the key. */
class SmarthostTest {

    @Test
    void hostAndPortAreReadWithPort25WhenLeftOut() {
        assertEquals(InetSocketAddress.createUnresolved("mail.example.org", 587), CmtpConfiguration.smarthost("mail.example.org:587"));
        assertEquals(InetSocketAddress.createUnresolved("mail.example.org", 25), CmtpConfiguration.smarthost("mail.example.org"));
        assertEquals(InetSocketAddress.createUnresolved("2001:db8::25", 2525), CmtpConfiguration.smarthost("[2001:db8::25]:2525"));
    }

    @Test
    void aBadValueIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"mail.example.org:0", "mail.example.org:smtp", ":25", "host:70000"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> CmtpConfiguration.smarthost(bad));
            assertEquals("cmtp.smtp-smarthost (CMTP_SMTP_SMARTHOST) must be host:port, was '" + bad + "'", e.getMessage());
        }
    }
}
