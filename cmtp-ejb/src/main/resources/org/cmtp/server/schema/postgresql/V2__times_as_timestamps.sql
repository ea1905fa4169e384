-- V2: every java.time.Instant column becomes TIMESTAMP WITH TIME ZONE (ADR 0014); V1 held
-- them as Java-serialised objects (BYTEA). Existing values are converted from those bytes:
-- ObjectOutputStream of an Instant is always 50 bytes (it writes java.time.Ser, an
-- Externalizable), with the epoch seconds as a big-endian long at bytes 38-45 and the
-- nanoseconds as a big-endian int at bytes 46-49 (1-based, as substring counts).
-- Whole seconds go through to_timestamp (exact in double precision), the fraction is
-- added as whole microseconds, the column's precision, never rounded through a double.
-- ALTER ... TYPE ... USING keeps NOT NULL and rebuilds the indexes on the column
-- (CMTP_MESSAGE_ACCOUNT, CMTP_RELAY_DUE) under their names.
CREATE FUNCTION cmtp_v2_instant(serialized BYTEA) RETURNS TIMESTAMP WITH TIME ZONE
    LANGUAGE SQL IMMUTABLE STRICT AS $$
    SELECT to_timestamp(('x' || encode(substring(serialized FROM 38 FOR 8), 'hex'))::bit(64)::bigint)
        + (('x' || encode(substring(serialized FROM 46 FOR 4), 'hex'))::bit(32)::int / 1000)
            * INTERVAL '1 microsecond'
$$;

ALTER TABLE CMTP_ACCOUNT ALTER COLUMN CREATED TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(CREATED);
ALTER TABLE CMTP_MESSAGE ALTER COLUMN RECEIVED TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(RECEIVED);
ALTER TABLE CMTP_SERVER_KEY ALTER COLUMN CREATED TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(CREATED);
ALTER TABLE CMTP_ADMIN_CREDENTIAL ALTER COLUMN CHANGED TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(CHANGED);
ALTER TABLE CMTP_RELAY_QUEUE
    ALTER COLUMN QUEUED TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(QUEUED),
    ALTER COLUMN NEXT_ATTEMPT TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(NEXT_ATTEMPT),
    ALTER COLUMN LEASE_UNTIL TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(LEASE_UNTIL);
ALTER TABLE CMTP_KNOWN_SERVER
    ALTER COLUMN FIRST_SEEN TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(FIRST_SEEN),
    ALTER COLUMN LAST_SEEN TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(LAST_SEEN),
    ALTER COLUMN OFFERED_AT TYPE TIMESTAMP WITH TIME ZONE USING cmtp_v2_instant(OFFERED_AT);

DROP FUNCTION cmtp_v2_instant(BYTEA);
