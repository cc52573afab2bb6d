-- This store's own prices from head office's price lists: a product here sells at its row's price, not the chain's.
-- chain_price is the chain's price as it stands, so a price taken back to the chain's (or a chain price changed while
-- the store's own holds) is never lost.
CREATE TABLE store_prices (
  sku         TEXT PRIMARY KEY,
  price       INTEGER NOT NULL CHECK (price >= 0),
  chain_price INTEGER
) STRICT;
