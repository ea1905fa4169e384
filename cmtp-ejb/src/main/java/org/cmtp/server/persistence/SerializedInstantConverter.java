package org.cmtp.server.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Stores every {@link Instant} attribute as its Java serialization, exactly the bytes
 * Payara's EclipseLink wrote on its own (it had no native mapping for {@code Instant}):
 * the schema (V1, {@code BINARY VARYING} / {@code BYTEA}) holds these bytes. Hibernate
 * (WildFly) maps {@code Instant} to a timestamp instead, which the existing columns
 * refuse; with this converter both providers read and write the same data.
 *
 * <p>The serialized form of an {@code Instant} after 1970 is a fixed header followed by
 * the seconds and nanoseconds big-endian, so comparing and ordering the bytes (relay queue:
 * {@code nextAttempt <= :now}, {@code ORDER BY}) agrees with comparing the instants.
 */
@Converter(autoApply = true)
public class SerializedInstantConverter implements AttributeConverter<Instant, byte[]> {

    @Override
    public byte[] convertToDatabaseColumn(Instant instant) {
        if (instant == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(instant);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + instant, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Instant convertToEntityAttribute(byte[] column) {
        if (column == null) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(column))) {
            Object value = in.readObject();
            if (value instanceof Instant instant) {
                return instant;
            }
            throw new IllegalStateException("a time column holds a " + value.getClass().getName() + ", not an Instant");
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a time column holds no serialized Instant (" + column.length + " bytes)", e);
        }
    }
}
