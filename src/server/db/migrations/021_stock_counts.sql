-- Stock counts: a count over the whole store, a category or a shelf location, counted from any number of devices into
-- one sheet, then approved (a 'count' movement per difference, stock_movements.document naming the count) or cancelled.
--
-- No snapshot of on-hand is taken when a count opens (a whole-store count would copy a million rows). What the books
-- expected of a product is read from the ledger instead: on-hand less the movements after the one its line last saw
-- (counted_through, the highest stock_movements.id when it was last scanned or set). Sales and deliveries before a
-- product was counted are in what its shelf held; those after it are not — so a sale while counting is never a variance.
-- Approval writes the expected and the cost beside each line, so the report of an approved count never moves again.
CREATE TABLE stock_counts (
  id             TEXT PRIMARY KEY,
  scope_kind     TEXT NOT NULL CHECK (scope_kind IN ('all', 'category', 'location')),
  scope_value    TEXT,                        -- the category's id, or the location; NULL for the whole store
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'cancelled')),
  opened_at      TEXT NOT NULL,
  opened_by      INTEGER REFERENCES users(id),
  opened_through INTEGER NOT NULL,            -- the last stock movement before the count opened
  changes        INTEGER NOT NULL DEFAULT 0,  -- moves on with every scan, so an approval is of the sheet its approver saw
  approved_at    TEXT,
  approved_by    INTEGER REFERENCES users(id),  -- the manager when one approved, else who approved it
  cancelled_at   TEXT,
  cancelled_by   INTEGER REFERENCES users(id),
  uncounted      TEXT CHECK (uncounted IS NULL OR uncounted IN ('zero', 'leave')),  -- the choice made on approval
  value          INTEGER,                     -- the differences at cost, found and missing alike (minor units)
  note           TEXT
) STRICT;
-- the list: open counts first, the latest first
CREATE INDEX stock_counts_listed ON stock_counts(status <> 'open', opened_at DESC);

CREATE TABLE count_lines (
  count_id        TEXT NOT NULL REFERENCES stock_counts(id),
  product_id      INTEGER NOT NULL REFERENCES products(id),
  counted_milli   INTEGER NOT NULL CHECK (counted_milli >= 0),
  counted_through INTEGER NOT NULL,           -- the last stock movement when the line was last scanned or set
  counted_at      TEXT NOT NULL,
  expected_milli  INTEGER,                    -- written on approval: what the books expected
  unit_cost       INTEGER,                    -- written on approval: the cost it was valued at (NULL: none)
  uncounted       INTEGER NOT NULL DEFAULT 0 CHECK (uncounted IN (0, 1)),  -- nobody counted it; approval took it as zero
  PRIMARY KEY (count_id, product_id)
) STRICT, WITHOUT ROWID;
-- the sheet shows the latest counted first
CREATE INDEX count_lines_latest ON count_lines(count_id, counted_at DESC);

-- a count by location finds its products, and the start page lists the locations in use, by this index
CREATE INDEX products_location ON products(location) WHERE location IS NOT NULL;
