-- What each store tells head office about itself (src/sync/hq/ingest/store-facts.ts): the time zone of its calendar
-- and the public keys that sign its journal's closures; and head office's own zone, the default for a store that has
-- not said. Citus-ready: store_id first in every key.

-- Head office's time zone (hq --time-zone), written at each start (reports/store-hours.ts): one row.
CREATE TABLE hq_clock (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  time_zone text NOT NULL DEFAULT 'UTC'
);
INSERT INTO hq_clock DEFAULT VALUES;

-- time_zone: the IANA zone the store said (null: not yet; head office's zone stands in). hours_zone: the zone the
-- store's rows in rollup_hours are in now: hq_receive_batch adds in it, and when the store's zone is learned or
-- changes (or head office's, for a store that never said) they are all made again from the raw sales in the new one.
CREATE TABLE store_facts (
  store_id        uuid PRIMARY KEY REFERENCES stores (store_id),
  time_zone       text,
  hours_zone      text NOT NULL,
  zone_changed_at timestamptz
);

-- Every journal key a store has told, never dropped: a closure names the key that signed it (its fingerprint, the
-- SHA-256 of the key's DER), so closures signed before a new key (a data folder lost, a store rebuilt) still hold.
CREATE TABLE store_journal_keys (
  store_id      uuid NOT NULL REFERENCES stores (store_id),
  fingerprint   text NOT NULL,
  public_pem    text NOT NULL,
  first_told_at timestamptz NOT NULL DEFAULT now(),
  last_told_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, fingerprint)
);

-- The closures of each store's journal as received, with what their signature was found to be: waiting (the store has
-- told no key yet: checked when it does), holds, or broken (the chain is flagged at that entry, as for a hash).
CREATE TABLE store_journal_closures (
  store_id  uuid NOT NULL REFERENCES stores (store_id),
  epoch     text NOT NULL,
  seq       bigint NOT NULL,
  kind      text NOT NULL,
  ref       text NOT NULL,
  prev_hash text NOT NULL,
  data      text NOT NULL,
  signature text NOT NULL CHECK (signature IN ('waiting', 'holds', 'broken')),
  PRIMARY KEY (store_id, epoch, seq)
);
CREATE INDEX store_journal_closures_waiting ON store_journal_closures (store_id) WHERE signature = 'waiting';

-- An hour of the hour rollup is now the hour on the store's own clock (wall-clock time, no zone): so the chain's rows
-- add up stores of different zones by their local hours. Until now each was the UTC hour it began: the UTC clock,
-- which every store keeps until its zone (or head office's) is known.
ALTER TABLE rollup_hours ALTER COLUMN hour TYPE timestamp USING hour AT TIME ZONE 'UTC';
INSERT INTO store_facts (store_id, hours_zone) SELECT store_id, 'UTC' FROM stores;
