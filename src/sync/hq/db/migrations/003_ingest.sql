-- Ingest, second form. The ledger is keyed by the store database's epoch, so a restored store that head office accepted
-- (src/sync/hq/epochs.ts) sends its outbox again from 1 without colliding with what it sent before. Two more kinds of
-- item: the store's own day totals (for reconciliation) and the Z report of each closed shift. hq_receive_batch reads
-- every document once, in PostgreSQL: a sale's row, lines and payments come from its payload. That function, the one
-- that accepts a restored epoch and hq_batch_documents are in ../functions/, applied after the migrations.

-- How far behind a store is, in items: the highest outbox sequence number it said it holds, with its last batch.
-- Items waiting = outbox_top - last_seq.
ALTER TABLE stores ADD COLUMN outbox_top bigint;

-- Every ledger row so far belongs to its store's current epoch: a batch of another epoch was never merged.
ALTER TABLE outbox_items ADD COLUMN epoch text;
UPDATE outbox_items o SET epoch = s.epoch FROM stores s WHERE s.store_id = o.store_id;
ALTER TABLE outbox_items ALTER COLUMN epoch SET NOT NULL, DROP CONSTRAINT outbox_items_pkey, ADD PRIMARY KEY (store_id, epoch, seq);

ALTER TABLE dead_letters ADD COLUMN epoch text;
UPDATE dead_letters d SET epoch = s.epoch FROM stores s WHERE s.store_id = d.store_id;
ALTER TABLE dead_letters ALTER COLUMN epoch SET NOT NULL, DROP CONSTRAINT dead_letters_pkey,
  ADD PRIMARY KEY (store_id, epoch, seq, content_hash);

-- One merged item per sale and per shift, across epochs: a restored store sending a sale head office has is a
-- duplicate. Day totals are snapshots: every one is merged, so they are left out.
DROP INDEX outbox_items_merged_ref;
CREATE UNIQUE INDEX outbox_items_merged_ref ON outbox_items (store_id, kind, ref) WHERE status = 'merged' AND kind <> 'day_totals';
-- Reconciliation counts a sale a report covers when the store sent it again under the report's epoch (rare).
CREATE INDEX outbox_items_duplicate_ref ON outbox_items (store_id, kind, ref) WHERE status = 'duplicate';

-- A sale is known by the epoch and sequence number it was merged under; the same seq of two epochs is two items.
ALTER TABLE sales ADD COLUMN epoch text;
UPDATE sales s SET epoch = st.epoch FROM stores st WHERE st.store_id = s.store_id;
ALTER TABLE sales ALTER COLUMN epoch SET NOT NULL, DROP CONSTRAINT sales_store_id_seq_business_date_key,
  ADD UNIQUE (store_id, epoch, seq, business_date);

-- The store's own totals of a business date, as many as it sent (it sends again whenever they change); the one with
-- the highest seq of the latest epoch is its latest word. A report covers exactly the sales before it in its epoch.
CREATE TABLE store_day_totals (
  store_id       uuid NOT NULL REFERENCES stores (store_id),
  epoch          text NOT NULL,
  seq            bigint NOT NULL,
  business_date  date NOT NULL,
  sales_count    integer NOT NULL,
  total_minor    bigint NOT NULL,
  tax_minor      bigint NOT NULL,
  discount_minor bigint NOT NULL,
  rounding_minor bigint NOT NULL,
  computed_at    timestamptz NOT NULL,
  payload        jsonb NOT NULL,   -- by_method and whatever else the store said
  content_hash   text NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, epoch, seq)
);
CREATE INDEX store_day_totals_day ON store_day_totals (store_id, business_date);

-- The Z report of each closed shift, once. Taxes and tenders are in the payload. A shift is known by the store's id
-- and when it opened: a store database restored from a backup hands out the same shift ids again.
CREATE TABLE shift_closures (
  store_id        uuid NOT NULL REFERENCES stores (store_id),
  shift_id        bigint NOT NULL,
  epoch           text NOT NULL,
  seq             bigint NOT NULL,
  register_id     integer NOT NULL,
  business_date   date NOT NULL,
  opened_at       timestamptz NOT NULL,
  closed_at       timestamptz NOT NULL,
  opened_by       text NOT NULL,
  closed_by       text NOT NULL,
  opening_float   bigint NOT NULL,
  sales_count     integer NOT NULL,
  sales_total     bigint NOT NULL,
  discount_total  bigint NOT NULL,
  rounding_total  bigint NOT NULL,
  cancelled_count integer NOT NULL,
  refund_total    bigint NOT NULL,
  tax_total       bigint NOT NULL,
  cash_in         bigint NOT NULL,
  cash_out        bigint NOT NULL,
  no_sales        integer NOT NULL,
  cash_sales      bigint NOT NULL,
  expected_cash   bigint NOT NULL,
  counted_cash    bigint,          -- null when the drawer was not counted
  over_short      bigint,
  payload         jsonb NOT NULL,
  content_hash    text NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, shift_id, opened_at)
);
CREATE INDEX shift_closures_day ON shift_closures (store_id, business_date);

-- Who at head office accepted a store's restored database, when, and where its previous epoch had got to.
CREATE TABLE epoch_changes (
  store_id     uuid NOT NULL REFERENCES stores (store_id),
  old_epoch    text NOT NULL,
  new_epoch    text NOT NULL,
  old_last_seq bigint NOT NULL,
  accepted_by  text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, new_epoch)
);
