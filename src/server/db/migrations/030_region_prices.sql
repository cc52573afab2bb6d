-- Head office's price lists come in two layers: the store's own prices (store_prices) over its region's
-- (region_prices), both over the chain's. The chain's price of a product sold at a price of either layer is kept in
-- chain_prices, so taking the product back to it loses nothing (it was store_prices.chain_price).
CREATE TABLE region_prices (
  sku   TEXT PRIMARY KEY,
  price INTEGER NOT NULL CHECK (price >= 0)
) STRICT;
CREATE TABLE chain_prices (
  sku   TEXT PRIMARY KEY,
  price INTEGER NOT NULL CHECK (price >= 0)
) STRICT;
INSERT INTO chain_prices (sku, price) SELECT sku, chain_price FROM store_prices WHERE chain_price IS NOT NULL;
ALTER TABLE store_prices DROP COLUMN chain_price;
