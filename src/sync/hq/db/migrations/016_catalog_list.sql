-- The catalog at chain scale. Releases keep whole items in jsonb, which is right for sending them to the stores but no
-- way to page a million products: catalog_products holds each product as published last (the release with the highest
-- version that carries it), kept by a trigger on catalog_releases (functions/hq_catalog_products_follow.sql), with an
-- index per filter of the catalog page so every page is a keyset range scan of at most 51 rows.
CREATE TABLE catalog_products (
  sku          text PRIMARY KEY,
  name         text NOT NULL,
  tax_class    text NOT NULL,
  category     text,
  active       boolean NOT NULL,
  item         jsonb NOT NULL,
  version      bigint NOT NULL,
  effective_at timestamptz NOT NULL,
  -- when the release that last carried it was published: "changed since" on the catalog page
  changed_at   timestamptz NOT NULL
);
CREATE INDEX catalog_products_by_name ON catalog_products (lower(name), sku);
CREATE INDEX catalog_products_by_category ON catalog_products (category, lower(name), sku);
CREATE INDEX catalog_products_by_tax_class ON catalog_products (tax_class, lower(name), sku);
CREATE INDEX catalog_products_by_active ON catalog_products (active, lower(name), sku);
CREATE INDEX catalog_products_by_change ON catalog_products (changed_at, lower(name), sku);

INSERT INTO catalog_products (sku, name, tax_class, category, active, item, version, effective_at, changed_at)
SELECT DISTINCT ON (e.p->>'sku') e.p->>'sku', e.p->>'name', e.p->>'tax_class', nullif(e.p->>'category', ''),
  coalesce((e.p->>'active')::boolean, true), e.p, r.version, r.effective_at, r.published_at
FROM catalog_releases r, jsonb_array_elements(r.changes->'products') WITH ORDINALITY AS e(p, n)
ORDER BY e.p->>'sku', r.version DESC, e.n DESC;

-- The tax classes as published last, likewise: the catalog page lists them on every request, and folding them out of
-- releases that hold 50,000 products each would read every release whole.
CREATE TABLE catalog_tax_classes (
  code         text PRIMARY KEY,
  item         jsonb NOT NULL,
  version      bigint NOT NULL,
  effective_at timestamptz NOT NULL
);
INSERT INTO catalog_tax_classes (code, item, version, effective_at)
SELECT DISTINCT ON (e.t->>'code') e.t->>'code', e.t, r.version, r.effective_at
FROM catalog_releases r, jsonb_array_elements(r.changes->'tax_classes') WITH ORDINALITY AS e(t, n)
ORDER BY e.t->>'code', r.version DESC, e.n DESC;

-- Price lists: a store's own price for a product, over the chain's, for that store only. Edited into the draft (kind
-- store_price, one change per store and product) and published with the release; each release says which stores'
-- prices it changes (price null: back to the chain's price), and a store pulling gets its own rows only.
ALTER TABLE catalog_draft_changes DROP CONSTRAINT catalog_draft_changes_kind_check;
ALTER TABLE catalog_draft_changes ADD CONSTRAINT catalog_draft_changes_kind_check CHECK (kind IN ('tax_class', 'product', 'store_price'));
CREATE TABLE catalog_release_prices (
  store_id uuid NOT NULL REFERENCES stores (store_id),
  version  bigint NOT NULL REFERENCES catalog_releases (version),
  sku      text NOT NULL,
  price    integer CHECK (price >= 0),
  PRIMARY KEY (store_id, version, sku)
);
-- Each store's prices as published last (a row per store and product with its own price): what the dashboard shows.
CREATE TABLE store_prices (
  store_id uuid NOT NULL REFERENCES stores (store_id),
  sku      text NOT NULL,
  price    integer NOT NULL CHECK (price >= 0),
  version  bigint NOT NULL,
  PRIMARY KEY (store_id, sku)
);

-- The CSV import checks that a barcode is not another product's: by index, not by reading a million products.
CREATE INDEX catalog_products_by_barcode ON catalog_products ((item->>'barcode')) WHERE item->>'barcode' IS NOT NULL;
