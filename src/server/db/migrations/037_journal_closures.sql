-- The journal's closures and its way to head office (src/server/journal/). Closures are journal entries themselves
-- (kinds closure.day, closure.month, closure.year): this index finds the last of each kind at once.
CREATE INDEX journal_by_kind ON journal (kind, seq);

-- How far the journal has gone up to head office: entries after last_seq wait to be put in the outbox.
CREATE TABLE journal_outbox_cursor (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL
) STRICT;
INSERT INTO journal_outbox_cursor (id, last_seq) VALUES (1, 0);
