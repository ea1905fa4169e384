package org.cmtp.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.core.Response;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How every paged list reads its page, and what it says about a bad one. */
class PageRequestTest {

    @Test
    void absentOrBlankValuesTakeTheDefaults() {
        assertEquals(new PageRequest(0, 100), PageRequest.of(null, null));
        assertEquals(new PageRequest(0, 100), PageRequest.of("", " "));
        assertEquals(new PageRequest(0, 50), PageRequest.read("offset", null, "limit", null, 50, 500));
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        assertEquals(new PageRequest(0, 1), PageRequest.of("0", "1"));
        assertEquals(new PageRequest(2_000_000, 1000), PageRequest.of("2000000", "1000"));
        assertEquals(new PageRequest(7, 500), PageRequest.read("offset", " 7 ", "limit", "500", 50, 500));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1  | 10   | first | first must be a whole number ≥ 0, not '-1'",
        "abc | 10   | first | first must be a whole number ≥ 0, not 'abc'",
        "1.5 | 10   | first | first must be a whole number ≥ 0, not '1.5'",
        "99999999999 | 10 | first | first must be a whole number ≥ 0, not '99999999999'",
        "0   | 0    | max   | max must be a whole number from 1 to 1000, not '0'",
        "0   | 1001 | max   | max must be a whole number from 1 to 1000, not '1001'",
        "0   | ten  | max   | max must be a whole number from 1 to 1000, not 'ten'",
    })
    void aBadValueIsA400NamingTheParameter(String first, String max, String field, String detail) {
        ProblemException problem = assertThrows(ProblemException.class, () -> PageRequest.of(first, max));
        assertEquals(400, problem.status());
        assertEquals("Bad Request", problem.title());
        assertEquals(field, problem.field());
        assertEquals(detail, problem.detail());
    }

    @Test
    void theUserApisNamesAndBoundsAreUsedInItsErrors() {
        ProblemException problem = assertThrows(ProblemException.class,
                () -> PageRequest.read("offset", "0", "limit", "501", 50, 500));
        assertEquals("limit", problem.field());
        assertEquals("limit must be a whole number from 1 to 500, not '501'", problem.detail());
    }

    @Test
    void theOlderNamesOfAListAreStillAcceptedAndNamedInItsErrors() {
        assertEquals(new PageRequest(3, 7), PageRequest.ofOlderNames(null, null, "3", "7"));
        assertEquals(new PageRequest(3, 7), PageRequest.ofOlderNames("3", "7", null, null));
        assertEquals(new PageRequest(3, 7), PageRequest.ofOlderNames("3", null, null, "7"));
        ProblemException bad = assertThrows(ProblemException.class, () -> PageRequest.ofOlderNames(null, null, "-1", null));
        assertEquals("offset", bad.field());
        assertEquals("offset must be a whole number ≥ 0, not '-1'", bad.detail());
        ProblemException both = assertThrows(ProblemException.class, () -> PageRequest.ofOlderNames(null, "5", null, "5"));
        assertEquals("limit", both.field());
        assertEquals("give max or limit (its older name), not both", both.detail());
    }

    @Test
    void theAnswerCarriesTheTotalOfAllPages() {
        Response answer = PageRequest.of("0", "2").answer(List.of("a", "b"), 5);
        assertEquals(200, answer.getStatus());
        assertEquals("5", answer.getHeaderString(PageRequest.TOTAL_COUNT));
        assertEquals(List.of("a", "b"), answer.getEntity());
    }
}
