-- People and cash: users with PINs and roles, paired register devices, sign-in sessions, shifts with their cash,
-- manager approvals, and an append-only audit log.

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager', 'admin')),
  pin_hash        TEXT NOT NULL,
  pin_tag         TEXT NOT NULL,            -- HMAC of the PIN with the store's secret: finds a user by PIN, no two alike
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  created_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_pin_tag ON users(pin_tag) WHERE disabled = 0;

-- A browser paired as a register by a manager: it holds a secret cookie, we keep its hash.
CREATE TABLE devices (
  id          INTEGER PRIMARY KEY,
  register_id INTEGER NOT NULL REFERENCES registers(id),
  token_hash  TEXT NOT NULL UNIQUE,
  paired_by   INTEGER NOT NULL REFERENCES users(id),
  paired_at   TEXT NOT NULL,
  revoked_at  TEXT
) STRICT;

CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,            -- hash of the cookie value
  user_id      INTEGER NOT NULL REFERENCES users(id),
  device_id    INTEGER REFERENCES devices(id),
  csrf         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ended_at     TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id) WHERE ended_at IS NULL;

-- PIN attempts from one device, for throttling guessers.
CREATE TABLE pin_attempts (
  device_key TEXT NOT NULL,
  at         TEXT NOT NULL
) STRICT;
CREATE INDEX pin_attempts_device ON pin_attempts(device_key, at);

CREATE TABLE shifts (
  id             INTEGER PRIMARY KEY,
  register_id    INTEGER NOT NULL REFERENCES registers(id),
  opened_by      INTEGER NOT NULL REFERENCES users(id),
  opened_at      TEXT NOT NULL,
  opening_float  INTEGER NOT NULL CHECK (opening_float >= 0),
  float_detail   TEXT,                       -- JSON {denomination: count} when counted by denomination
  closed_by      INTEGER REFERENCES users(id),
  closed_at      TEXT,
  counted_cash   INTEGER,
  count_detail   TEXT,
  z_report       TEXT                        -- JSON of the Z report as stored at closing
) STRICT;
CREATE UNIQUE INDEX shifts_one_open ON shifts(register_id) WHERE closed_at IS NULL;

ALTER TABLE sales ADD COLUMN shift_id INTEGER REFERENCES shifts(id);
ALTER TABLE sales ADD COLUMN cashier_id INTEGER REFERENCES users(id);
CREATE INDEX sales_shift ON sales(shift_id, status);

CREATE TABLE cash_movements (
  id         INTEGER PRIMARY KEY,
  shift_id   INTEGER NOT NULL REFERENCES shifts(id),
  kind       TEXT NOT NULL CHECK (kind IN ('in', 'out', 'no_sale')),
  amount     INTEGER NOT NULL CHECK (amount >= 0),
  reason     TEXT NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  approved_by INTEGER REFERENCES users(id),
  at         TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movements_shift ON cash_movements(shift_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  user_name   TEXT,
  approved_by TEXT,                          -- the manager whose PIN approved a restricted action
  register    TEXT,
  action      TEXT NOT NULL,
  subject     TEXT,
  detail      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,sell';
