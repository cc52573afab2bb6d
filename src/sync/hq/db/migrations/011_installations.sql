-- A store's id and token belong to one installation of the store server: a random id its database file is made with.
-- A restored copy of that file is the same installation (its new epoch is offered to an admin as today); a second
-- server set up with the same id and token is another installation, a clone: refused, recorded here, never merged.
--
-- stores.installation_id: the installation head office heard from first (stores from before this: the first batch
-- that names one). An admin moves the store to another installation when its server is replaced.
ALTER TABLE stores ADD COLUMN installation_id text;
-- What the refused batches of the reported restored epoch carry (counts, totals, time range, how much of it head office
-- holds already), so the admin who accepts it sees what will be merged.
ALTER TABLE stores ADD COLUMN restored_summary jsonb;

-- Each other installation that used a store's credentials: when first and last, under which epoch (none from a catalog
-- pull), how many exchanges it tried and how many items wait there. Kept after the store is moved away from it, as the record of what happened.
CREATE TABLE store_clones (
  store_id        uuid NOT NULL REFERENCES stores (store_id),
  installation_id text NOT NULL,
  epoch           text,
  outbox_top      bigint,
  batches         bigint NOT NULL DEFAULT 1,
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, installation_id)
);

-- Who moved a store to another installation (its server replaced), when, and from which.
CREATE TABLE installation_changes (
  store_id            uuid NOT NULL REFERENCES stores (store_id),
  old_installation_id text,
  new_installation_id text NOT NULL,
  moved_by            text NOT NULL,
  at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX installation_changes_store ON installation_changes (store_id, at);
