-- How far behind a store is, in items: the highest outbox sequence number it said it holds, with its last batch.
-- Items waiting = outbox_top - last_seq (what the store holds that head office has not acknowledged yet).
ALTER TABLE stores ADD COLUMN outbox_top bigint;
