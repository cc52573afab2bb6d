-- Head office's limits on the stores' backup copies (backups/backups.ts), set by an admin on a store's backups page
-- for every store: how many complete copies are kept per store, and the largest copy taken (gzipped bytes). One row;
-- the CHECKs are the bounds the form states, so no writer can put the limits out of range. The defaults are the
-- limits head office had as constants before.
CREATE TABLE hq_backup_limits (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  copies_kept integer NOT NULL DEFAULT 3 CHECK (copies_kept BETWEEN 1 AND 30),
  max_bytes   bigint NOT NULL DEFAULT 1073741824 CHECK (max_bytes BETWEEN 1048576 AND 10737418240),
  changed_at  timestamptz NOT NULL DEFAULT now(),
  changed_by  text
);
INSERT INTO hq_backup_limits DEFAULT VALUES;
