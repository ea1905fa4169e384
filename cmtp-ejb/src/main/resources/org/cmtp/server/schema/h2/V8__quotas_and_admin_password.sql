-- V8: operations (issue 21). Per-account quotas (NULL: unlimited), checked against the
-- mailbox's count and SIZE_BYTES sum before a message is stored. The admin password can
-- be changed through the admin API: CONFIGURED_HASH is a hash of the CMTP_ADMIN_PASSWORD
-- last applied at a start, so that a restart with the same setting keeps a password
-- changed since (only a new setting replaces it).
ALTER TABLE CMTP_ACCOUNT ADD COLUMN QUOTA_BYTES BIGINT;
ALTER TABLE CMTP_ACCOUNT ADD COLUMN QUOTA_MESSAGES BIGINT;
ALTER TABLE CMTP_ADMIN_CREDENTIAL ADD COLUMN CONFIGURED_HASH VARCHAR(512);
