package org.cmtp.server.account;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The xzibit is public (LOGIN gives it to anyone): an account's password must be long. */
class NewPasswordTest {

    @Test
    void elevenCharactersAreTooFewTwelveAreEnough() {
        AccountException tooShort = assertThrows(AccountException.class,
                () -> AccountService.checkNewPassword("elevenchars".toCharArray()));
        assertEquals("password", tooShort.field());
        assertEquals("the password must have at least 12 characters", tooShort.getMessage());
        assertDoesNotThrow(() -> AccountService.checkNewPassword("twelve chars".toCharArray()));
    }

    @Test
    void charactersAreCountedNotUtf16Units() {
        String sixEmoji = "\uD83D\uDD12".repeat(6); // 6 characters, 12 UTF-16 units
        assertThrows(AccountException.class, () -> AccountService.checkNewPassword(sixEmoji.toCharArray()));
        assertDoesNotThrow(() -> AccountService.checkNewPassword("\uD83D\uDD12".repeat(12).toCharArray()));
    }

    @Test
    void noPasswordIsTooShort() {
        assertThrows(AccountException.class, () -> AccountService.checkNewPassword(null));
        assertThrows(AccountException.class, () -> AccountService.checkNewPassword(new char[0]));
    }
}
