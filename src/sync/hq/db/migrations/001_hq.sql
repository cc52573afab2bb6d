-- Head office: the stores, every sale they sent (partitioned by business month), and the ledger of what was received.
-- Citus-ready: every table that holds a store's rows has store_id as the first column of every primary and unique key,
-- so they can be distributed by store_id; `stores` and `hq_migrations` are small shared (reference) tables.

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

-- Monthly partitions of the three sales tables for the months given (any day of the month will do).
-- Cheap when they exist; otherwise creates them under a lock so two head-office processes never race.
CREATE FUNCTION hq_ensure_month_partitions(days date[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  month date;
  parent text;
  part text;
  created integer := 0;
  locked boolean := false;
BEGIN
  FOR month IN SELECT DISTINCT date_trunc('month', d)::date FROM unnest(days) AS d WHERE d IS NOT NULL ORDER BY 1 LOOP
    FOREACH parent IN ARRAY ARRAY['sales', 'sale_lines', 'sale_payments'] LOOP
      part := format('%s_%s', parent, to_char(month, 'YYYY_MM'));
      IF to_regclass(part) IS NULL THEN
        IF NOT locked THEN
          PERFORM pg_advisory_xact_lock(hashtext('shopflow.hq.partitions'));
          locked := true;
        END IF;
        -- Another process may have made it while we waited for the lock (this function's catalog view can lag).
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                         part, parent, month, (month + interval '1 month')::date);
          created := created + 1;
        EXCEPTION WHEN duplicate_table THEN
          NULL;
        END;
      END IF;
    END LOOP;
  END LOOP;
  RETURN created;
END
$$;

-- The partitions a running head office keeps ahead of time: last month to three months on.
CREATE FUNCTION hq_create_partitions_ahead() RETURNS integer
LANGUAGE sql AS $$
  SELECT hq_ensure_month_partitions(ARRAY(
    SELECT generate_series(date_trunc('month', now()) - interval '1 month',
                           date_trunc('month', now()) + interval '3 months',
                           interval '1 month')::date))
$$;

-- Merge one batch of a store's outbox: this call is the one transaction of the batch (src/sync/hq/receiver.ts checks
-- the items first and passes them as JSON). Under the store's advisory lock: epoch, continuity, replays compared by
-- content hash, each new item's fate written once to the ledger, the merged sales inserted, last_seq advanced.
CREATE FUNCTION hq_receive_batch(
  p_store uuid, p_epoch text, p_from bigint, p_to bigint,
  p_items jsonb,     -- every item in order: {seq, kind, ref, content_hash, sale_id, reason, body}; reason/body when refused
  p_sales jsonb,     -- rows of the items that passed the checks, each with its seq; lines and payments carry it too
  p_lines jsonb,
  p_payments jsonb,
  p_reasons jsonb    -- the sentences for refusals decided here: changed, not_on_record, other_document
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_epoch text;
  v_last bigint;
  v_merged integer;
  v_count integer;
BEGIN
  -- An acknowledged batch must survive a crash, whatever the server's default.
  IF current_setting('synchronous_commit') = 'off' THEN
    PERFORM set_config('synchronous_commit', 'on', true);
  END IF;
  PERFORM pg_advisory_xact_lock(24336, hashtext(p_store::text)); -- 24336 = HQ_LOCK_NAMESPACE in db.ts

  SELECT epoch, last_seq INTO v_epoch, v_last FROM stores WHERE store_id = p_store;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'unknown_store');
  END IF;
  IF v_epoch IS NOT NULL AND v_epoch <> p_epoch THEN
    UPDATE stores SET last_contact_at = now(),
      restored_epoch_at = CASE WHEN restored_epoch IS DISTINCT FROM p_epoch THEN now() ELSE restored_epoch_at END,
      restored_epoch = p_epoch
    WHERE store_id = p_store;
    RETURN jsonb_build_object('outcome', 'epoch_mismatch', 'epoch', v_epoch, 'last_seq', v_last);
  END IF;
  IF p_from > v_last + 1 THEN
    UPDATE stores SET last_contact_at = now() WHERE store_id = p_store;
    RETURN jsonb_build_object('outcome', 'gap', 'last_seq', v_last);
  END IF;

  -- Items received before: the same content is a replay and changes nothing; other content is refused.
  INSERT INTO dead_letters (store_id, seq, content_hash, kind, reason, body)
  SELECT p_store, i.seq, i.content_hash, i.kind,
         CASE WHEN o.seq IS NULL THEN p_reasons->>'not_on_record' ELSE p_reasons->>'changed' END,
         coalesce(i.body, jsonb_build_object('seq', i.seq, 'kind', i.kind, 'ref', i.ref, 'hash', i.content_hash, 'payload',
           (SELECT s->'payload' FROM jsonb_array_elements(p_sales) AS s WHERE (s->>'seq')::bigint = i.seq)))
  FROM jsonb_to_recordset(p_items) AS i(seq bigint, kind text, ref text, content_hash text, body jsonb)
  LEFT JOIN outbox_items o ON o.store_id = p_store AND o.seq = i.seq
  WHERE i.seq <= v_last AND o.content_hash IS DISTINCT FROM i.content_hash
  ON CONFLICT DO NOTHING;

  -- New items: the fate of each, once. A sale already merged under another sequence number (before, or earlier in
  -- this batch) is a duplicate when its content is the same, and refused when it is not.
  INSERT INTO outbox_items (store_id, seq, kind, ref, content_hash, status)
  SELECT p_store, i.seq, i.kind, i.ref, i.content_hash,
    CASE
      WHEN i.reason IS NOT NULL THEN 'dead_letter'
      WHEN prior.content_hash IS NOT NULL THEN CASE WHEN prior.content_hash = i.content_hash THEN 'duplicate' ELSE 'dead_letter' END
      WHEN i.first_seq <> i.seq THEN CASE WHEN i.first_hash = i.content_hash THEN 'duplicate' ELSE 'dead_letter' END
      ELSE 'merged'
    END
  FROM (
    SELECT r.*, first_value(r.seq) OVER w AS first_seq, first_value(r.content_hash) OVER w AS first_hash
    FROM jsonb_to_recordset(p_items) AS r(seq bigint, kind text, ref text, content_hash text, sale_id uuid, reason text)
    WHERE r.seq > v_last
    WINDOW w AS (PARTITION BY r.kind, r.ref, r.reason IS NULL ORDER BY r.seq)
  ) AS i
  LEFT JOIN outbox_items prior
    ON i.reason IS NULL AND prior.store_id = p_store AND prior.kind = i.kind AND prior.ref = i.ref AND prior.status = 'merged';

  INSERT INTO dead_letters (store_id, seq, content_hash, kind, reason, body)
  SELECT p_store, i.seq, i.content_hash, i.kind, coalesce(i.reason, p_reasons->>'other_document'),
         coalesce(i.body, jsonb_build_object('seq', i.seq, 'kind', i.kind, 'ref', i.ref, 'hash', i.content_hash, 'payload',
           (SELECT s->'payload' FROM jsonb_array_elements(p_sales) AS s WHERE (s->>'seq')::bigint = i.seq)))
  FROM jsonb_to_recordset(p_items) AS i(seq bigint, kind text, ref text, content_hash text, reason text, body jsonb)
  JOIN outbox_items o ON o.store_id = p_store AND o.seq = i.seq AND o.status = 'dead_letter'
  WHERE i.seq > v_last
  ON CONFLICT DO NOTHING;

  SELECT count(*) INTO v_merged FROM outbox_items WHERE store_id = p_store AND seq > v_last AND status = 'merged';

  INSERT INTO sales (store_id, sale_id, business_date, receipt_number, register_id, opened_at, completed_at, subtotal_minor,
    total_minor, tax_minor, discount_minor, rounding_minor, paid_minor, change_minor, payload, content_hash, seq)
  SELECT p_store, r.sale_id, r.business_date, r.receipt_number, r.register_id, r.opened_at, r.completed_at, r.subtotal_minor,
    r.total_minor, r.tax_minor, r.discount_minor, r.rounding_minor, r.paid_minor, r.change_minor, r.payload, r.content_hash, r.seq
  FROM jsonb_to_recordset(p_sales) AS r(sale_id uuid, business_date date, receipt_number text, register_id integer,
    opened_at timestamptz, completed_at timestamptz, subtotal_minor bigint, total_minor bigint, tax_minor bigint,
    discount_minor bigint, rounding_minor bigint, paid_minor bigint, change_minor bigint, payload jsonb, content_hash text, seq bigint)
  JOIN outbox_items o ON o.store_id = p_store AND o.seq = r.seq AND o.status = 'merged'
  WHERE r.seq > v_last
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  -- The ledger decided which sales are new; if one is there already, something wrote behind its back: stop.
  IF v_count <> v_merged THEN
    RAISE EXCEPTION 'store %: % sales to merge, % inserted', p_store, v_merged, v_count;
  END IF;

  INSERT INTO sale_lines (store_id, sale_id, business_date, line_no, product_id, sku, barcode, name, qty_milli, weighed,
    unit_price_minor, original_price_minor, amount_minor, discount_minor, tax_class, tax_rate_bp, tax_minor, total_minor)
  SELECT p_store, r.sale_id, r.business_date, r.line_no, r.product_id, r.sku, r.barcode, r.name, r.qty_milli, r.weighed,
    r.unit_price_minor, r.original_price_minor, r.amount_minor, r.discount_minor, r.tax_class, r.tax_rate_bp, r.tax_minor, r.total_minor
  FROM jsonb_to_recordset(p_lines) AS r(seq bigint, sale_id uuid, business_date date, line_no integer, product_id bigint,
    sku text, barcode text, name text, qty_milli bigint, weighed boolean, unit_price_minor bigint, original_price_minor bigint,
    amount_minor bigint, discount_minor bigint, tax_class text, tax_rate_bp integer, tax_minor bigint, total_minor bigint)
  JOIN outbox_items o ON o.store_id = p_store AND o.seq = r.seq AND o.status = 'merged'
  WHERE r.seq > v_last
  ON CONFLICT DO NOTHING;

  INSERT INTO sale_payments (store_id, sale_id, business_date, n, method, amount_minor, card_brand, card_last4, auth_code, terminal_ref)
  SELECT p_store, r.sale_id, r.business_date, r.n, r.method, r.amount_minor, r.card_brand, r.card_last4, r.auth_code, r.terminal_ref
  FROM jsonb_to_recordset(p_payments) AS r(seq bigint, sale_id uuid, business_date date, n integer, method text,
    amount_minor bigint, card_brand text, card_last4 text, auth_code text, terminal_ref text)
  JOIN outbox_items o ON o.store_id = p_store AND o.seq = r.seq AND o.status = 'merged'
  WHERE r.seq > v_last
  ON CONFLICT DO NOTHING;

  UPDATE stores SET last_seq = greatest(last_seq, p_to), epoch = coalesce(epoch, p_epoch), last_contact_at = now()
  WHERE store_id = p_store
  RETURNING last_seq INTO v_last;
  RETURN jsonb_build_object('outcome', 'ok', 'last_seq', v_last);
END
$$;
