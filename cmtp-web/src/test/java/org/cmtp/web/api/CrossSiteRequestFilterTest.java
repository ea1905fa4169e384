package org.cmtp.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which admin API requests the cross-site filter lets through (AdminApiIT sees the 403
 * problem document it then sends, on a real server).
 */
class CrossSiteRequestFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void aStateChangingAdminRequestNeedsTheHeader(String method) {
        Optional<String> refused = CrossSiteRequestFilter.refusal(method, "/accounts", null);
        assertTrue(refused.isPresent(), method + " without the header");
        assertEquals(method + " needs the header X-Requested-By (e.g. X-Requested-By: cmtp), against cross-site requests",
                refused.get());
        assertTrue(CrossSiteRequestFilter.refusal(method, "accounts/bob", "  ").isPresent(), "a blank value is no value");
        assertEquals(Optional.empty(), CrossSiteRequestFilter.refusal(method, "/accounts", "cmtp"), "any value will do");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void readingNeedsNoHeader(String method) {
        assertEquals(Optional.empty(), CrossSiteRequestFilter.refusal(method, "/accounts", null));
    }

    @Test
    void theUserApiIsExemptSinceItsBearerTokenIsAHeaderNoBrowserAddsByItself() {
        assertEquals(Optional.empty(), CrossSiteRequestFilter.refusal("POST", "/user/messages", null));
        assertEquals(Optional.empty(), CrossSiteRequestFilter.refusal("DELETE", "user/messages/7", null));
        assertTrue(CrossSiteRequestFilter.refusal("POST", "/users", null).isPresent(),
                "only the user API itself, not every path starting with the same letters");
    }
}
