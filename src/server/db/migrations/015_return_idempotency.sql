-- An Idempotency-Key of the JSON API may make a return too: the key then names the return (and, in sale_id, the sale it
-- took goods back from), so a retried POST /api/v1/returns answers with the same return.
ALTER TABLE idempotency_keys ADD COLUMN return_id TEXT REFERENCES returns(id);
