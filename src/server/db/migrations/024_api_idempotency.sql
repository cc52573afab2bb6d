-- An Idempotency-Key of the JSON API may make products and stock documents too: a product, a bulk upsert of products,
-- a delivery, an adjustment. `kind` says what the key made and `made` its id (sale_id and return_id stay for sales
-- and returns, whose replies are read back from them); a bulk upsert keeps the answer it gave (`reply`), since which
-- rows it added and which it changed cannot be read back later. The table is made anew: sale_id may now be empty.
CREATE TABLE idempotency_keys_024 (
  token_id     INTEGER NOT NULL REFERENCES api_tokens(id),
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('sale', 'return', 'product', 'products', 'delivery', 'adjustment')),
  sale_id      TEXT REFERENCES sales(id),
  return_id    TEXT REFERENCES returns(id),
  made         TEXT,
  reply        TEXT,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (token_id, key),
  CHECK ((kind IN ('sale', 'return')) = (sale_id IS NOT NULL))
) STRICT, WITHOUT ROWID;

INSERT INTO idempotency_keys_024(token_id, key, request_hash, kind, sale_id, return_id, created_at)
  SELECT token_id, key, request_hash, CASE WHEN return_id IS NULL THEN 'sale' ELSE 'return' END, sale_id, return_id, created_at
  FROM idempotency_keys;

DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_024 RENAME TO idempotency_keys;
