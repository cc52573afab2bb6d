-- When a product's shelf price last changed, so "shelf labels for prices changed since Monday" is one probe of an
-- index. Kept by triggers, not by the code that writes prices: a manager's save, a CSV import and a head-office catalog
-- release all change prices, and so may whatever comes next; a trigger is the one place none of them can skip.
ALTER TABLE products ADD COLUMN price_changed_at TEXT;

-- Products already here: when they were last changed at all is the best we know. A label too many beats one missing.
UPDATE products SET price_changed_at = updated_at;

CREATE INDEX products_price_changed ON products(price_changed_at);

-- A trigger cannot read the app's clock. Every writer of prices moves updated_at with it (from the app's clock), so
-- that is the time taken; a writer that changes the price and not updated_at gets SQLite's own time instead (UTC, the
-- same ISO form), which is good enough to say which day a label went stale.
CREATE TRIGGER products_price_changed AFTER UPDATE OF price ON products
  WHEN NEW.price IS NOT OLD.price
BEGIN
  UPDATE products
     SET price_changed_at = CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at
                                 ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
   WHERE id = NEW.id;
END;

-- A new product needs a label too: its price counts as changed when it was added.
CREATE TRIGGER products_price_new AFTER INSERT ON products
  WHEN NEW.price_changed_at IS NULL
BEGIN
  UPDATE products SET price_changed_at = NEW.updated_at WHERE id = NEW.id;
END;
