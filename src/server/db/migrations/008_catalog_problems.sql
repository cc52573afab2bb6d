-- What the store could not take from a head-office release, so it is shown (register, Devices, /healthz) and reported to
-- head office instead of blocking every later release: a product whose barcode another product of the store holds.
CREATE TABLE catalog_problems (
  sku          TEXT PRIMARY KEY,               -- the head-office product that did not get its barcode
  version      INTEGER NOT NULL,               -- the release that asked for it
  barcode      TEXT NOT NULL,
  held_by_sku  TEXT NOT NULL,                  -- the store's product that holds the barcode
  held_by_name TEXT NOT NULL,
  at           TEXT NOT NULL
) STRICT;
