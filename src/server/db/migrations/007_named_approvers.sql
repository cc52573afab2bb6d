-- Approvals and pairing name the manager who approves, so a PIN no longer has to find its owner: PINs need not be
-- unique, and the keyed PIN fingerprint that kept them unique (and told an admin whose PIN was taken) goes.
DROP INDEX users_pin_tag;
ALTER TABLE users DROP COLUMN pin_tag;
