-- Catalog releases: head office publishes changes with gapless versions; stores pull them in order and apply each
-- atomically. A small shared table (a Citus reference table when distributed).
CREATE TABLE catalog_releases (
  version      bigint PRIMARY KEY,
  published_at timestamptz NOT NULL DEFAULT now(),
  effective_at timestamptz NOT NULL,
  note         text NOT NULL DEFAULT '',
  changes      jsonb NOT NULL
);
