package org.cmtp.server.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DomainNameTest {

    @Test
    void lookupsAndRoutesUseTheCanonicalSpelling() {
        assertEquals(Optional.of("example.org"), DomainName.normalize("Example.ORG."));
        assertEquals(Optional.of("a.test"), DomainName.normalize("a.test\u3002"), "an ideographic full stop at the end");
        assertEquals(Optional.of("xn--bcher-kva.example"), DomainName.normalize("bücher.example"));
    }

    @Test
    void whatCannotBeAHostNameIsRefused() {
        assertTrue(DomainName.normalize("").isEmpty());
        assertTrue(DomainName.normalize("a..b").isEmpty());
        assertTrue(DomainName.normalize("a/b.test").isEmpty());
        assertTrue(DomainName.normalize(".").isEmpty());
    }
}
