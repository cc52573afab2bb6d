-- A product as the back office keeps it: what it costs the shop (minor units), when to reorder (reorder_point: order
-- when on hand falls to it; reorder_level: what an order fills up to; thousandths, like stock_milli), where it sits
-- on the shop floor, whether it is taken back, and its other barcodes. `version` moves on with every change of its
-- details, whoever makes it (a page, a CSV import, a catalog release) but never with its stock, so a page saves only
-- over what it showed and a sale never meets a back-office edit.
ALTER TABLE products ADD COLUMN cost INTEGER CHECK (cost IS NULL OR cost >= 0);
ALTER TABLE products ADD COLUMN reorder_point INTEGER CHECK (reorder_point IS NULL OR reorder_point >= 0);
ALTER TABLE products ADD COLUMN reorder_level INTEGER CHECK (reorder_level IS NULL OR reorder_level >= 0);
ALTER TABLE products ADD COLUMN location TEXT;
ALTER TABLE products ADD COLUMN returnable INTEGER NOT NULL DEFAULT 1 CHECK (returnable IN (0, 1));
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- A product's barcodes besides products.barcode (a multipack, an old label): a scan finds the product by either, the
-- main one first. One probe of the primary key.
CREATE TABLE product_barcodes (
  barcode    TEXT PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX product_barcodes_product ON product_barcodes(product_id);

-- The back office's product list, paged by (name, id) at a million products, never by OFFSET: all of them by name
-- (the rowid closes every index, so each is in (name, id) order), the inactive ones, those at or under their reorder
-- point; a category's pages read products_category (category_id, name) from 001.
CREATE INDEX products_name ON products(name);
CREATE INDEX products_inactive ON products(name) WHERE active = 0;
CREATE INDEX products_low_stock ON products(name) WHERE reorder_point IS NOT NULL AND stock_milli <= reorder_point;

-- Any change of a product's details moves its version on, when the writer did not (an import, a catalog release).
CREATE TRIGGER products_version AFTER UPDATE OF sku, barcode, name, price, tax_class, category_id, weighed, active, cost, reorder_point,
  reorder_level, location, returnable ON products
  WHEN NEW.version = OLD.version AND (NEW.sku IS NOT OLD.sku OR NEW.barcode IS NOT OLD.barcode OR NEW.name IS NOT OLD.name
    OR NEW.price IS NOT OLD.price OR NEW.tax_class IS NOT OLD.tax_class OR NEW.category_id IS NOT OLD.category_id
    OR NEW.weighed IS NOT OLD.weighed OR NEW.active IS NOT OLD.active OR NEW.cost IS NOT OLD.cost
    OR NEW.reorder_point IS NOT OLD.reorder_point OR NEW.reorder_level IS NOT OLD.reorder_level
    OR NEW.location IS NOT OLD.location OR NEW.returnable IS NOT OLD.returnable)
BEGIN
  UPDATE products SET version = OLD.version + 1 WHERE id = NEW.id;
END;
