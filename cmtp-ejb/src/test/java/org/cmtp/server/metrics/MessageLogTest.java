package org.cmtp.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageLogTest {

    @Test
    void aPlainEventIsOneLineOfNameValuePairs() {
        byte[] hash = new byte[64];
        hash[0] = (byte) 0xab;
        String line = MessageLog.of(MessageLog.Kind.STORED).id(42).hash(hash).account("bob").domain("example.org")
                .from("alice@b.test").size(1234).client("192.0.2.7").line();
        assertEquals("CMTP message stored id=42 hash=ab000000000000000000000000000000 account=bob domain=example.org"
                + " from=alice@b.test size=1234 client=192.0.2.7", line);
    }

    @Test
    void namesFromTheWireCannotBreakTheLineOrFakeAField() {
        String line = MessageLog.of(MessageLog.Kind.REFUSED).account("bob\nCMTP message stored id=1")
                .domain("a b\"c\\d").from("\u202eevil\u0000@x").with("reason", "no-such-account").line();
        assertFalse(line.contains("\n"), line);
        assertEquals("CMTP message refused account=\"bob\\nCMTP message stored id=1\" domain=\"a b\\\"c\\\\d\""
                + " from=\"\\u202eevil\\u0000@x\" reason=no-such-account", line);
    }

    @Test
    void emptyValuesAreQuotedAndNullOnesLeftOut() {
        String line = MessageLog.of(MessageLog.Kind.BOUNCED).id(7).account("").domain(null).size(-1).line();
        assertEquals("CMTP message bounced id=7 account=\"\" size=-1", line);
        assertTrue(MessageLog.of(MessageLog.Kind.RELAYED).line().equals("CMTP message relayed"));
    }
}
