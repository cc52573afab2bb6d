-- The chain's category list: products pick their category from it, and a name is one category whatever its case
-- ("Pantry" and "pantry" are the same shelf to a cashier). Releases still carry the category's name, so the stores
-- read them as before. A small shared table, as the catalog's.
CREATE TABLE catalog_categories (
  name       text PRIMARY KEY,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX catalog_categories_name_ci ON catalog_categories (lower(name));

-- The products as they stand: each one's latest release, the draft over it.
CREATE TEMPORARY VIEW current_products_014 AS
  SELECT sku, item FROM (
    SELECT DISTINCT ON (e.p->>'sku') e.p->>'sku' AS sku, e.p AS item
    FROM catalog_releases r, jsonb_array_elements(r.changes->'products') WITH ORDINALITY AS e(p, n)
    ORDER BY e.p->>'sku', r.version DESC, e.n DESC
  ) published
  WHERE NOT EXISTS (SELECT 1 FROM catalog_draft_changes d WHERE d.kind = 'product' AND d.key = published.sku)
  UNION ALL
  SELECT key, item FROM catalog_draft_changes WHERE kind = 'product';

-- The free-text categories in use, case-variants merged: each keeps the spelling most products have, capitals first
-- on a tie.
INSERT INTO catalog_categories (name, created_by)
SELECT DISTINCT ON (lower(category)) category, 'upgrade'
FROM (
  SELECT item->>'category' AS category, count(*) AS n FROM current_products_014
  WHERE item->>'category' <> '' GROUP BY 1
) spelled
ORDER BY lower(category), n DESC, category COLLATE "C";

-- A product whose category is spelled otherwise goes into the draft with the list's spelling (or its draft change is
-- respelled), so the next release makes the variants one category in every store too.
INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at)
SELECT 'product', p.sku, jsonb_set(p.item, '{category}', to_jsonb(c.name)), 'category list (upgrade)', now()
FROM current_products_014 p JOIN catalog_categories c ON lower(c.name) = lower(p.item->>'category')
WHERE c.name <> p.item->>'category'
ON CONFLICT (kind, key) DO UPDATE SET item = excluded.item;

DROP VIEW current_products_014;
