package org.cmtp.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ListenerAddressTest {

    @Test
    void aWildcardBindIsDialledAsLoopbackOfItsFamily() {
        assertEquals("127.0.0.1", ListenerAddress.dialable("0.0.0.0"));
        assertEquals("127.0.0.1", ListenerAddress.dialable(""));
        assertEquals("::1", ListenerAddress.dialable("::"));
        assertEquals("::1", ListenerAddress.dialable("[::]"));
        assertEquals("::1", ListenerAddress.dialable("0:0:0:0:0:0:0:0"));
    }

    @Test
    void aSpecificBindIsDialledAsItIs() {
        assertEquals("127.0.0.7", ListenerAddress.dialable("127.0.0.7"));
        assertEquals("2001:db8::1", ListenerAddress.dialable("2001:db8::1"));
    }
}
