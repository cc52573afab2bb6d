-- Price lists by region: a region's price for a product holds at every store of the region, over the chain's; a
-- store's own price holds over its region's. Regions, their prices and which store is in which are changed in the
-- draft and published with a release, like every other price.
CREATE TABLE regions (
  region_id  bigserial PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text
);
CREATE UNIQUE INDEX regions_name ON regions (lower(name));

-- the region a store is in as published last (NULL: none; the chain's prices and its own)
ALTER TABLE stores ADD COLUMN region_id bigint REFERENCES regions (region_id);

-- a region's prices as published last
CREATE TABLE region_prices (
  region_id bigint NOT NULL REFERENCES regions (region_id),
  sku       text NOT NULL,
  price     integer NOT NULL CHECK (price >= 0),
  version   bigint NOT NULL,
  PRIMARY KEY (region_id, sku)
);

-- the region prices each release changes (price NULL: back to the chain's), whatever stores the region has then
CREATE TABLE catalog_release_region_prices (
  region_id bigint NOT NULL REFERENCES regions (region_id),
  version   bigint NOT NULL REFERENCES catalog_releases (version),
  sku       text NOT NULL,
  price     integer CHECK (price >= 0),
  PRIMARY KEY (region_id, version, sku)
);

-- the store moves each release makes, so a store's region at any time is the move of the latest release in effect
CREATE TABLE catalog_release_regions (
  store_id  uuid NOT NULL REFERENCES stores (store_id),
  version   bigint NOT NULL REFERENCES catalog_releases (version),
  region_id bigint REFERENCES regions (region_id),
  PRIMARY KEY (store_id, version)
);

-- a release's rows for each store now come in two layers: the store's own ('store'), and its region's ('region', with
-- the region they are of, so a store that has moved on sets aside a late row of the region it left)
ALTER TABLE catalog_release_prices ADD COLUMN layer text NOT NULL DEFAULT 'store' CHECK (layer IN ('store', 'region'));
ALTER TABLE catalog_release_prices ADD COLUMN region_id bigint REFERENCES regions (region_id);
ALTER TABLE catalog_release_prices DROP CONSTRAINT catalog_release_prices_pkey;
ALTER TABLE catalog_release_prices ADD PRIMARY KEY (store_id, version, layer, sku);

ALTER TABLE catalog_draft_changes DROP CONSTRAINT catalog_draft_changes_kind_check;
ALTER TABLE catalog_draft_changes ADD CONSTRAINT catalog_draft_changes_kind_check
  CHECK (kind IN ('tax_class', 'product', 'store_price', 'region_price', 'store_region'));
