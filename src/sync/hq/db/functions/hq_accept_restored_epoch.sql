-- Before 011_installations.sql it took no word on a live epoch: a database upgraded from then still holds that
-- signature (a second function of this name), so it goes.
DROP FUNCTION IF EXISTS hq_accept_restored_epoch(uuid, text, text);

-- Accept the database a store reported as restored (stores.restored_epoch): it becomes the store's epoch, with
-- nothing received yet, so the store sends its outbox again from 1. What the old epoch sent stays in the ledger; the
-- change is recorded with who made it. Under the store's lock, so no batch is half-way meanwhile.
-- The current epoch is still live when an item of it arrived within p_live_minutes: another server may still be
-- selling under it, so it is retired only when the admin says so (p_retire_live).
CREATE OR REPLACE FUNCTION hq_accept_restored_epoch(
  p_store uuid, p_epoch text, p_by text, p_retire_live boolean DEFAULT false, p_live_minutes integer DEFAULT 15
)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_epoch text;
  v_last bigint;
  v_reported text;
  v_heard timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock({{HQ_LOCK_NAMESPACE}}, hashtext(p_store::text));
  SELECT epoch, last_seq, restored_epoch INTO v_epoch, v_last, v_reported FROM stores WHERE store_id = p_store;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'unknown_store');
  END IF;
  IF v_reported IS DISTINCT FROM p_epoch THEN
    RETURN jsonb_build_object('outcome', 'not_reported', 'reported', v_reported);
  END IF;
  -- An epoch head office held before would meet its own sequence numbers again.
  IF EXISTS (SELECT 1 FROM outbox_items WHERE store_id = p_store AND epoch = p_epoch)
     OR EXISTS (SELECT 1 FROM epoch_changes WHERE store_id = p_store AND p_epoch IN (old_epoch, new_epoch)) THEN
    RETURN jsonb_build_object('outcome', 'held_before');
  END IF;
  -- the last item of the current epoch, by the ledger's key
  SELECT received_at INTO v_heard FROM outbox_items WHERE store_id = p_store AND epoch = v_epoch ORDER BY seq DESC LIMIT 1;
  IF NOT p_retire_live AND v_heard > now() - make_interval(mins => p_live_minutes) THEN
    RETURN jsonb_build_object('outcome', 'live', 'heard_at', v_heard);
  END IF;
  INSERT INTO epoch_changes (store_id, old_epoch, new_epoch, old_last_seq, accepted_by)
  VALUES (p_store, v_epoch, p_epoch, v_last, p_by);
  UPDATE stores SET epoch = p_epoch, last_seq = 0, restored_epoch = NULL, restored_epoch_at = NULL, restored_summary = NULL
  WHERE store_id = p_store;
  RETURN jsonb_build_object('outcome', 'ok', 'old_epoch', v_epoch, 'old_last_seq', v_last);
END
$$;
