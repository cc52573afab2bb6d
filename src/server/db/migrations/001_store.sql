-- The store database: settings, catalog, sales (events + read models), stock, outbox, journal, API tokens.
-- Money is integer minor units; quantities are integer thousandths (qty_milli: 1 unit = 1000, 0.250 kg = 250).

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE tax_classes (
  code    TEXT PRIMARY KEY,
  name    TEXT NOT NULL,
  rate_bp INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000) -- basis points: 2000 = 20 %
) STRICT;

CREATE TABLE categories (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  sku         TEXT NOT NULL UNIQUE,
  barcode     TEXT UNIQUE,
  name        TEXT NOT NULL,
  price       INTEGER NOT NULL CHECK (price >= 0),          -- per unit, or per kg when weighed
  tax_class   TEXT NOT NULL REFERENCES tax_classes(code),
  category_id INTEGER REFERENCES categories(id),
  stock_milli INTEGER NOT NULL DEFAULT 0,
  weighed     INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0, 1)),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX products_category ON products(category_id, name);

-- Name/SKU/barcode search. External content: the products table is the source, triggers keep it in step.
CREATE VIRTUAL TABLE products_fts USING fts5(
  name, sku, barcode,
  content = 'products', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE TRIGGER products_ai AFTER INSERT ON products BEGIN
  INSERT INTO products_fts(rowid, name, sku, barcode) VALUES (new.id, new.name, new.sku, coalesce(new.barcode, ''));
END;
CREATE TRIGGER products_ad AFTER DELETE ON products BEGIN
  INSERT INTO products_fts(products_fts, rowid, name, sku, barcode) VALUES ('delete', old.id, old.name, old.sku, coalesce(old.barcode, ''));
END;
CREATE TRIGGER products_au AFTER UPDATE OF name, sku, barcode ON products BEGIN
  INSERT INTO products_fts(products_fts, rowid, name, sku, barcode) VALUES ('delete', old.id, old.name, old.sku, coalesce(old.barcode, ''));
  INSERT INTO products_fts(rowid, name, sku, barcode) VALUES (new.id, new.name, new.sku, coalesce(new.barcode, ''));
END;

CREATE TABLE registers (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  next_receipt INTEGER NOT NULL DEFAULT 1,     -- gapless receipt numbers per register
  created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE sales (
  id             TEXT PRIMARY KEY,
  register_id    INTEGER NOT NULL REFERENCES registers(id),
  status         TEXT NOT NULL CHECK (status IN ('open', 'parked', 'completed', 'cancelled')),
  receipt_seq    INTEGER,
  receipt_number TEXT UNIQUE,
  opened_at      TEXT NOT NULL,
  completed_at   TEXT,
  business_date  TEXT,
  subtotal       INTEGER NOT NULL DEFAULT 0,
  discount_total INTEGER NOT NULL DEFAULT 0,
  tax_total      INTEGER NOT NULL DEFAULT 0,
  total          INTEGER NOT NULL DEFAULT 0,
  rounding       INTEGER NOT NULL DEFAULT 0,
  paid           INTEGER NOT NULL DEFAULT 0,
  change_due     INTEGER NOT NULL DEFAULT 0,
  UNIQUE (register_id, receipt_seq)
) STRICT;
CREATE INDEX sales_completed ON sales(completed_at) WHERE status = 'completed';
CREATE INDEX sales_open ON sales(register_id, status) WHERE status IN ('open', 'parked');

-- The source of truth for a sale: its events, in order. Read models below are derived in the same transaction.
CREATE TABLE sale_events (
  sale_id TEXT NOT NULL REFERENCES sales(id),
  n       INTEGER NOT NULL,
  type    TEXT NOT NULL,
  at      TEXT NOT NULL,
  data    TEXT NOT NULL,
  PRIMARY KEY (sale_id, n)
) STRICT, WITHOUT ROWID;

CREATE TABLE sale_lines (
  sale_id     TEXT NOT NULL REFERENCES sales(id),
  line_no     INTEGER NOT NULL,
  product_id  INTEGER NOT NULL,
  sku         TEXT NOT NULL,
  barcode     TEXT,
  name        TEXT NOT NULL,
  qty_milli   INTEGER NOT NULL,
  unit_price  INTEGER NOT NULL,
  amount      INTEGER NOT NULL,   -- before discounts
  discount    INTEGER NOT NULL,
  tax_class   TEXT NOT NULL,
  tax_rate_bp INTEGER NOT NULL,
  tax         INTEGER NOT NULL,
  total       INTEGER NOT NULL,   -- what the customer pays for the line
  PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE sale_payments (
  sale_id      TEXT NOT NULL REFERENCES sales(id),
  n            INTEGER NOT NULL,
  method       TEXT NOT NULL,
  amount       INTEGER NOT NULL,
  card_brand   TEXT,
  card_last4   TEXT,
  auth_code    TEXT,
  terminal_ref TEXT,
  PRIMARY KEY (sale_id, n)
) STRICT, WITHOUT ROWID;

CREATE TABLE sale_taxes (
  sale_id   TEXT NOT NULL REFERENCES sales(id),
  tax_class TEXT NOT NULL,
  rate_bp   INTEGER NOT NULL,
  net       INTEGER NOT NULL,
  tax       INTEGER NOT NULL,
  PRIMARY KEY (sale_id, tax_class, rate_bp)
) STRICT, WITHOUT ROWID;

CREATE TABLE stock_movements (
  id         INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(id),
  qty_milli  INTEGER NOT NULL,       -- negative for a sale
  reason     TEXT NOT NULL,
  sale_id    TEXT REFERENCES sales(id),
  at         TEXT NOT NULL
) STRICT;
CREATE INDEX stock_movements_product ON stock_movements(product_id);

-- Head office outbox: seq is gapless (max + 1 in the writing transaction, never deleted).
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  ref        TEXT NOT NULL,
  payload    TEXT NOT NULL,
  hash       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_state (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  epoch     TEXT NOT NULL,
  acked_seq INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Append-only, hash-chained journal of what happened at the store.
CREATE TABLE journal (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  kind      TEXT NOT NULL,
  ref       TEXT NOT NULL,
  data      TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN
  SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN
  SELECT RAISE(ABORT, 'the journal is append-only');
END;

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  prefix      TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE,   -- sha-256 of the secret; the secret itself is shown once
  register_id INTEGER NOT NULL REFERENCES registers(id),
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
) STRICT;

CREATE TABLE idempotency_keys (
  token_id     INTEGER NOT NULL REFERENCES api_tokens(id),
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  sale_id      TEXT NOT NULL REFERENCES sales(id),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (token_id, key)
) STRICT, WITHOUT ROWID;
