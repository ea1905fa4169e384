package org.cmtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ServerCapabilitiesTest {

    @Test
    void readsSizeAndPowFromOurServersOhai() {
        ServerCapabilities capabilities = ServerCapabilities.parse(List.of("HAI!!! :3", "SIZE 26214400", "POW 0"));
        assertEquals(OptionalLong.of(26214400), capabilities.maxMessageSize());
        assertEquals(0, capabilities.proofOfWorkDifficulty());
        assertEquals(List.of("HAI!!! :3", "SIZE 26214400", "POW 0"), capabilities.lines());
    }

    @Test
    void theReferenceServersBareGreetingMeansNoLimitKnownAndNoWork() {
        ServerCapabilities capabilities = ServerCapabilities.parse(List.of("HAI!!! :3"));
        assertTrue(capabilities.maxMessageSize().isEmpty());
        assertEquals(0, capabilities.proofOfWorkDifficulty());
    }

    @Test
    void unknownLinesAndMalformedValuesAreIgnored() {
        ServerCapabilities capabilities = ServerCapabilities.parse(List.of("HAI!!! :3", "STARTTLS", "SIZE lots",
                "POW -3", "SIZE 1 2", "X-FOO 7", "pow 20", "SIZE 99999999999999999999"));
        assertTrue(capabilities.maxMessageSize().isEmpty());
        assertEquals(20, capabilities.proofOfWorkDifficulty(), "keywords are case-insensitive");
    }

    @Test
    void aPowBeyondTheHashLengthIsIgnored() {
        assertEquals(0, ServerCapabilities.parse(List.of("POW 600")).proofOfWorkDifficulty());
        assertEquals(512, ServerCapabilities.parse(List.of("POW 512")).proofOfWorkDifficulty());
    }

    @Test
    void toleratesExtraSpaces() {
        ServerCapabilities capabilities = ServerCapabilities.parse(List.of("  SIZE   1024 ", "POW\t3"));
        assertEquals(OptionalLong.of(1024), capabilities.maxMessageSize());
        assertEquals(3, capabilities.proofOfWorkDifficulty());
    }
}
