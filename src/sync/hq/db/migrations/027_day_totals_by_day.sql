-- The stores' own day totals by business day alone: the overview and reconciliation read one or a few days of every
-- store, which the (store_id, business_date) index cannot give without reading the whole table (a year of 200 stores
-- is 73,000 rows, and it grows with every day).
CREATE INDEX store_day_totals_business_date ON store_day_totals (business_date);
