-- What the store tells head office besides its sales: closed shifts and its own day totals (for reconciliation),
-- and what the store learnt about its own database being a restored copy.
CREATE INDEX sales_business_day ON sales(business_date) WHERE status = 'completed';
-- The latest day-totals report of a date is found with one probe.
CREATE INDEX outbox_kind_ref ON outbox(kind, ref);
-- When head office already holds more of this epoch than the database has, the database is an older copy: the store
-- starts a new epoch and remembers the one it left and why.
ALTER TABLE sync_state ADD COLUMN previous_epoch TEXT;
ALTER TABLE sync_state ADD COLUMN epoch_started_at TEXT;
ALTER TABLE sync_state ADD COLUMN epoch_reason TEXT;
