-- V3: message counts per hour (GET /api/stats), shared by every instance of the domain
-- and kept across restarts. EPOCH_HOUR is the hour's number since 1970-01-01T00:00Z
-- (its start is EPOCH_HOUR * 3600 seconds); EVENT is received, stored, queued, relayed,
-- failed or rejected.
CREATE TABLE CMTP_TRAFFIC_HOUR (
    EPOCH_HOUR BIGINT NOT NULL,
    EVENT VARCHAR(16) NOT NULL,
    MESSAGES BIGINT NOT NULL,
    PRIMARY KEY (EPOCH_HOUR, EVENT)
);
