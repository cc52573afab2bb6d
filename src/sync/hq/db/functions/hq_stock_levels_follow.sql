-- A store's stock levels follow the movements one batch added (hq_receive_batch calls this in the batch's transaction,
-- right after merging them): per product, the on-hand after the last movement added. Only rows really added count —
-- movements held already (sent again by a restored store) were skipped by ON CONFLICT and never move a level back — and
-- a store's batches merge in its outbox order, so the last added is the store's latest word.
--
-- Low stock is told as it happens: a product going to or under its reorder point, moving while there, or coming back
-- above it sends a notice on channel low_stock (JSON: store_id, sku, name, on_hand_milli, reorder_point_milli, low).
-- PostgreSQL delivers notices when the batch commits, never for one rolled back; the dashboard's /events streams listen
-- (src/sync/hq/live/). A notice stays under PostgreSQL's 8000 bytes: sku and name are cut. Returns how many were sent.
CREATE OR REPLACE FUNCTION hq_stock_levels_follow(p_store uuid, p_epoch text, p_after_seq bigint, p_to_seq bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_notices text[];
  v_notice text;
BEGIN
  WITH added AS (
    SELECT DISTINCT ON (m.sku) m.sku, m.name, m.on_hand_milli, m.reorder_point_milli, m.movement_id, m.moved_at
    FROM hq_stock_movements m
    WHERE m.store_id = p_store AND m.epoch = p_epoch AND m.seq > p_after_seq AND m.seq <= p_to_seq
    ORDER BY m.sku, m.seq DESC, m.movement_id DESC
  ), before AS (
    -- the levels as they were: every part of one statement sees the same snapshot, the upsert below included
    SELECT l.sku, l.low, l.on_hand_milli, l.reorder_point_milli
    FROM stock_levels l JOIN added a ON l.store_id = p_store AND l.sku = a.sku
  ), level AS (
    INSERT INTO stock_levels AS l (store_id, sku, name, on_hand_milli, reorder_point_milli, movement_id, moved_at, updated_at)
    SELECT p_store, a.sku, a.name, a.on_hand_milli, a.reorder_point_milli, a.movement_id, a.moved_at, now() FROM added a
    ON CONFLICT (store_id, sku) DO UPDATE SET
      name = EXCLUDED.name, on_hand_milli = EXCLUDED.on_hand_milli, reorder_point_milli = EXCLUDED.reorder_point_milli,
      movement_id = EXCLUDED.movement_id, moved_at = EXCLUDED.moved_at, updated_at = EXCLUDED.updated_at
    RETURNING l.sku, l.name, l.on_hand_milli, l.reorder_point_milli, l.low
  )
  SELECT array_agg(json_build_object('store_id', p_store, 'sku', left(n.sku, 200), 'name', left(n.name, 200),
      'on_hand_milli', n.on_hand_milli, 'reorder_point_milli', n.reorder_point_milli, 'low', n.low)::text ORDER BY n.sku)
  INTO v_notices
  FROM level n LEFT JOIN before b ON b.sku = n.sku
  WHERE n.low IS DISTINCT FROM coalesce(b.low, false)
    OR (n.low AND (n.on_hand_milli, n.reorder_point_milli) IS DISTINCT FROM (b.on_hand_milli, b.reorder_point_milli));

  FOREACH v_notice IN ARRAY coalesce(v_notices, '{}') LOOP
    PERFORM pg_notify('low_stock', v_notice);
  END LOOP;
  RETURN coalesce(array_length(v_notices, 1), 0);
END
$$;
