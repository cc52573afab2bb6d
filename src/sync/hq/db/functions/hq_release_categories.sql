-- The category list follows every release, from the dashboard or from a file (shopflow hq publish): a category a
-- release brings that the list lacks is added to it, and one the list holds in another case is written the list's
-- way, so no store gets "pantry" beside "Pantry". The dashboard's products pick from the list already, so the rewrite
-- runs only when a name differs.
CREATE OR REPLACE FUNCTION hq_release_categories() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO catalog_categories (name, created_by)
  SELECT DISTINCT ON (lower(c)) c, coalesce(NEW.published_by, 'a release')
  FROM (SELECT p->>'category' AS c FROM jsonb_array_elements(NEW.changes->'products') AS p) named
  WHERE c <> ''
  ORDER BY lower(c), c COLLATE "C"
  ON CONFLICT DO NOTHING;

  IF EXISTS (
    SELECT 1 FROM jsonb_array_elements(NEW.changes->'products') AS p
    JOIN catalog_categories k ON lower(k.name) = lower(p->>'category')
    WHERE k.name <> p->>'category'
  ) THEN
    NEW.changes := jsonb_set(NEW.changes, '{products}', (
      SELECT jsonb_agg(CASE WHEN k.name IS NULL THEN e.p ELSE jsonb_set(e.p, '{category}', to_jsonb(k.name)) END ORDER BY e.n)
      FROM jsonb_array_elements(NEW.changes->'products') WITH ORDINALITY AS e(p, n)
      LEFT JOIN catalog_categories k ON lower(k.name) = lower(e.p->>'category')));
  END IF;
  RETURN NEW;
END
$$;

-- Its trigger, kept beside it (as dead_letters_kept): the migrations run before this file.
CREATE OR REPLACE TRIGGER catalog_releases_categories BEFORE INSERT ON catalog_releases FOR EACH ROW EXECUTE FUNCTION hq_release_categories();
