-- A checkout scale per register (Devices page, `shopflow scale set`): the serial port it answers on, its speed and
-- how it frames a byte. The path passes the same device rules as a serial printer's when it is set and when it is read.
CREATE TABLE scales (
  register_id INTEGER PRIMARY KEY REFERENCES registers(id),
  path        TEXT NOT NULL,
  baud        INTEGER NOT NULL CHECK (baud IN (9600, 19200, 38400, 57600, 115200)),
  framing     TEXT NOT NULL DEFAULT '7E1' CHECK (framing IN ('7E1', '8N1')),
  set_at      TEXT NOT NULL
) STRICT;
