-- Head office: the stores, every sale they sent (partitioned by business month), and the ledger of what was received.
-- Citus-ready: every table that holds a store's rows has store_id as the first column of every primary and unique key,
-- so they can be distributed by store_id; `stores` and `hq_migrations` are small shared (reference) tables.
-- The functions that were here (partitions, hq_receive_batch) are in ../functions/, applied after the migrations.

CREATE TABLE stores (
  store_id          uuid PRIMARY KEY,
  name              text NOT NULL,
  token_hash        text NOT NULL UNIQUE,
  epoch             text,                       -- set by the first accepted batch; a store database made anew has another
  last_seq          bigint NOT NULL DEFAULT 0,  -- every outbox item up to here is on record in outbox_items
  last_contact_at   timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- A batch came with another epoch (the store database was restored or rebuilt): reported, never merged silently.
  restored_epoch    text,
  restored_epoch_at timestamptz
);

-- Every outbox item received, once per sequence number: exactly-once is enforced here, and a re-sent item's content
-- hash is compared with the one on record. Items that went to dead_letters are here too, so the ledger has no gaps.
CREATE TABLE outbox_items (
  store_id     uuid NOT NULL REFERENCES stores (store_id),
  seq          bigint NOT NULL,
  kind         text NOT NULL,
  ref          text NOT NULL,
  content_hash text NOT NULL,   -- sha256 hex of the payload text as received
  status       text NOT NULL CHECK (status IN ('merged', 'duplicate', 'dead_letter')),
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, seq)
);
-- One merged item per sale: a sale sent again under another sequence number is found here with one index probe.
CREATE UNIQUE INDEX outbox_items_merged_ref ON outbox_items (store_id, kind, ref) WHERE status = 'merged';

-- Items head office could not merge, with the reason; they never block a store's queue. content_hash is part of the key
-- because one sequence number can be refused twice with different contents (a bad item, then a changed re-send).
CREATE TABLE dead_letters (
  store_id     uuid NOT NULL REFERENCES stores (store_id),
  seq          bigint NOT NULL,
  content_hash text NOT NULL,
  kind         text NOT NULL,
  reason       text NOT NULL,
  body         jsonb NOT NULL,  -- the item as sent
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, seq, content_hash)
);

CREATE TABLE sales (
  store_id        uuid NOT NULL,
  sale_id         uuid NOT NULL,
  business_date   date NOT NULL,
  receipt_number  text NOT NULL,
  register_id     integer NOT NULL,
  opened_at       timestamptz NOT NULL,
  completed_at    timestamptz NOT NULL,
  subtotal_minor  bigint NOT NULL,
  total_minor     bigint NOT NULL,
  tax_minor       bigint NOT NULL,
  discount_minor  bigint NOT NULL,
  rounding_minor  bigint NOT NULL,
  paid_minor      bigint NOT NULL,
  change_minor    bigint NOT NULL,
  payload         jsonb NOT NULL,
  content_hash    text NOT NULL,
  seq             bigint NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, sale_id, business_date),
  UNIQUE (store_id, seq, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX sales_store_day ON sales (store_id, business_date);

CREATE TABLE sale_lines (
  store_id             uuid NOT NULL,
  sale_id              uuid NOT NULL,
  business_date        date NOT NULL,
  line_no              integer NOT NULL,
  product_id           bigint NOT NULL,
  sku                  text NOT NULL,
  barcode              text,
  name                 text NOT NULL,
  qty_milli            bigint NOT NULL,
  weighed              boolean NOT NULL,
  unit_price_minor     bigint NOT NULL,
  original_price_minor bigint,   -- set when the price was overridden
  amount_minor         bigint NOT NULL,
  discount_minor       bigint NOT NULL,
  tax_class            text NOT NULL,
  tax_rate_bp          integer NOT NULL,
  tax_minor            bigint NOT NULL,
  total_minor          bigint NOT NULL,
  PRIMARY KEY (store_id, sale_id, business_date, line_no)
) PARTITION BY RANGE (business_date);

CREATE TABLE sale_payments (
  store_id      uuid NOT NULL,
  sale_id       uuid NOT NULL,
  business_date date NOT NULL,
  n             integer NOT NULL,
  method        text NOT NULL,
  amount_minor  bigint NOT NULL,
  card_brand    text,
  card_last4    text,
  auth_code     text,
  terminal_ref  text,
  PRIMARY KEY (store_id, sale_id, business_date, n)
) PARTITION BY RANGE (business_date);
