-- Every token a rotation replaced keeps working until its own grace ends: a store given two new tokens in one day
-- sells and sends on with the first until its manager types the newest, instead of being locked out by the second
-- rotation. Replaces 015's one previous token per store (carried over here, then dropped). A token past its grace is
-- refused as before; rows past their grace are cleared at the store's next rotation.
-- Citus-ready: the store's rows, store_id first in the key; looked up by the token's hash alone.
CREATE TABLE store_old_tokens (
  store_id    uuid NOT NULL REFERENCES stores (store_id),
  token_hash  text NOT NULL,
  replaced_at timestamptz NOT NULL,
  works_until timestamptz NOT NULL,
  PRIMARY KEY (store_id, token_hash)
);
CREATE INDEX store_old_tokens_by_hash ON store_old_tokens (token_hash);

INSERT INTO store_old_tokens (store_id, token_hash, replaced_at, works_until)
  SELECT store_id, previous_token_hash, coalesce(token_rotated_at, previous_token_until - interval '24 hours'), previous_token_until
  FROM stores WHERE previous_token_hash IS NOT NULL AND previous_token_until IS NOT NULL;

ALTER TABLE stores DROP COLUMN previous_token_hash, DROP COLUMN previous_token_until;
