-- Each store's journal as head office checks it on arrival (src/sync/hq/journal/): the hash of every entry received,
-- per store database (epoch), and how far the chain holds — or the first entry where it broke, for the dashboard.
-- Citus-ready: store_id first in every key.
CREATE TABLE store_journal (
  store_id uuid NOT NULL REFERENCES stores (store_id),
  epoch    text NOT NULL,
  seq      bigint NOT NULL,
  at       text NOT NULL,
  kind     text NOT NULL,
  hash     text NOT NULL,
  PRIMARY KEY (store_id, epoch, seq)
);

CREATE TABLE store_journal_state (
  store_id      uuid NOT NULL REFERENCES stores (store_id),
  epoch         text NOT NULL,
  last_seq      bigint NOT NULL DEFAULT 0,
  last_hash     text NOT NULL,
  broken_seq    bigint,
  broken_reason text,
  broken_at     timestamptz,
  checked_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, epoch)
);
