-- The stock ledger: every change of a product's on-hand is a movement — sale, return, write-off, delivery, count,
-- adjustment, transfer, opening — naming who, why and the document it belongs to; on-hand is kept with it in the same
-- transaction, and equals the sum of the product's movements (inventory/ledger.ts checks it).
ALTER TABLE stock_movements ADD COLUMN user_id INTEGER REFERENCES users(id);
ALTER TABLE stock_movements ADD COLUMN note TEXT;
ALTER TABLE stock_movements ADD COLUMN document TEXT;   -- the adjustment, delivery or count it belongs to
CREATE INDEX stock_movements_history ON stock_movements(product_id, id);

-- What each product had before the ledger (a CSV import or the demo set it): an opening movement, so that from here on
-- on-hand is the sum of the movements.
INSERT INTO stock_movements(product_id, qty_milli, reason, at)
  SELECT p.id, p.stock_milli - coalesce((SELECT sum(m.qty_milli) FROM stock_movements m WHERE m.product_id = p.id), 0), 'opening',
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM products p
  WHERE p.stock_milli <> coalesce((SELECT sum(m.qty_milli) FROM stock_movements m WHERE m.product_id = p.id), 0);

-- A product made with stock on hand (an import, the demo, a test's seed) opens its ledger with it.
CREATE TRIGGER products_opening_stock AFTER INSERT ON products WHEN NEW.stock_milli <> 0
BEGIN
  INSERT INTO stock_movements(product_id, qty_milli, reason, at) VALUES (NEW.id, NEW.stock_milli, 'opening', NEW.updated_at);
END;

-- Why stock is adjusted by hand, as the shop words it; `sign`: -1 takes stock off (damaged), +1 puts it on (found), 0
-- either way.
CREATE TABLE adjustment_reasons (
  code     TEXT PRIMARY KEY,
  label    TEXT NOT NULL,
  sign     INTEGER NOT NULL CHECK (sign IN (-1, 0, 1)),
  position INTEGER NOT NULL
) STRICT;
INSERT INTO adjustment_reasons(code, label, sign, position) VALUES
  ('damaged', 'Damaged', -1, 1),
  ('expired', 'Past its date', -1, 2),
  ('theft', 'Theft or loss', -1, 3),
  ('own_use', 'Own use', -1, 4),
  ('found', 'Found', 1, 5),
  ('correction', 'Correction', 0, 6);
