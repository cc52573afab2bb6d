-- Guards that hold whatever path a row takes in: what a dead letter may keep, and how sign-in failures are counted.

-- A dead letter keeps at most 64 KB of an item's payload (DEAD_LETTER_KEEPS in src/sync/hq/dead-letter.ts). Bodies made
-- there are cut already, with card numbers masked; the ones hq_receive_batch builds from a checked document (an item the
-- ledger refuses: changed, not on record, another version of a sale) are cut here, with the same sentence. Those
-- documents passed the checks, card numbers included, so cutting them anywhere is safe.
CREATE FUNCTION hq_cut_text(p_text text, p_max_bytes integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_chars integer := least(length(p_text), p_max_bytes);
  v_over integer;
BEGIN
  LOOP
    v_over := octet_length(left(p_text, v_chars)) - p_max_bytes;
    EXIT WHEN v_over <= 0;
    -- a character is 1 to 4 bytes: dropping a quarter of the excess in characters never drops too much
    v_chars := v_chars - greatest(1, v_over / 4);
  END LOOP;
  RETURN left(p_text, v_chars);
END
$$;

CREATE FUNCTION hq_dead_letter_kept() RETURNS trigger
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

CREATE TRIGGER dead_letters_kept BEFORE INSERT ON dead_letters FOR EACH ROW EXECUTE FUNCTION hq_dead_letter_kept();

-- Sign-in attempts per name (lower case, as typed: a name nobody has is counted exactly like a real one, so the answers
-- never tell which names exist) and network address. Five in a row that are not the right password pause that name at
-- that address for 15 minutes: a stranger elsewhere cannot lock a person out. `signed_in_at`: the last right password
-- from there, which lets the address through when the whole name is under attack (hq_sign_in_names).
CREATE TABLE hq_sign_in_tries (
  name_key     text NOT NULL,
  address      text NOT NULL,
  tries        integer NOT NULL,  -- since the last right password, or since the last pause ran out
  locked_at    timestamptz,       -- set by the fifth try; the pause runs from here
  last_try_at  timestamptz NOT NULL,
  signed_in_at timestamptz,
  PRIMARY KEY (name_key, address)
);
CREATE INDEX hq_sign_in_tries_last ON hq_sign_in_tries (last_try_at);

-- Wrong passwords for a name from every address, per hour: past the account-wide limit (only reached when many
-- addresses guess one name) the name is paused for addresses it has not signed in from lately.
CREATE TABLE hq_sign_in_names (
  name_key     text PRIMARY KEY,
  failures     integer NOT NULL,
  window_start timestamptz NOT NULL
);

-- The per-user counter these replace let anyone lock a user out from everywhere, and answered only for real names.
ALTER TABLE hq_users DROP COLUMN failed_attempts, DROP COLUMN locked_until;
