package org.cmtp.message;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.InvalidAddressException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailAddressTest {

    @Test
    void printsAsAccountAtDomain() {
        assertEquals("bob@hawaii.edu", new MailAddress("bob", "hawaii.edu").toString());
    }

    @Test
    void validMailboxesPass() {
        assertDoesNotThrow(() -> new MailAddress("bob", "hawaii.edu").validate());
        assertDoesNotThrow(() -> new MailAddress("bjørn.o'neil+tag", "例え.テスト").validate());
        assertDoesNotThrow(() -> new MailAddress("x".repeat(255), "d").validate());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''            | EMPTY",
        "a/b           | SLASH",
        "a\\b          | BACKSLASH",
        "..            | DOT_DOT",
        "a..b          | DOT_DOT",
    })
    void badAccountsAreNamed(String account, Problem problem) {
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> new MailAddress(account, "hawaii.edu").validate());
        assertEquals(problem, e.problem());
        assertEquals("account", e.field());
    }

    @Test
    void controlCharactersAreRefused() {
        for (String name : new String[] {"a\0b", "a\nb", "tab\t", "del\u007F", "c1\u0085"}) {
            assertEquals(Problem.CONTROL_CHARACTER, problemOf(name), name);
        }
    }

    @Test
    void overlongAndUnencodableNamesAreRefused() {
        assertEquals(Problem.TOO_LONG, problemOf("ü".repeat(128)));
        assertEquals(Problem.NOT_UTF8, problemOf("a\uD800b"));
        assertEquals(Problem.NOT_UTF8, problemOf("\uDC00"));
    }

    @Test
    void serverAccountIsEmptyAndOnlyAllowedWhereTheServerMayBeMeant() {
        MailAddress server = MailAddress.server("hawaii.edu");

        assertDoesNotThrow(() -> server.validateAllowingServer("destination"));
        InvalidAddressException e = assertThrows(InvalidAddressException.class, server::validate);
        assertEquals(Problem.EMPTY, e.problem());
    }

    @Test
    void domainIsNeverEmpty() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> new MailAddress("", "").validateAllowingServer("source"));
        assertEquals("source domain", e.field());
        assertEquals("source domain is empty", e.getMessage());
    }

    private static Problem problemOf(String name) {
        return assertThrows(InvalidAddressException.class, () -> MailAddress.validateName("name", name)).problem();
    }
}
