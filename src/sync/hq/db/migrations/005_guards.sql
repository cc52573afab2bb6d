-- Guards that hold whatever path a row takes in: what a dead letter may keep, and how sign-in failures are counted.
-- The first is the trigger dead_letters_kept, in ../functions/hq_dead_letter_kept.sql with its function.

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
