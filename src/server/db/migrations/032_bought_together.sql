-- Frequently bought together (issue 16): how often products and pairs of products were in the same basket, counted
-- from completed sales in the background (server/reports/together-counts.ts), never in a sale's own transaction.
-- The counter reads sales in the order of their journal entries ('sale.completed', append-only and gapless), so every
-- completed sale is counted once whatever the clock did; last_seq is the last journal entry it has read, and moves on
-- in the same transaction as the counts it added.
CREATE TABLE together_cursor (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
  baskets  INTEGER NOT NULL CHECK (baskets >= 0),   -- completed sales counted as baskets
  skipped  INTEGER NOT NULL CHECK (skipped >= 0),   -- sales too large to say anything about pairs (not in baskets)
  min_baskets INTEGER                                -- the minimum the rules were worked out with (null: none yet)
) STRICT;
INSERT INTO together_cursor(id, last_seq, baskets, skipped, min_baskets) VALUES (1, 0, 0, 0, NULL);

-- Baskets with each product, and how many it had when its rules were last worked out (they are worked out again after
-- enough more baskets: together-counts.ts).
CREATE TABLE together_products (
  product_id INTEGER PRIMARY KEY,
  baskets    INTEGER NOT NULL CHECK (baskets > 0),
  ruled      INTEGER NOT NULL DEFAULT 0 CHECK (ruled >= 0)
) STRICT;

-- Baskets with both products of a pair, the smaller id first; the second index finds a product's pairs either way.
CREATE TABLE together_pairs (
  a       INTEGER NOT NULL,
  b       INTEGER NOT NULL,
  baskets INTEGER NOT NULL CHECK (baskets > 0),
  PRIMARY KEY (a, b),
  CHECK (a < b)
) STRICT, WITHOUT ROWID;
CREATE INDEX together_pairs_b ON together_pairs(b, a, baskets);

-- The strongest rules from each product (rank 1 best), worked out again after its counts change: the register's
-- suggestion is one indexed read of these.
CREATE TABLE together_rules (
  product_id INTEGER NOT NULL,
  rank       INTEGER NOT NULL CHECK (rank >= 1),
  other_id   INTEGER NOT NULL,
  together   INTEGER NOT NULL CHECK (together > 0),
  support    REAL NOT NULL,
  confidence REAL NOT NULL,
  lift       REAL NOT NULL,
  PRIMARY KEY (product_id, rank)
) STRICT, WITHOUT ROWID;
-- the report: the strongest rules of the store in its order, read from the top
CREATE INDEX together_rules_strongest ON together_rules(lift DESC, confidence DESC, together DESC, product_id, other_id);

-- Products whose rules are to be worked out again (their counts changed, or the minimum changed).
CREATE TABLE together_stale (
  product_id INTEGER PRIMARY KEY
) STRICT, WITHOUT ROWID;
