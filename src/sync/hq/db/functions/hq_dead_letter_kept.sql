-- A dead letter keeps at most 64 KB of an item's payload (DEAD_LETTER_KEEPS in src/sync/hq/ingest/dead-letter.ts). Bodies
-- made there are cut already, with card numbers masked; the ones hq_receive_batch builds from a checked document (an
-- item the ledger refuses: changed, not on record, another version of a sale) are cut here, with the same sentence.
-- Those documents passed the checks, card numbers included, so cutting them anywhere is safe.
CREATE OR REPLACE FUNCTION hq_dead_letter_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_payload text := CASE jsonb_typeof(NEW.body->'payload') WHEN 'string' THEN NEW.body->>'payload' ELSE (NEW.body->'payload')::text END;
  v_kept text;
BEGIN
  IF v_payload IS NULL OR octet_length(v_payload) <= 65536 THEN
    RETURN NEW;
  END IF;
  v_kept := hq_cut_text(v_payload, 65536);
  NEW.body := NEW.body || jsonb_build_object('payload', v_kept,
    'cut', format('head office kept the first %s of %s bytes of this payload',
      to_char(octet_length(v_kept), 'FM999,999,999,990'), to_char(octet_length(v_payload), 'FM999,999,999,990')));
  RETURN NEW;
END
$$;

-- Its trigger, kept beside it: the migrations run before this file, so 005 could no longer create it.
CREATE OR REPLACE TRIGGER dead_letters_kept BEFORE INSERT ON dead_letters FOR EACH ROW EXECUTE FUNCTION hq_dead_letter_kept();
