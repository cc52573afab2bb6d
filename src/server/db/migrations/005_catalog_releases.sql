-- Catalog releases from head office waiting for their effective time; applied in version order, each in one transaction.
CREATE TABLE pending_catalog_releases (
  version      INTEGER PRIMARY KEY,
  effective_at TEXT NOT NULL,
  changes      TEXT NOT NULL
) STRICT;
