-- Each time a ShopFlow brought this database to a newer schema: from which schema to which, the program's version,
-- when, and the copy it took first (NULL for a new database). An older ShopFlow that finds the database too new names
-- the one that upgraded it.
CREATE TABLE upgrades (
  id              INTEGER PRIMARY KEY,
  from_schema     INTEGER NOT NULL,
  to_schema       INTEGER NOT NULL,
  program_version TEXT NOT NULL,
  at              TEXT NOT NULL,
  copy_file       TEXT
) STRICT;
