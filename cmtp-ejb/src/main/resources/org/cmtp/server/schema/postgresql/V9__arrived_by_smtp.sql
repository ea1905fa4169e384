-- V8: the SMTP gateway (README "Living beside SMTP"). A message it took in from the SMTP
-- world was sealed by this server on arrival, not by its sender: the mailbox says so.
ALTER TABLE CMTP_MESSAGE ADD COLUMN VIA_SMTP BOOLEAN DEFAULT FALSE NOT NULL;
