-- V6: whether another domain's server answers with address-bound key replies (KEYBIND,
-- PROTOCOL.md §4a). Once seen it is required of that server from then on, so that an
-- attacker who strips the capability line from its (unsigned) OHAI cannot downgrade us.
ALTER TABLE CMTP_KNOWN_SERVER ADD COLUMN KEYBIND BOOLEAN DEFAULT FALSE NOT NULL;
