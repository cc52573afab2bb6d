-- Printers and the print queue. A job is printed at most once by the worker; a second copy needs a person (reprint).

CREATE TABLE printers (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('network', 'usb', 'serial', 'virtual')),
  host        TEXT,
  port        INTEGER,
  path        TEXT,
  baud        INTEGER,
  flow        TEXT NOT NULL DEFAULT 'none' CHECK (flow IN ('none', 'rtscts', 'xonxoff')),
  language    TEXT NOT NULL DEFAULT 'esc-pos' CHECK (language IN ('esc-pos', 'star-prnt')),
  paper_mm    INTEGER NOT NULL DEFAULT 80 CHECK (paper_mm IN (58, 80)),
  codepage    TEXT NOT NULL DEFAULT 'auto',
  drawer_pin  INTEGER NOT NULL DEFAULT 2 CHECK (drawer_pin IN (2, 5)),
  is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  registers   TEXT NOT NULL DEFAULT '[]',   -- JSON array of register ids that print here; [] = any register
  status      TEXT,                          -- JSON of the last status read
  status_at   TEXT,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE print_jobs (
  id              INTEGER PRIMARY KEY,
  printer_id      INTEGER NOT NULL REFERENCES printers(id),
  kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'copy', 'test', 'drawer', 'report')),
  sale_id         TEXT REFERENCES sales(id),
  payload         TEXT NOT NULL,               -- JSON: what to render (receipt document, report...)
  kick_drawer     INTEGER NOT NULL DEFAULT 0 CHECK (kick_drawer IN (0, 1)),
  state           TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed', 'uncertain')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  next_attempt_at TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  printed_at      TEXT,
  requested_by    TEXT
) STRICT;
CREATE INDEX print_jobs_due ON print_jobs(state, next_attempt_at) WHERE state = 'queued';
CREATE INDEX print_jobs_sale ON print_jobs(sale_id);
-- One original receipt per sale, ever; copies are separate jobs of kind "copy".
CREATE UNIQUE INDEX print_jobs_one_receipt ON print_jobs(sale_id) WHERE kind = 'receipt';

-- What the virtual printer received: the exact bytes, shown back in the browser.
CREATE TABLE virtual_prints (
  id         INTEGER PRIMARY KEY,
  printer_id INTEGER NOT NULL REFERENCES printers(id),
  job_id     INTEGER,
  bytes      BLOB NOT NULL,
  at         TEXT NOT NULL
) STRICT;
