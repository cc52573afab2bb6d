-- Returns: what each store's returns gave back, as they come in outbox items of kind 'return', partitioned by business
-- month and keyed by store_id first like the sales (Citus-ready). Their monthly partitions are made with the sales'
-- (../functions/hq_ensure_month_partitions.sql). The ledger's one-merged-item-per-ref index already covers the kind.

CREATE TABLE hq_returns (
  store_id        uuid NOT NULL,
  return_id       uuid NOT NULL,
  business_date   date NOT NULL,
  return_number   text NOT NULL,
  sale_id         uuid NOT NULL,   -- the sale returned against (of this store, or of another store of the chain)
  receipt_number  text NOT NULL,   -- that sale's receipt number
  register_id     integer NOT NULL,
  returned_at     timestamptz NOT NULL,
  reason_code     text NOT NULL,
  reason          text NOT NULL,
  total_minor     bigint NOT NULL, -- the goods' value refunded: what the store's refund figures count
  tax_minor       bigint NOT NULL,
  rounding_minor  bigint NOT NULL, -- cash rounding on the cash given back: the tenders gave total + rounding
  payload         jsonb NOT NULL,
  content_hash    text NOT NULL,
  epoch           text NOT NULL,
  seq             bigint NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, return_id, business_date),
  UNIQUE (store_id, epoch, seq, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX hq_returns_store_day ON hq_returns (store_id, business_date);
CREATE INDEX hq_returns_sale ON hq_returns (store_id, sale_id);

CREATE TABLE hq_return_lines (
  store_id      uuid NOT NULL,
  return_id     uuid NOT NULL,
  business_date date NOT NULL,
  line_no       integer NOT NULL,  -- the original sale's line
  product_id    bigint NOT NULL,
  sku           text NOT NULL,
  name          text NOT NULL,
  qty_milli     bigint NOT NULL,
  refund_minor  bigint NOT NULL,
  tax_class     text NOT NULL,
  tax_rate_bp   integer NOT NULL,
  tax_minor     bigint NOT NULL,
  restock       boolean NOT NULL,  -- false: written off (damaged)
  PRIMARY KEY (store_id, return_id, business_date, line_no)
) PARTITION BY RANGE (business_date);

-- The tenders given back, as a sale's payments: never a card number, only what a card terminal may leave.
CREATE TABLE hq_return_refunds (
  store_id      uuid NOT NULL,
  return_id     uuid NOT NULL,
  business_date date NOT NULL,
  n             integer NOT NULL,
  method        text NOT NULL,
  amount_minor  bigint NOT NULL,
  card_brand    text,
  card_last4    text,
  auth_code     text,
  terminal_ref  text,
  PRIMARY KEY (store_id, return_id, business_date, n)
) PARTITION BY RANGE (business_date);

-- The store's own refund figures of a day, when it sends them (a store from before returns does not: null).
ALTER TABLE store_day_totals ADD COLUMN refund_minor bigint, ADD COLUMN returns_count integer;
-- A head office from before this kept them in the payload as they came, unchecked: taken only where they are figures
-- (nested CASE: PostgreSQL may evaluate the parts of an AND in any order, and a cast of text would fail).
UPDATE store_day_totals SET
  refund_minor = CASE WHEN jsonb_typeof(payload->'refund_minor') = 'number' THEN
    CASE WHEN (payload->>'refund_minor')::numeric = trunc((payload->>'refund_minor')::numeric)
      AND abs((payload->>'refund_minor')::numeric) <= 9007199254740991 THEN (payload->>'refund_minor')::bigint END END,
  returns_count = CASE WHEN jsonb_typeof(payload->'returns_count') = 'number' THEN
    CASE WHEN (payload->>'returns_count')::numeric = trunc((payload->>'returns_count')::numeric)
      AND (payload->>'returns_count')::numeric BETWEEN 0 AND 2147483647 THEN (payload->>'returns_count')::integer END END
WHERE payload ? 'refund_minor' OR payload ? 'returns_count';
