-- Before 003_ingest.sql it took the sale rows, lines and payments as three jsonb arrays: a database upgraded from
-- then still holds that signature (a second function of this name), so it goes.
DROP FUNCTION IF EXISTS hq_receive_batch(uuid, text, bigint, bigint, jsonb, jsonb, jsonb, jsonb, jsonb);

-- Merge one batch of a store's outbox: this call is the one transaction of the batch (src/sync/hq/ingest/receiver.ts
-- checks the items first). Under the store's advisory lock: epoch, continuity, replays compared by content hash, each
-- new item's fate written once to the ledger, what was merged inserted, last_seq advanced.
CREATE OR REPLACE FUNCTION hq_receive_batch(
  p_store uuid, p_epoch text, p_from bigint, p_to bigint,
  -- Every item in order, seq p_from to p_to: {seq, kind, ref, hash} and either day (the business date of a document
  -- that passed the checks) or reason and body (why it was refused, and the item as sent).
  p_items jsonb,
  -- The checked documents as JSON text in the same order, separated by U+001E (which JSON text never holds raw), an
  -- empty string for a refused item. Each is parsed once, when it is merged: faster than one jsonb of the whole batch.
  p_docs text,
  p_reasons jsonb  -- the sentences for refusals decided here: changed, not_on_record, other_document by kind
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_epoch text;
  v_last bigint;
  v_changed jsonb;
  v_refused bigint;
  v_merged bigint;
  v_inserted bigint;
  v_returns bigint;
  v_returned bigint;
  v_docs jsonb;
  v_zone text;
BEGIN
  -- An acknowledged batch must survive a crash, whatever the server's default.
  IF current_setting('synchronous_commit') = 'off' THEN
    PERFORM set_config('synchronous_commit', 'on', true);
  END IF;
  PERFORM pg_advisory_xact_lock({{HQ_LOCK_NAMESPACE}}, hashtext(p_store::text));

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

  -- Items received before: the same content is a replay and changes nothing; other content is refused, and the
  -- answer names those sequence numbers (the store is then an older copy of itself).
  IF p_from <= v_last THEN
    SELECT jsonb_agg(i.seq ORDER BY i.seq) FILTER (WHERE o.content_hash IS NOT NULL), count(*)
    INTO v_changed, v_refused
    FROM jsonb_to_recordset(p_items) AS i(seq bigint, hash text)
    -- Lateral with a limit: one probe per item, never a scan of everything the store sent.
    LEFT JOIN LATERAL (
      SELECT content_hash FROM outbox_items WHERE store_id = p_store AND epoch = p_epoch AND seq = i.seq LIMIT 1
    ) o ON true
    WHERE i.seq <= v_last AND o.content_hash IS DISTINCT FROM i.hash;
    IF v_refused > 0 THEN
      v_docs := hq_batch_documents(p_docs);
      INSERT INTO dead_letters (store_id, epoch, seq, content_hash, kind, reason, body)
      SELECT p_store, p_epoch, i.seq, i.hash, i.kind,
        CASE WHEN o.content_hash IS NULL THEN p_reasons->>'not_on_record' ELSE p_reasons->>'changed' END,
        coalesce(i.body, jsonb_build_object('seq', i.seq, 'kind', i.kind, 'ref', i.ref, 'hash', i.hash,
          'payload', v_docs->(i.seq - p_from)::int))
      FROM jsonb_to_recordset(p_items) AS i(seq bigint, kind text, ref text, hash text, body jsonb)
      LEFT JOIN LATERAL (
        SELECT content_hash FROM outbox_items WHERE store_id = p_store AND epoch = p_epoch AND seq = i.seq LIMIT 1
      ) o ON true
      WHERE i.seq <= v_last AND o.content_hash IS DISTINCT FROM i.hash
      ON CONFLICT DO NOTHING;
    END IF;
  END IF;

  -- The zone the store's hour rollup is kept in (migrations/025_store_facts.sql): its own once it said, else head
  -- office's, remembered so that every hour of the store is on one clock until it is made again in another.
  SELECT hours_zone INTO v_zone FROM store_facts WHERE store_id = p_store;
  IF v_zone IS NULL THEN
    SELECT time_zone INTO v_zone FROM hq_clock;
    INSERT INTO store_facts (store_id, hours_zone) VALUES (p_store, v_zone) ON CONFLICT DO NOTHING;
  END IF;

  -- New items, in one statement: the fate of each written once to the ledger, and what it merged inserted from the
  -- document. A sale, return or shift already merged under another sequence number (before, or earlier in this batch)
  -- is a duplicate when its content is the same, and refused when it is not. Day totals are snapshots: all are merged.
  WITH sent AS (
    SELECT i.seq, i.kind, i.ref, i.hash, i.reason,
      first_value(i.seq) OVER w AS first_seq, first_value(i.hash) OVER w AS first_hash
    FROM jsonb_to_recordset(p_items) AS i(seq bigint, kind text, ref text, hash text, reason text)
    WHERE i.seq > v_last
    WINDOW w AS (PARTITION BY i.kind, i.ref, i.reason IS NULL ORDER BY i.seq)
  ), fate AS (
    SELECT s.seq, s.kind, s.ref, s.hash,
      CASE
        WHEN s.reason IS NOT NULL THEN 'dead_letter'
        WHEN s.kind = 'day_totals' THEN 'merged'
        WHEN prior.content_hash IS NOT NULL THEN CASE WHEN prior.content_hash = s.hash THEN 'duplicate' ELSE 'dead_letter' END
        WHEN s.first_seq <> s.seq THEN CASE WHEN s.first_hash = s.hash THEN 'duplicate' ELSE 'dead_letter' END
        ELSE 'merged'
      END AS status
    FROM sent s
    LEFT JOIN LATERAL (
      SELECT p.content_hash FROM outbox_items p
      WHERE s.reason IS NULL AND p.store_id = p_store AND p.kind = s.kind AND p.ref = s.ref
        AND p.status = 'merged' AND p.kind <> 'day_totals'
      LIMIT 1
    ) prior ON true
  ), ledger AS (
    INSERT INTO outbox_items (store_id, epoch, seq, kind, ref, content_hash, status)
    SELECT p_store, p_epoch, f.seq, f.kind, f.ref, f.hash, f.status FROM fate f
  ), flags AS (
    -- Whether each new item (seq v_last + 1 on, in order) is merged: read by position rather than joined, as the
    -- planner cannot know how many items a batch holds.
    SELECT array_agg(f.status = 'merged' ORDER BY f.seq) AS merged,
      count(*) FILTER (WHERE f.status = 'merged' AND f.kind = 'sale') AS sales,
      count(*) FILTER (WHERE f.status = 'merged' AND f.kind = 'return') AS returns,
      count(*) FILTER (WHERE f.status = 'dead_letter') AS refused
    FROM fate f
  ), merged AS NOT MATERIALIZED (
    SELECT i.seq, i.kind, i.ref, i.hash, i.day, d.doc
    FROM string_to_table(p_docs, E'\x1e') WITH ORDINALITY AS d(doc, n)
    CROSS JOIN LATERAL jsonb_to_record(p_items->(d.n - 1)::int) AS i(seq bigint, kind text, ref text, hash text, day date)
    WHERE p_from + d.n - 1 > v_last AND (SELECT merged FROM flags)[p_from + d.n - 1 - v_last]
  ), sold AS MATERIALIZED (
    -- each document parsed once; sales apart, so their lines and payments do not read past the reports
    SELECT m.seq, m.ref, m.hash, m.day, m.doc::jsonb AS doc FROM merged m WHERE m.kind = 'sale'
  ), reported AS MATERIALIZED (
    -- everything else: returns, day totals, closed shifts (fewer than sales, so one pass over the batch serves them all)
    SELECT m.seq, m.kind, m.ref, m.hash, m.day, m.doc::jsonb AS doc FROM merged m WHERE m.kind <> 'sale'
  ), sale AS (
    INSERT INTO sales (store_id, sale_id, business_date, receipt_number, register_id, opened_at, completed_at,
      subtotal_minor, total_minor, tax_minor, discount_minor, rounding_minor, paid_minor, change_minor, payload,
      content_hash, epoch, seq)
    SELECT p_store, m.ref::uuid, m.day, d.receipt_number, d.register_id, d.opened_at, d.completed_at,
      d.subtotal, d.total, d.tax_total, d.discount_total, d.rounding, d.paid, d.change, m.doc, m.hash, p_epoch, m.seq
    FROM sold m
    CROSS JOIN LATERAL jsonb_to_record(m.doc) AS d(receipt_number text, register_id integer, opened_at timestamptz,
      completed_at timestamptz, subtotal bigint, total bigint, tax_total bigint, discount_total bigint, rounding bigint,
      paid bigint, change bigint)
    RETURNING sale_id, business_date, completed_at, subtotal_minor, discount_minor, total_minor, tax_minor, rounding_minor,
      change_minor
  ), line AS (
    INSERT INTO sale_lines (store_id, sale_id, business_date, line_no, product_id, sku, barcode, name, qty_milli, weighed,
      unit_price_minor, original_price_minor, amount_minor, discount_minor, tax_class, tax_rate_bp, tax_minor, total_minor)
    SELECT p_store, m.ref::uuid, m.day, l.line_no, l.product_id, l.sku, l.barcode, l.name, round(l.qty * 1000)::bigint,
      l.weighed, l.unit_price, l.original_price, l.amount, l.discount, l.tax_class, l.tax_rate_bp, l.tax, l.total
    FROM sold m
    CROSS JOIN LATERAL jsonb_to_recordset(m.doc->'lines') AS l(line_no integer, product_id bigint, sku text, barcode text,
      name text, qty numeric, weighed boolean, unit_price bigint, original_price bigint, amount bigint, discount bigint,
      tax_class text, tax_rate_bp integer, tax bigint, total bigint)
    RETURNING sale_id, business_date, sku, name, qty_milli, amount_minor, discount_minor, total_minor, tax_minor
  ), payment AS (
    INSERT INTO sale_payments (store_id, sale_id, business_date, n, method, amount_minor, card_brand, card_last4,
      auth_code, terminal_ref)
    SELECT p_store, m.ref::uuid, m.day, p.n, p.method, p.amount, p.card_brand, p.card_last4, p.auth_code, p.terminal_ref
    FROM sold m
    CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(m.doc->'payments') AS (method text, amount bigint, card_brand text,
      card_last4 text, auth_code text, terminal_ref text)) WITH ORDINALITY AS p(method, amount, card_brand, card_last4,
      auth_code, terminal_ref, n)
    RETURNING business_date, method, amount_minor
  ), ret AS (
    -- ON CONFLICT DO NOTHING, and counted: the ledger decided these are new, so a row already there stops the batch
    -- below rather than being skipped in silence.
    INSERT INTO hq_returns (store_id, return_id, business_date, return_number, sale_id, receipt_number, origin_store_id,
      register_id, returned_at, reason_code, reason, total_minor, tax_minor, rounding_minor, payload, content_hash, epoch, seq)
    SELECT p_store, m.ref::uuid, m.day, d.return_number, d.sale_id, d.receipt_number, d.origin_store_id, d.register_id, d.at,
      d.reason_code, d.reason, d.total, d.tax_total, d.rounding, m.doc, m.hash, p_epoch, m.seq
    FROM reported m
    CROSS JOIN LATERAL jsonb_to_record(m.doc) AS d(return_number text, sale_id uuid, receipt_number text, origin_store_id uuid,
      register_id integer, at timestamptz, reason_code text, reason text, total bigint, tax_total bigint, rounding bigint)
    WHERE m.kind = 'return'
    ON CONFLICT DO NOTHING
    RETURNING business_date, returned_at, total_minor, tax_minor
  ), ret_line AS (
    INSERT INTO hq_return_lines (store_id, return_id, business_date, line_no, product_id, sku, name, qty_milli,
      refund_minor, tax_class, tax_rate_bp, tax_minor, restock)
    SELECT p_store, m.ref::uuid, m.day, l.line_no, l.product_id, l.sku, l.name, round(l.qty * 1000)::bigint, l.refund,
      l.tax_class, l.tax_rate_bp, l.tax, l.restock
    FROM reported m
    CROSS JOIN LATERAL jsonb_to_recordset(m.doc->'lines') AS l(line_no integer, product_id bigint, sku text, name text,
      qty numeric, refund bigint, tax_class text, tax_rate_bp integer, tax bigint, restock boolean)
    WHERE m.kind = 'return'
    ON CONFLICT DO NOTHING
    RETURNING business_date, sku, name, qty_milli, refund_minor, tax_minor
  ), ret_refund AS (
    INSERT INTO hq_return_refunds (store_id, return_id, business_date, n, method, amount_minor, card_brand, card_last4,
      auth_code, terminal_ref)
    SELECT p_store, m.ref::uuid, m.day, p.n, p.method, p.amount, p.card_brand, p.card_last4, p.auth_code, p.terminal_ref
    FROM reported m
    CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(m.doc->'refunds') AS (method text, amount bigint, card_brand text,
      card_last4 text, auth_code text, terminal_ref text)) WITH ORDINALITY AS p(method, amount, card_brand, card_last4,
      auth_code, terminal_ref, n)
    WHERE m.kind = 'return'
    ON CONFLICT DO NOTHING
    RETURNING business_date, method, amount_minor
  ), moved AS MATERIALIZED (
    -- The report rollups (migrations/021_report_rollups.sql), from the rows this statement inserted and nothing else:
    -- a replayed or duplicate item inserted none, so it adds nothing. Each key once per statement, hence the sums. The
    -- product and hour rollups also add to the chain's rows (store id 00000000-...: every store's together).
    SELECT l.business_date AS day, l.sku, max(l.name) AS name, sum(l.qty_milli) AS qty, sum(l.amount_minor) AS gross,
      sum(l.discount_minor) AS discount, sum(l.total_minor) AS sold, sum(l.tax_minor) AS tax, count(*) AS lines,
      0 AS rqty, 0 AS refund, 0 AS rtax, 0 AS rlines
    FROM line l GROUP BY 1, 2
    UNION ALL
    SELECT r.business_date, r.sku, max(r.name), 0, 0, 0, 0, 0, 0, sum(r.qty_milli), sum(r.refund_minor), sum(r.tax_minor), count(*)
    FROM ret_line r GROUP BY 1, 2
  ), roll_sales AS (
    INSERT INTO rollup_sales AS t (store_id, business_day, sku, name, qty_milli, gross_minor, discount_minor, sales_minor,
      tax_minor, lines, returned_qty_milli, refund_minor, refund_tax_minor, return_lines)
    SELECT w.id, day, sku, max(name), sum(qty), sum(gross), sum(discount), sum(sold), sum(tax), sum(lines), sum(rqty),
      sum(refund), sum(rtax), sum(rlines)
    FROM moved CROSS JOIN (VALUES (p_store), ('00000000-0000-0000-0000-000000000000'::uuid)) AS w(id) GROUP BY w.id, day, sku
    -- the chain's rows are every store's: taken in key order, so two stores' batches never wait on each other in a circle
    ORDER BY w.id, day, sku
    ON CONFLICT (store_id, business_day, sku) DO UPDATE SET name = excluded.name,
      qty_milli = t.qty_milli + excluded.qty_milli, gross_minor = t.gross_minor + excluded.gross_minor,
      discount_minor = t.discount_minor + excluded.discount_minor, sales_minor = t.sales_minor + excluded.sales_minor,
      tax_minor = t.tax_minor + excluded.tax_minor, lines = t.lines + excluded.lines,
      returned_qty_milli = t.returned_qty_milli + excluded.returned_qty_milli, refund_minor = t.refund_minor + excluded.refund_minor,
      refund_tax_minor = t.refund_tax_minor + excluded.refund_tax_minor, return_lines = t.return_lines + excluded.return_lines
  ), roll_months AS (
    INSERT INTO rollup_sales_months AS t (store_id, month, sku, name, qty_milli, gross_minor, discount_minor, sales_minor,
      tax_minor, lines, returned_qty_milli, refund_minor, refund_tax_minor, return_lines)
    SELECT w.id, date_trunc('month', day)::date, sku, max(name), sum(qty), sum(gross), sum(discount), sum(sold), sum(tax),
      sum(lines), sum(rqty), sum(refund), sum(rtax), sum(rlines)
    FROM moved CROSS JOIN (VALUES (p_store), ('00000000-0000-0000-0000-000000000000'::uuid)) AS w(id) GROUP BY w.id, 2, sku
    ORDER BY w.id, 2, sku
    ON CONFLICT (store_id, month, sku) DO UPDATE SET name = excluded.name,
      qty_milli = t.qty_milli + excluded.qty_milli, gross_minor = t.gross_minor + excluded.gross_minor,
      discount_minor = t.discount_minor + excluded.discount_minor, sales_minor = t.sales_minor + excluded.sales_minor,
      tax_minor = t.tax_minor + excluded.tax_minor, lines = t.lines + excluded.lines,
      returned_qty_milli = t.returned_qty_milli + excluded.returned_qty_milli, refund_minor = t.refund_minor + excluded.refund_minor,
      refund_tax_minor = t.refund_tax_minor + excluded.refund_tax_minor, return_lines = t.return_lines + excluded.return_lines
  ), baskets AS MATERIALIZED (
    -- each sale and return by the hour it was made on the store's clock: the hour and day rollups
    SELECT s.business_date AS day, date_trunc('hour', s.completed_at AT TIME ZONE v_zone) AS hour, 1 AS baskets,
      coalesce(i.items, 0) AS items, s.subtotal_minor AS gross, s.discount_minor AS discount, s.total_minor AS sold,
      s.tax_minor AS tax, s.rounding_minor AS rounding, s.change_minor AS change, 0 AS returns, 0 AS refund, 0 AS rtax
    FROM sale s
    LEFT JOIN (SELECT l.sale_id, sum(l.qty_milli) AS items FROM line l GROUP BY 1) i ON i.sale_id = s.sale_id
    UNION ALL
    SELECT r.business_date, date_trunc('hour', r.returned_at AT TIME ZONE v_zone), 0, 0, 0, 0, 0, 0, 0, 0, 1, r.total_minor, r.tax_minor
    FROM ret r
  ), roll_hours AS (
    INSERT INTO rollup_hours AS t (store_id, business_day, hour, baskets, items_milli, gross_minor, discount_minor, sales_minor,
      tax_minor, rounding_minor, change_minor, returns, refund_minor, refund_tax_minor)
    SELECT w.id, day, hour, sum(baskets), sum(items), sum(gross), sum(discount), sum(sold), sum(tax), sum(rounding),
      sum(change), sum(returns), sum(refund), sum(rtax)
    FROM baskets CROSS JOIN (VALUES (p_store), ('00000000-0000-0000-0000-000000000000'::uuid)) AS w(id) GROUP BY w.id, day, hour
    ORDER BY w.id, day, hour
    ON CONFLICT (store_id, business_day, hour) DO UPDATE SET baskets = t.baskets + excluded.baskets,
      items_milli = t.items_milli + excluded.items_milli, gross_minor = t.gross_minor + excluded.gross_minor,
      discount_minor = t.discount_minor + excluded.discount_minor, sales_minor = t.sales_minor + excluded.sales_minor,
      tax_minor = t.tax_minor + excluded.tax_minor, rounding_minor = t.rounding_minor + excluded.rounding_minor,
      change_minor = t.change_minor + excluded.change_minor, returns = t.returns + excluded.returns,
      refund_minor = t.refund_minor + excluded.refund_minor, refund_tax_minor = t.refund_tax_minor + excluded.refund_tax_minor
  ), roll_days AS (
    INSERT INTO rollup_days AS t (store_id, business_day, baskets, items_milli, gross_minor, discount_minor, sales_minor,
      tax_minor, rounding_minor, change_minor, returns, refund_minor, refund_tax_minor)
    SELECT p_store, day, sum(baskets), sum(items), sum(gross), sum(discount), sum(sold), sum(tax), sum(rounding),
      sum(change), sum(returns), sum(refund), sum(rtax)
    FROM baskets GROUP BY day
    ON CONFLICT (store_id, business_day) DO UPDATE SET baskets = t.baskets + excluded.baskets,
      items_milli = t.items_milli + excluded.items_milli, gross_minor = t.gross_minor + excluded.gross_minor,
      discount_minor = t.discount_minor + excluded.discount_minor, sales_minor = t.sales_minor + excluded.sales_minor,
      tax_minor = t.tax_minor + excluded.tax_minor, rounding_minor = t.rounding_minor + excluded.rounding_minor,
      change_minor = t.change_minor + excluded.change_minor, returns = t.returns + excluded.returns,
      refund_minor = t.refund_minor + excluded.refund_minor, refund_tax_minor = t.refund_tax_minor + excluded.refund_tax_minor
  ), roll_tenders AS (
    INSERT INTO rollup_tenders AS t (store_id, business_day, method, payments, paid_minor, refunds, refunded_minor)
    SELECT p_store, day, method, sum(payments), sum(paid), sum(refunds), sum(refunded)
    FROM (
      SELECT p.business_date AS day, p.method, 1 AS payments, p.amount_minor AS paid, 0 AS refunds, 0 AS refunded FROM payment p
      UNION ALL
      SELECT r.business_date, r.method, 0, 0, 1, r.amount_minor FROM ret_refund r
    ) x
    GROUP BY day, method
    ON CONFLICT (store_id, business_day, method) DO UPDATE SET payments = t.payments + excluded.payments,
      paid_minor = t.paid_minor + excluded.paid_minor, refunds = t.refunds + excluded.refunds,
      refunded_minor = t.refunded_minor + excluded.refunded_minor
  ), day_total AS (
    INSERT INTO store_day_totals (store_id, epoch, seq, business_date, sales_count, total_minor, tax_minor, discount_minor,
      rounding_minor, refund_minor, returns_count, computed_at, payload, content_hash)
    SELECT p_store, p_epoch, m.seq, m.day, d.sales_count, d.total_minor, d.tax_minor, d.discount_minor, d.rounding_minor,
      d.refund_minor, d.returns_count, d.computed_at, m.doc, m.hash
    FROM reported m
    CROSS JOIN LATERAL jsonb_to_record(m.doc) AS d(sales_count integer, total_minor bigint, tax_minor bigint,
      discount_minor bigint, rounding_minor bigint, refund_minor bigint, returns_count integer, computed_at timestamptz)
    WHERE m.kind = 'day_totals'
  ), shift AS (
    INSERT INTO shift_closures (store_id, shift_id, epoch, seq, register_id, business_date, opened_at, closed_at,
      opened_by, closed_by, opening_float, sales_count, sales_total, discount_total, rounding_total, cancelled_count,
      refund_total, tax_total, cash_in, cash_out, no_sales, cash_sales, expected_cash, counted_cash, over_short,
      payload, content_hash)
    SELECT p_store, d.shift_id, p_epoch, m.seq, d.register_id, m.day, d.opened_at, d.closed_at, d.opened_by,
      d.closed_by, d.opening_float, d.sales_count, d.sales_total, d.discount_total, d.rounding_total, d.cancelled_count,
      d.refund_total, d.tax_total, d.cash_in, d.cash_out, d.no_sales, d.cash_sales, d.expected_cash, d.counted_cash,
      d.over_short, m.doc, m.hash
    FROM reported m
    CROSS JOIN LATERAL jsonb_to_record(m.doc) AS d(shift_id bigint, register_id integer, opened_at timestamptz, closed_at timestamptz,
      opened_by text, closed_by text, opening_float bigint, sales_count integer, sales_total bigint,
      discount_total bigint, rounding_total bigint, cancelled_count integer, refund_total bigint, tax_total bigint,
      cash_in bigint, cash_out bigint, no_sales integer, cash_sales bigint, expected_cash bigint, counted_cash bigint,
      over_short bigint)
    WHERE m.kind = 'shift_closed'
  ), stock AS (
    -- stock movements, each with its product's name and reorder point from the batch; one the store sent before (a
    -- restored store sends again) is held already and skipped. The levels follow below (hq_stock_levels_follow).
    INSERT INTO hq_stock_movements (store_id, movement_id, moved_at, sku, name, qty_milli, reason, on_hand_milli,
      reorder_point_milli, sale_id, return_id, document, epoch, seq)
    SELECT p_store, s.id, s.at, s.sku, p.name, s.qty_milli, s.reason, s.on_hand_milli, p.reorder_point_milli, s.sale_id,
      s.return_id, s.document, p_epoch, m.seq
    FROM reported m
    CROSS JOIN LATERAL jsonb_to_recordset(m.doc->'movements') AS s(id bigint, at timestamptz, sku text, reason text,
      qty_milli bigint, on_hand_milli bigint, sale_id uuid, return_id uuid, document text)
    JOIN LATERAL jsonb_to_recordset(m.doc->'products') AS p(sku text, name text, reorder_point_milli bigint) ON p.sku = s.sku
    WHERE m.kind = 'stock_movements'
    ON CONFLICT DO NOTHING
  )
  SELECT (SELECT sales FROM flags), (SELECT count(*) FROM sale), (SELECT refused FROM flags), (SELECT returns FROM flags),
    (SELECT count(*) FROM ret)
  INTO v_merged, v_inserted, v_refused, v_returns, v_returned;
  -- The ledger decided which sales and returns are new; every one must have become a row (a sale row already there
  -- would have stopped the statement on its key, a return row left out is counted here): the batch is rolled back.
  IF v_inserted <> v_merged THEN
    RAISE EXCEPTION 'store %: % sales to merge, % inserted', p_store, v_merged, v_inserted;
  END IF;
  IF v_returned <> v_returns THEN
    RAISE EXCEPTION 'store %: % returns to merge, % inserted', p_store, v_returns, v_returned;
  END IF;
  -- each product's level from the stock movements just merged, and the low-stock notices, sent when this commits
  PERFORM hq_stock_levels_follow(p_store, p_epoch, v_last, p_to);

  -- The refused new items, with the reason and the item as sent: a document refused here is kept as it was read.
  IF v_refused > 0 THEN
    v_docs := coalesce(v_docs, hq_batch_documents(p_docs));
    INSERT INTO dead_letters (store_id, epoch, seq, content_hash, kind, reason, body)
    SELECT p_store, p_epoch, o.seq, o.content_hash, o.kind,
      coalesce(i->>'reason', p_reasons->'other_document'->>o.kind),
      coalesce(i->'body', jsonb_build_object('seq', o.seq, 'kind', o.kind, 'ref', o.ref, 'hash', o.content_hash,
        'payload', v_docs->(o.seq - p_from)::int))
    FROM outbox_items o
    CROSS JOIN LATERAL (SELECT p_items->(o.seq - p_from)::int AS i) AS sent
    WHERE o.store_id = p_store AND o.epoch = p_epoch AND o.seq > v_last AND o.seq <= p_to AND o.status = 'dead_letter'
    ON CONFLICT DO NOTHING;
  END IF;

  UPDATE stores SET last_seq = greatest(last_seq, p_to), epoch = coalesce(epoch, p_epoch), last_contact_at = now()
  WHERE store_id = p_store
  RETURNING last_seq INTO v_last;
  RETURN jsonb_build_object('outcome', 'ok', 'last_seq', v_last, 'changed', v_changed);
END
$$;
