-- Releases take effect at their own effective times, field by field: each release says which fields of each product
-- and tax class it changes ({"products": {"MILK": ["price"]}, "tax_classes": {...}}; null for releases published
-- before this, which change every field of their items). And the releases a store holds waiting for their time.
ALTER TABLE catalog_releases ADD COLUMN changed jsonb;
ALTER TABLE stores ADD COLUMN catalog_pending bigint[] NOT NULL DEFAULT '{}';
