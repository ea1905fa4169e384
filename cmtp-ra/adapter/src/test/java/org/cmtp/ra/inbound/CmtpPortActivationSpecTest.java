package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CmtpPortActivationSpecTest {

    @AfterEach
    void clear() {
        System.clearProperty("cmtp.port");
    }

    @Test
    void defaultsAreThoseOfTheProtocolAndTheReadme() {
        CmtpPortActivationSpec spec = new CmtpPortActivationSpec();
        assertEquals(9001, spec.effectivePort());
        assertEquals(25 * 1024 * 1024, spec.effectiveMaxMessageSize());
        assertEquals(300, spec.effectiveIdleTimeoutSeconds());
        assertEquals(10, spec.effectiveMaxBadCommands());
        assertEquals(0, spec.effectiveProofOfWorkDifficulty());
        assertEquals(20, spec.effectiveMaxConnectionsPerClient());
        assertEquals(30, spec.effectiveWriteTimeoutSeconds());
        assertEquals(60, spec.effectiveMailStallTimeoutSeconds());
        assertDoesNotThrow(spec::validate);
    }

    @Test
    void serverConfigurationFillsWhatTheActivationLeavesOpen() {
        System.setProperty("cmtp.port", "19999");
        CmtpPortActivationSpec spec = new CmtpPortActivationSpec();
        assertEquals(19999, spec.effectivePort());
        spec.setPort(20000);
        assertEquals(20000, spec.effectivePort(), "an activation property wins");
    }

    @Test
    void badValuesAreRejectedNamingTheProperty() {
        CmtpPortActivationSpec spec = new CmtpPortActivationSpec();
        spec.setPort(70000);
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(e.getMessage().contains("port") && e.getMessage().contains("70000"), e.getMessage());

        CmtpPortActivationSpec zeroConnections = new CmtpPortActivationSpec();
        zeroConnections.setMaxConnections(0);
        assertTrue(assertThrows(InvalidPropertyException.class, zeroConnections::validate).getMessage()
                .contains("maxConnections"));

        CmtpPortActivationSpec nowhere = new CmtpPortActivationSpec();
        nowhere.setBindAddress("no-such-host.invalid");
        assertTrue(assertThrows(InvalidPropertyException.class, nowhere::validate).getMessage()
                .contains("bindAddress"));

        CmtpPortActivationSpec tooLittleMemory = new CmtpPortActivationSpec();
        tooLittleMemory.setMailMemoryMiB(16);
        assertTrue(assertThrows(InvalidPropertyException.class, tooLittleMemory::validate).getMessage()
                .contains("mailMemoryMiB"), "the memory for messages must hold one of the largest size (25 MiB)");

        CmtpPortActivationSpec nulBanner = new CmtpPortActivationSpec();
        nulBanner.setBanner("hello\0world");
        assertTrue(assertThrows(InvalidPropertyException.class, nulBanner::validate).getMessage().contains("banner"));
    }
}
