-- catalog_products and catalog_tax_classes follow every release, from the dashboard or from a file (shopflow hq
-- publish): each item a release carries is, from then on, the item as published last. Versions only grow, so the new
-- release wins (the version check keeps an older release replayed by hand from undoing a newer one).
-- AFTER INSERT, so it sees the release as hq_release_categories left it (categories spelled the list's way).
CREATE OR REPLACE FUNCTION hq_catalog_products_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO catalog_products (sku, name, tax_class, category, active, item, version, effective_at, changed_at)
  SELECT DISTINCT ON (e.p->>'sku') e.p->>'sku', e.p->>'name', e.p->>'tax_class', nullif(e.p->>'category', ''),
    coalesce((e.p->>'active')::boolean, true), e.p, NEW.version, NEW.effective_at, NEW.published_at
  FROM jsonb_array_elements(NEW.changes->'products') WITH ORDINALITY AS e(p, n)
  ORDER BY e.p->>'sku', e.n DESC
  ON CONFLICT (sku) DO UPDATE SET name = excluded.name, tax_class = excluded.tax_class, category = excluded.category,
    active = excluded.active, item = excluded.item, version = excluded.version, effective_at = excluded.effective_at,
    changed_at = excluded.changed_at
  WHERE catalog_products.version <= excluded.version;

  INSERT INTO catalog_tax_classes (code, item, version, effective_at)
  SELECT DISTINCT ON (e.t->>'code') e.t->>'code', e.t, NEW.version, NEW.effective_at
  FROM jsonb_array_elements(NEW.changes->'tax_classes') WITH ORDINALITY AS e(t, n)
  ORDER BY e.t->>'code', e.n DESC
  ON CONFLICT (code) DO UPDATE SET item = excluded.item, version = excluded.version, effective_at = excluded.effective_at
  WHERE catalog_tax_classes.version <= excluded.version;
  RETURN NULL;
END
$$;

-- Its trigger, kept beside it (as catalog_releases_categories): the migrations run before this file.
CREATE OR REPLACE TRIGGER catalog_releases_products AFTER INSERT ON catalog_releases FOR EACH ROW EXECUTE FUNCTION hq_catalog_products_follow();
