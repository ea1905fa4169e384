package org.cmtp.server.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void theRightPasswordMatchesAndAWrongOneDoesNot() {
        String hash = PasswordHash.of("correct horse".toCharArray());
        assertTrue(hash.startsWith("pbkdf2-sha256$210000$"), hash);
        assertFalse(hash.contains("correct horse"), "only a hash is kept");
        assertTrue(PasswordHash.matches("correct horse".toCharArray(), hash));
        assertFalse(PasswordHash.matches("correct horsf".toCharArray(), hash));
        assertFalse(PasswordHash.matches("correct horse".toCharArray(), "md5$whatever"), "unknown formats never match");
    }

    @Test
    void eachHashHasItsOwnSalt() {
        assertNotEquals(PasswordHash.of("same".toCharArray()), PasswordHash.of("same".toCharArray()));
    }

    @Test
    void generatedPasswordsAreLongAndAlphanumeric() {
        String password = PasswordHash.randomPassword();
        assertTrue(password.matches("[A-Za-z0-9]{20}"), password);
        assertNotEquals(password, PasswordHash.randomPassword());
    }

    @Test
    void theCacheKnowsOnlyAPasswordThatWasVerifiedAgainstTheSameHash() {
        VerifiedPasswordCache cache = new VerifiedPasswordCache();
        String hash = PasswordHash.of("secret".toCharArray());
        assertFalse(cache.contains(hash, "secret".toCharArray()));
        cache.remember(hash, "secret".toCharArray());
        assertTrue(cache.contains(hash, "secret".toCharArray()));
        assertFalse(cache.contains(hash, "secreT".toCharArray()));
        assertFalse(cache.contains(PasswordHash.of("secret".toCharArray()), "secret".toCharArray()),
                "a changed password hash empties the cache");
    }
}
