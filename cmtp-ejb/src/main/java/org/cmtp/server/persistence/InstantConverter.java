package org.cmtp.server.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Stores every {@link Instant} attribute as a {@code TIMESTAMP WITH TIME ZONE}. Payara's
 * EclipseLink (4.0) does not know {@code Instant} and would serialise it into a binary
 * column, which the database can neither read nor order; it does bind
 * {@link OffsetDateTime} natively, on H2 and PostgreSQL alike, and converts JPQL
 * parameters of {@code Instant} attributes through this converter too. UTC, so the value
 * never depends on the JVM's or the database session's time zone.
 * See docs/adr/0014-times-are-timestamps.md.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, OffsetDateTime> {

    @Override
    public OffsetDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(OffsetDateTime stored) {
        return stored == null ? null : stored.toInstant();
    }
}
