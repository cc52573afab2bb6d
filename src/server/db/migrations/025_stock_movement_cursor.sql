-- How far the stock ledger has gone up to head office: the last stock movement put in the outbox. It moves on in the
-- same transaction as the outbox item that carries the movements up to it (head-office/stock-movements.ts), so each
-- movement is sent once, whatever crashes when. A store that was never connected starts at 0: once it is, head office
-- gets its whole ledger, opening stock included.
CREATE TABLE stock_movement_cursor (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL CHECK (last_id >= 0)
) STRICT;
INSERT INTO stock_movement_cursor(id, last_id) VALUES (1, 0);
