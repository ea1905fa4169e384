package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one spelling of a domain that server checks, pins, caches, logs and KEYBIND signatures use. */
class DomainNamesTest {

    @Test
    void upperCaseAndTheFinalDotAreGone() {
        assertEquals("example.org", DomainNames.canonical("Example.ORG."));
        assertEquals("example.org", DomainNames.canonical("example.org"));
    }

    @Test
    void internationalLabelsBecomeALabels() {
        assertEquals("xn--bcher-kva.example", DomainNames.canonical("bücher.example"));
        assertEquals("xn--bcher-kva.example", DomainNames.canonical("BÜCHER.example."));
        assertEquals("xn--bcher-kva.example", DomainNames.canonical("xn--bcher-kva.example"), "already canonical");
    }

    @Test
    void unicodeFullStopsSeparateLabelsAndEndNothing() {
        assertEquals("a.test", DomainNames.canonical("a.test\u3002")); // ideographic full stop
        assertEquals("a.test", DomainNames.canonical("a\uFF0Etest\uFF0E")); // full-width full stop
        assertEquals("a.test", DomainNames.canonical("A\uFF61TEST")); // half-width ideographic full stop
    }

    @Test
    void everySpellingOfOneDomainIsTheSameString() {
        String[] spellings = {"Example.Org", "example.org.", "EXAMPLE\u3002ORG", "example\uFF0Eorg\uFF61"};
        for (String spelling : spellings) {
            assertEquals("example.org", DomainNames.canonical(spelling), spelling);
        }
    }

    @Test
    void theEmptyDomainStaysEmpty() {
        assertEquals("", DomainNames.canonical(""));
    }
}
