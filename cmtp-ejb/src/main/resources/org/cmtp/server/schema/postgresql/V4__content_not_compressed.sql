-- V4: message bodies are stored as they are, not compressed. CMTP mail is sealed, i.e.
-- random bytes that no compressor shrinks, and PostgreSQL's default (EXTENDED) tried
-- pglz on every body over 2 KB before moving it out of line: measured at 18 ms of
-- database CPU per 1 MiB message, against 2 ms with EXTERNAL (docs/BENCHMARKS.md).
-- Applies to rows written from now on; existing rows stay as they are.
ALTER TABLE CMTP_MESSAGE ALTER COLUMN CONTENT SET STORAGE EXTERNAL;
ALTER TABLE CMTP_RELAY_QUEUE ALTER COLUMN CONTENT SET STORAGE EXTERNAL;
