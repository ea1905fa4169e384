package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailSubscriptionActivationSpecTest {

    private static MailSubscriptionActivationSpec spec(String accounts) {
        MailSubscriptionActivationSpec spec = new MailSubscriptionActivationSpec();
        spec.setAccounts(accounts);
        return spec;
    }

    @Test
    void acceptsCommaSeparatedNamesIgnoringBlanksAroundThem() throws Exception {
        MailSubscriptionActivationSpec spec = spec(" orders, billing ,orders,Zoë");
        assertDoesNotThrow(spec::validate);
        assertEquals(List.of("orders", "billing", "Zoë"), List.copyOf(spec.accountNames()), "in order, once each");
        assertEquals(List.of("orders"), List.copyOf(spec("orders").accountNames()));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void theListIsRequired(String accounts) {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec(accounts)::validate);
        assertTrue(e.getMessage().startsWith("CMTP activation property accounts is required"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders,", ",orders", "orders,,billing", "orders, ,billing"})
    void anEmptyEntryIsRejected(String accounts) {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec(accounts)::validate);
        assertTrue(e.getMessage().startsWith("CMTP activation property accounts has an empty entry"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"or/ders", "a\\b", "x..y", "tab\there", "orders,bad/one"})
    void anInvalidNameIsRejectedNamingThePropertyAndTheName(String accounts) {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec(accounts)::validate);
        assertTrue(e.getMessage().startsWith("CMTP activation property accounts names an invalid account '"),
                e.getMessage());
        assertTrue(e.getMessage().contains("account name"), e.getMessage());
    }

    @Test
    void aNameOverTheWireLimitIsRejected() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec("x".repeat(256))::validate);
        assertTrue(e.getMessage().contains("accounts"), e.getMessage());
    }
}
