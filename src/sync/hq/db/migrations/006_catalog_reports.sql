-- How each store's catalog stands, as the store reports it after each pull: the version it applied, the products it
-- could not give their barcode (a product of the store's own holds it), and the last error. Shown on the dashboard.
ALTER TABLE stores
  ADD COLUMN catalog_version bigint,
  ADD COLUMN catalog_problems jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN catalog_error text,
  ADD COLUMN catalog_reported_at timestamptz;
