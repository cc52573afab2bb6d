-- Running a store from its page: retiring it, and rotating its token without stopping its sales.
-- retired_at/retired_by: the store is retired (closed, or replaced by another registration): its token no longer works
-- and it leaves the overview's problems, but its sales, returns and audit lines stay. Re-activating clears both.
-- previous_token_hash/previous_token_until: the token a rotation replaced keeps working until then, so the store sells
-- and sends on while someone types the new one into its Devices page or command line. One previous token at a time:
-- rotating again within the grace ends the older one at once.
ALTER TABLE stores
  ADD COLUMN retired_at           timestamptz,
  ADD COLUMN retired_by           text,
  ADD COLUMN previous_token_hash  text UNIQUE,
  ADD COLUMN previous_token_until timestamptz,
  ADD COLUMN token_rotated_at     timestamptz;
