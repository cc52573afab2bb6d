-- Low stock, as it happens: a product whose on-hand falls from above its reorder point to at or below it leaves a row
-- here, written by the trigger in the same transaction as the change — a sale, a return's write-off, an adjustment, a
-- count, a delivery's correction, an import, whatever code path moved it — so no path can forget to say so. The live
-- channel (server/live) reads the rows after the last it saw, right after each commit and once a second, and tells the
-- back office; old rows are pruned there. Crossing is said once: a sale further below says nothing new until stock
-- has risen above the point again. No foreign key: the row is a message, and a sale never pays for an index on it.
CREATE TABLE low_stock_events (
  id            INTEGER PRIMARY KEY,
  product_id    INTEGER NOT NULL,
  on_hand_milli INTEGER NOT NULL,
  reorder_point INTEGER NOT NULL,
  at            TEXT NOT NULL
) STRICT;

-- Only a change of stock_milli runs it, and its WHEN is three comparisons on the row being written: the sale's UPDATE
-- pays nothing it would notice unless the product crosses its point.
CREATE TRIGGER products_low_stock_crossed AFTER UPDATE OF stock_milli ON products
  WHEN NEW.reorder_point IS NOT NULL AND NEW.stock_milli <= NEW.reorder_point AND OLD.stock_milli > NEW.reorder_point
BEGIN
  INSERT INTO low_stock_events(product_id, on_hand_milli, reorder_point, at)
    VALUES (NEW.id, NEW.stock_milli, NEW.reorder_point, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
