-- Returns without a receipt, against another store's receipt, as an exchange; and store credit.
--
-- A return's sale is now optional (no receipt: the goods priced from today's catalog), or a sale of another store of
-- the chain found through head office (origin_store_id, origin_sale_id; its lines are kept in the return's data). The
-- tables are rebuilt with the columns relaxed (run with foreign keys off, and every reference checked before COMMIT:
-- migrations/index.ts, rebuildsTables).

CREATE TABLE returns_new (
  id              TEXT PRIMARY KEY,
  register_id     INTEGER NOT NULL REFERENCES registers(id),
  return_seq      INTEGER NOT NULL,
  return_number   TEXT NOT NULL UNIQUE,
  sale_id         TEXT REFERENCES sales(id),   -- this store's sale returned against; NULL: no receipt, or another store's
  origin_store_id TEXT,                        -- another store's sale: that store (head office's id) and that sale
  origin_sale_id  TEXT,
  at              TEXT NOT NULL,
  business_date   TEXT NOT NULL,
  reason_code     TEXT NOT NULL,
  reason          TEXT NOT NULL,
  total           INTEGER NOT NULL,
  tax_total       INTEGER NOT NULL,
  rounding        INTEGER NOT NULL,
  cashier_id      INTEGER REFERENCES users(id),
  approver_id     INTEGER REFERENCES users(id),
  shift_id        INTEGER REFERENCES shifts(id),
  exchange_sale_id TEXT REFERENCES sales(id),  -- an exchange: the sale its store credit went toward
  data            TEXT NOT NULL,
  UNIQUE (register_id, return_seq)
) STRICT;
INSERT INTO returns_new(id, register_id, return_seq, return_number, sale_id, at, business_date, reason_code, reason, total, tax_total,
  rounding, cashier_id, approver_id, shift_id, data)
  SELECT id, register_id, return_seq, return_number, sale_id, at, business_date, reason_code, reason, total, tax_total, rounding,
    cashier_id, approver_id, shift_id, data FROM returns;
DROP TABLE returns;
ALTER TABLE returns_new RENAME TO returns;
CREATE INDEX returns_sale ON returns(sale_id);
CREATE INDEX returns_origin_sale ON returns(origin_sale_id) WHERE origin_sale_id IS NOT NULL;
CREATE INDEX returns_shift ON returns(shift_id);
CREATE INDEX returns_day ON returns(business_date);
CREATE INDEX returns_at ON returns(at);

CREATE TABLE return_lines_new (
  return_id    TEXT NOT NULL REFERENCES returns(id),
  sale_id      TEXT,               -- the sale (this store's, or another's: origin_sale_id) whose line came back; NULL: no receipt
  sale_line_no INTEGER NOT NULL,   -- that sale's line; without a receipt, the return's own line
  product_id   INTEGER NOT NULL,
  qty_milli    INTEGER NOT NULL,
  refund       INTEGER NOT NULL,
  tax          INTEGER NOT NULL,
  restock      INTEGER NOT NULL CHECK (restock IN (0, 1)),
  PRIMARY KEY (return_id, sale_line_no)
) STRICT, WITHOUT ROWID;
INSERT INTO return_lines_new SELECT return_id, sale_id, sale_line_no, product_id, qty_milli, refund, tax, restock FROM return_lines;
DROP TABLE return_lines;
ALTER TABLE return_lines_new RENAME TO return_lines;
CREATE INDEX return_lines_sale ON return_lines(sale_id, sale_line_no);

-- Store credit: a code printed on a return's receipt, taken as a tender until its balance is spent. Every change of a
-- balance is a movement beside it (issued +, redeemed -, restored + when a payment comes off a sale).
CREATE TABLE vouchers (
  code          TEXT PRIMARY KEY,
  issued        INTEGER NOT NULL CHECK (issued > 0),
  balance       INTEGER NOT NULL CHECK (balance >= 0 AND balance <= issued),
  issued_at     TEXT NOT NULL,
  register_id   INTEGER NOT NULL REFERENCES registers(id),
  return_id     TEXT REFERENCES returns(id)
) STRICT;
CREATE INDEX vouchers_return ON vouchers(return_id);

CREATE TABLE voucher_movements (
  code       TEXT NOT NULL REFERENCES vouchers(code),
  n          INTEGER NOT NULL,
  at         TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  sale_id    TEXT REFERENCES sales(id),
  payment_id TEXT,
  return_id  TEXT REFERENCES returns(id),
  PRIMARY KEY (code, n)
) STRICT, WITHOUT ROWID;
