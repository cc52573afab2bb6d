-- Favourites pages of quick keys, arranged by a manager (back office, Quick keys): each page an ordered list of
-- products, shown at every register as the first tabs, before the category tabs. Positions count from 1 and are kept
-- without gaps by the actions that change them (src/server/quick-keys/actions.ts).
CREATE TABLE quick_key_pages (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  position   INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE quick_key_page_products (
  page_id    INTEGER NOT NULL REFERENCES quick_key_pages(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  PRIMARY KEY (page_id, product_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX quick_key_page_products_order ON quick_key_page_products(page_id, position);
