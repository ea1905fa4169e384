package org.cmtp.server.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SerializedInstantConverterTest {

    private final SerializedInstantConverter converter = new SerializedInstantConverter();

    @Test
    void writesWhatPlainJavaSerializationWrites() throws Exception {
        // EclipseLink's default for a type it cannot map is ObjectOutputStream.writeObject:
        // these are the bytes already in existing databases.
        Instant instant = Instant.parse("2026-11-28T20:12:10.381173533Z");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(expected)) {
            out.writeObject(instant);
        }
        assertArrayEquals(expected.toByteArray(), converter.convertToDatabaseColumn(instant));
        assertEquals(instant, converter.convertToEntityAttribute(expected.toByteArray()));
    }

    @Test
    void byteOrderIsTimeOrder() {
        // the relay queue selects "nextAttempt <= :now" and orders by it on the bytes
        Instant[] instants = {Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2026-11-28T20:00:00Z"),
            Instant.parse("2026-11-28T20:00:00.000000001Z"), Instant.parse("2026-11-28T20:00:01Z"),
            Instant.parse("2100-01-01T00:00:00Z")};
        for (int i = 1; i < instants.length; i++) {
            byte[] earlier = converter.convertToDatabaseColumn(instants[i - 1]);
            byte[] later = converter.convertToDatabaseColumn(instants[i]);
            assertTrue(Arrays.compareUnsigned(earlier, later) < 0, instants[i - 1] + " before " + instants[i]);
        }
    }

    @Test
    void nullStaysNull() {
        assertNull(converter.convertToDatabaseColumn(null));
        assertNull(converter.convertToEntityAttribute(null));
    }

    @Test
    void aColumnWithoutAnInstantIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> converter.convertToEntityAttribute(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("no serialized Instant (3 bytes)"), e.getMessage());
    }
}
