-- A scan the register sent again (its answer was lost on the way, or it was kept while the server was away and one
-- copy got through) is recognised by the id the page gave it, and added once. Ids older than a day are let go.
CREATE TABLE register_scans (
  register_id INTEGER NOT NULL REFERENCES registers(id),
  scan_id     TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (register_id, scan_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX register_scans_age ON register_scans(register_id, at);
