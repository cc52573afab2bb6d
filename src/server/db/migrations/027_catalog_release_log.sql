-- Catalog releases from head office, kept from the pull on: each takes effect at its own effective time, field by
-- field (the release with the latest effective time that has passed wins; at equal times the higher version). Applied
-- ones are kept too, so a release that arrives late for an earlier time can see what it must not undo.
CREATE TABLE catalog_release_log (
  version      INTEGER PRIMARY KEY,
  effective_at TEXT NOT NULL,
  changes      TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  applied_at   TEXT
) STRICT;
CREATE INDEX catalog_release_log_by_effect ON catalog_release_log(effective_at, version);
CREATE INDEX catalog_release_log_waiting ON catalog_release_log(effective_at, version) WHERE applied_at IS NULL;

INSERT INTO catalog_release_log(version, effective_at, changes, received_at)
  SELECT version, effective_at, changes, '' FROM pending_catalog_releases;
DROP TABLE pending_catalog_releases;
