-- V5: a large message body may be kept in a file of its own instead of the row
-- (docs/adr/0019-large-message-bodies-in-files.md). BODY_FILE then names it, relative to
-- the body directory (cmtp.body-dir), and CONTENT is NULL; otherwise BODY_FILE is NULL.
ALTER TABLE CMTP_MESSAGE ADD COLUMN BODY_FILE VARCHAR(80);
ALTER TABLE CMTP_MESSAGE ALTER COLUMN CONTENT DROP NOT NULL;
CREATE UNIQUE INDEX CMTP_MESSAGE_BODY_FILE ON CMTP_MESSAGE (BODY_FILE);
