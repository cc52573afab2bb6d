-- A customer brings a receipt of one store to another: head office finds the sale by its receipt number, and what
-- every store has already given back of it, each with an index probe per monthly partition.
CREATE INDEX sales_receipt ON sales (receipt_number);
-- Returns of a sale by any store (hq_returns_sale starts with the returning store's id, which the asker does not know).
CREATE INDEX hq_returns_of_sale ON hq_returns (sale_id) WHERE sale_id IS NOT NULL;

-- A return without a receipt is against no sale: it has neither the sale nor its receipt number. origin_store_id: the
-- store that sold the goods, when it is another store of the chain (null: this store, or unknown).
ALTER TABLE hq_returns
  ALTER COLUMN sale_id DROP NOT NULL,
  ALTER COLUMN receipt_number DROP NOT NULL,
  ADD COLUMN origin_store_id uuid;
