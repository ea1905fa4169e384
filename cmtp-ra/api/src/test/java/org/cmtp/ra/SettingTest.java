package org.cmtp.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingTest {

    @AfterEach
    void clear() {
        System.clearProperty("cmtp.test-key");
    }

    @Test
    void environmentNamesFollowMicroProfileConfigMapping() {
        assertEquals("CMTP_PORT", Setting.environmentName("cmtp.port"));
        assertEquals("CMTP_MAX_MESSAGE_SIZE", Setting.environmentName("cmtp.max-message-size"));
    }

    @Test
    void aSystemPropertyIsReadAndTrimmedAndDefaultsApplyOtherwise() {
        assertEquals(7, Setting.integer("cmtp.test-key", 7));
        System.setProperty("cmtp.test-key", " 42 ");
        assertEquals(42, Setting.integer("cmtp.test-key", 7));
        assertEquals("42", Setting.text("cmtp.test-key", "x"));
    }

    @Test
    void aNonNumberNamesTheKeyAndTheVariable() {
        System.setProperty("cmtp.test-key", "lots");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Setting.integer("cmtp.test-key", 1));
        assertTrue(e.getMessage().contains("cmtp.test-key") && e.getMessage().contains("CMTP_TEST_KEY")
                && e.getMessage().contains("lots"), e.getMessage());
    }
}
