package org.cmtp.server.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Stores every {@link Instant} attribute as a {@code TIMESTAMP WITH TIME ZONE}. Payara's
 * EclipseLink (4.0) does not know {@code Instant} and would serialise it into a binary
 * column, which the database can neither read nor order; it does bind
 * {@link OffsetDateTime} natively, on H2 and PostgreSQL alike, and converts JPQL
 * parameters of {@code Instant} attributes through this converter too (Hibernate, in the
 * EAR on WildFly, binds {@code OffsetDateTime} natively as well). UTC, so the value
 * never depends on the JVM's or the database session's time zone.
 * See docs/adr/0014-times-are-timestamps.md.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, OffsetDateTime> {

    /**
     * {@code instant} as the columns keep it: to the microsecond (PostgreSQL's precision;
     * this JVM's clock gives nanoseconds). Entities store what this returns, so an entity
     * just made shows the same time as one read back, e.g. in the admin API's answer to a
     * POST and a later GET. Truncated, not rounded as the databases would, so a time is
     * never moved later.
     */
    public static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public OffsetDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : stored(instant).atOffset(ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(OffsetDateTime stored) {
        return stored == null ? null : stored.toInstant();
    }
}
