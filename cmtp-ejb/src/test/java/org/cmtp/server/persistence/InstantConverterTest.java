package org.cmtp.server.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class InstantConverterTest {

    private final InstantConverter converter = new InstantConverter();

    /** Truncated, never rounded up: a lease or due time is never stored later than asked. */
    @Test
    void keepsMicrosecondsAndCutsTheRestOff() {
        Instant instant = Instant.parse("2026-11-28T23:59:59.999999999Z");
        Instant micros = Instant.parse("2026-11-28T23:59:59.999999Z");
        assertEquals(micros, InstantConverter.stored(instant));
        assertEquals(OffsetDateTime.of(2026, 11, 28, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
                converter.convertToDatabaseColumn(instant));
        assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"),
                InstantConverter.stored(Instant.parse("1969-12-31T23:59:59.999999999Z")), "before 1970 too");
    }

    @Test
    void readsAnyOffsetAsTheSameInstant() {
        assertEquals(Instant.parse("2026-11-28T20:00:00.000001Z"), converter.convertToEntityAttribute(
                OffsetDateTime.of(2026, 11, 28, 15, 0, 0, 1_000, ZoneOffset.ofHours(-5))));
    }

    @Test
    void nullStaysNull() {
        assertNull(converter.convertToDatabaseColumn(null));
        assertNull(converter.convertToEntityAttribute(null));
        assertNull(InstantConverter.stored(null));
    }
}
