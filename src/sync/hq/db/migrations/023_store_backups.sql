-- The copies of their databases the stores send (shopflow backup, the nightly backup with backup_to_head_office=1):
-- the last few per store, kept in PostgreSQL itself rather than in a folder on the head-office machine, so they are
-- in the chain's own PostgreSQL backups and replicas, work with head office on several machines behind a balancer, go
-- with the store's rows when it is distributed (Citus: store_id first in every key; large objects could not be), and
-- are written and removed in transactions (no file without its row, no row without its file).
-- A copy arrives as 1 MiB chunks, written as they are read, so neither side holds a whole database in memory; it
-- counts only once complete. Gzipped already: stored as it is, never compressed again (STORAGE EXTERNAL).
CREATE TABLE store_backups (
  store_id    uuid NOT NULL REFERENCES stores (store_id),
  backup_id   bigint GENERATED ALWAYS AS IDENTITY,
  name        text NOT NULL,
  taken_at    timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  bytes       bigint NOT NULL DEFAULT 0,
  sha256      text,
  complete    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (store_id, backup_id)
);

CREATE TABLE store_backup_chunks (
  store_id  uuid NOT NULL,
  backup_id bigint NOT NULL,
  n         integer NOT NULL,
  bytes     bytea NOT NULL,
  PRIMARY KEY (store_id, backup_id, n),
  FOREIGN KEY (store_id, backup_id) REFERENCES store_backups (store_id, backup_id) ON DELETE CASCADE
);
ALTER TABLE store_backup_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
