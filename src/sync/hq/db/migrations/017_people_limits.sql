-- People limited to some stores, and the audit log read by who, action and day.
-- stores: the stores a person may see (overview, store pages, dead letters); NULL means every store. An array on the
-- user rather than a table of pairs: it is read with the session on every request, and a chain has few limited people.
ALTER TABLE hq_users ADD COLUMN stores uuid[];
-- when the password was last set, and by whom (a reset by an admin, or the person themselves)
ALTER TABLE hq_users ADD COLUMN password_set_at timestamptz, ADD COLUMN password_set_by text;

-- the audit page filters by who and by action, newest first
CREATE INDEX hq_audit_who ON hq_audit (lower(who), at);
CREATE INDEX hq_audit_action ON hq_audit (action, at);
