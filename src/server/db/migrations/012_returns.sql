-- Returns: a document of their own, referring to the original sale's lines, with a gapless number per register
-- (R001-000001). What may still be returned is the sale's lines less these rows, read inside the returning transaction.
CREATE TABLE returns (
  id            TEXT PRIMARY KEY,
  register_id   INTEGER NOT NULL REFERENCES registers(id),
  return_seq    INTEGER NOT NULL,
  return_number TEXT NOT NULL UNIQUE,
  sale_id       TEXT NOT NULL REFERENCES sales(id),
  at            TEXT NOT NULL,
  business_date TEXT NOT NULL,
  reason_code   TEXT NOT NULL,
  reason        TEXT NOT NULL,
  total         INTEGER NOT NULL,   -- the goods' value refunded
  tax_total     INTEGER NOT NULL,
  rounding      INTEGER NOT NULL,   -- cash rounding on the cash given back
  cashier_id    INTEGER REFERENCES users(id),
  approver_id   INTEGER REFERENCES users(id),
  shift_id      INTEGER REFERENCES shifts(id),
  data          TEXT NOT NULL,      -- the completed return as decided (domain/return), for the receipt and head office
  UNIQUE (register_id, return_seq)
) STRICT;
CREATE INDEX returns_sale ON returns(sale_id);
CREATE INDEX returns_shift ON returns(shift_id);
CREATE INDEX returns_day ON returns(business_date);

CREATE TABLE return_lines (
  return_id    TEXT NOT NULL REFERENCES returns(id),
  sale_id      TEXT NOT NULL REFERENCES sales(id),
  sale_line_no INTEGER NOT NULL,
  product_id   INTEGER NOT NULL,
  qty_milli    INTEGER NOT NULL,
  refund       INTEGER NOT NULL,
  tax          INTEGER NOT NULL,
  restock      INTEGER NOT NULL CHECK (restock IN (0, 1)),
  PRIMARY KEY (return_id, sale_line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX return_lines_sale ON return_lines(sale_id, sale_line_no);

CREATE TABLE return_refunds (
  return_id    TEXT NOT NULL REFERENCES returns(id),
  n            INTEGER NOT NULL,
  method       TEXT NOT NULL,
  amount       INTEGER NOT NULL,
  card_brand   TEXT,
  card_last4   TEXT,
  auth_code    TEXT,
  terminal_ref TEXT,
  PRIMARY KEY (return_id, n)
) STRICT, WITHOUT ROWID;

-- Why goods come back, as the shop words it; a reason that is not restocked writes the goods off.
CREATE TABLE return_reasons (
  code     TEXT PRIMARY KEY,
  label    TEXT NOT NULL,
  restock  INTEGER NOT NULL CHECK (restock IN (0, 1)),
  position INTEGER NOT NULL
) STRICT;
INSERT INTO return_reasons(code, label, restock, position) VALUES
  ('changed_mind', 'Changed mind', 1, 1),
  ('wrong_size', 'Wrong size or colour', 1, 2),
  ('not_as_described', 'Not as described', 1, 3),
  ('damaged', 'Damaged or faulty', 0, 4),
  ('expired', 'Past its date', 0, 5);

ALTER TABLE stock_movements ADD COLUMN return_id TEXT REFERENCES returns(id);

-- A return's receipt is a print job of its own (a sale has one original receipt, ever; its returns each have theirs).
ALTER TABLE print_jobs ADD COLUMN return_id TEXT REFERENCES returns(id);
CREATE INDEX print_jobs_return ON print_jobs(return_id);
