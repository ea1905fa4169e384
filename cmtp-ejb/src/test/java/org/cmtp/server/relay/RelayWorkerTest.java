package org.cmtp.server.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RelayWorkerTest {

    @Test
    void theInstanceNameIsHostBindAndPortAndTellsListenersApart() {
        assertEquals("mx1/0.0.0.0:9001", RelayWorker.instanceName("mx1", "0.0.0.0", 9001));
        assertNotEquals(RelayWorker.instanceName("mx1", "127.0.0.2", 9001),
                RelayWorker.instanceName("mx1", "127.0.0.3", 9001), "two addresses on one host");
    }

    @Test
    void aLongHostNameIsShortenedSoThatTheNameFitsTheLeaseOwnerColumn() {
        String name = RelayWorker.instanceName("h".repeat(300), "2001:db8::1", 9001);
        assertEquals(RelayWorker.MAX_OWNER_LENGTH, name.length());
        assertTrue(name.endsWith("/2001:db8::1:9001"), name);
    }
}
