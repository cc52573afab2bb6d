-- The installation this database file belongs to: a random id made once with the file (compose.ts fills it in), sent
-- with every batch. A restored copy of the file keeps it; a second server set up with the same head-office token has
-- its own, so head office tells a clone from a restore.
ALTER TABLE sync_state ADD COLUMN installation_id TEXT;
