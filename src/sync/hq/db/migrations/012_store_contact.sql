-- How each store's link stands, from every exchange it makes (a batch, a catalog pull, a receipt lookup), not only
-- from the batches that carry sales: an idle store pulls its catalog every 30 s and is heard from by that.
--
-- waiting_since: when the oldest item still waiting at the store was made, as the store says with each exchange (the
-- age it gives, taken from head office's clock); null when nothing waits. Lag is counted from it, not from the last sale.
-- last_error*: the last exchange head office refused (a wrong token for this store's id, another database epoch, a
-- batch it could not read), with its code and sentence; resolved_at is set when that kind of exchange next succeeds.
-- sales_blocked_at: since when the store's sales cannot arrive (its batches refused, its token unknown); cleared
-- when a batch is taken again. Reconciliation cannot say "match" for the days since.
ALTER TABLE stores
  ADD COLUMN waiting_since          timestamptz,
  ADD COLUMN last_error_code        text,
  ADD COLUMN last_error             text,
  ADD COLUMN last_error_exchange    text,
  ADD COLUMN last_error_at          timestamptz,
  ADD COLUMN last_error_resolved_at timestamptz,
  ADD COLUMN sales_blocked_at       timestamptz;
