-- Items in open and parked sales are spoken for: the shelf still holds them, but they are not there to sell to the next
-- customer. One row per sale and product, written with the sale's events in their transaction and gone when the sale
-- completes (its stock movement takes over) or is cancelled. available = on hand − reserved.
CREATE TABLE stock_reservations (
  sale_id    TEXT NOT NULL REFERENCES sales(id),
  product_id INTEGER NOT NULL,
  qty_milli  INTEGER NOT NULL CHECK (qty_milli > 0),
  PRIMARY KEY (sale_id, product_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stock_reservations_product ON stock_reservations(product_id);
