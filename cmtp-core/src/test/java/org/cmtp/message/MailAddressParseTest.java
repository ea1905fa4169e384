package org.cmtp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cmtp.wire.InvalidAddressException;
import org.junit.jupiter.api.Test;

class MailAddressParseTest {

    @Test
    void theDomainIsAfterTheLastAt() throws Exception {
        assertEquals(new MailAddress("bob", "beta.test"), MailAddress.parse("bob@beta.test"));
        assertEquals(new MailAddress("a@b", "c.test"), MailAddress.parse("a@b@c.test"));
    }

    @Test
    void aMissingOrBadPartIsNamed() {
        assertTrue(assertThrows(InvalidAddressException.class, () -> MailAddress.parse("no-at-sign")).getMessage()
                .startsWith("domain"));
        assertTrue(assertThrows(InvalidAddressException.class, () -> MailAddress.parse("@beta.test")).getMessage()
                .startsWith("account"));
        assertTrue(assertThrows(InvalidAddressException.class, () -> MailAddress.parse("bob@")).getMessage()
                .startsWith("domain"));
        assertTrue(assertThrows(InvalidAddressException.class, () -> MailAddress.parse("../x@beta.test")).getMessage()
                .startsWith("account"));
    }
}
