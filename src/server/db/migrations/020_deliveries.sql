-- Deliveries received: who took them in, from which supplier, and each line's quantity and unit cost. Committing one
-- writes a 'delivery' movement per line naming it (stock_movements.document) and moves each product's cost to the
-- moving average, in the same transaction.
CREATE TABLE deliveries (
  id          TEXT PRIMARY KEY,
  at          TEXT NOT NULL,
  supplier    TEXT NOT NULL,
  reference   TEXT,                      -- the supplier's delivery note number
  user_id     INTEGER REFERENCES users(id),
  lines       INTEGER NOT NULL,
  total_cost  INTEGER NOT NULL           -- minor units, the sum of qty × unit cost
) STRICT;
CREATE INDEX deliveries_at ON deliveries(at);

CREATE TABLE delivery_lines (
  delivery_id TEXT NOT NULL REFERENCES deliveries(id),
  n           INTEGER NOT NULL,
  product_id  INTEGER NOT NULL REFERENCES products(id),
  qty_milli   INTEGER NOT NULL CHECK (qty_milli > 0),
  unit_cost   INTEGER CHECK (unit_cost IS NULL OR unit_cost >= 0),   -- per unit (per kg when weighed); NULL: not given
  PRIMARY KEY (delivery_id, n)
) STRICT, WITHOUT ROWID;
