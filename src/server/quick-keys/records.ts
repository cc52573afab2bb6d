// The favourites pages as the back office reads and writes them: every page (empty ones too) and every key on a page
// (products no longer sold too, so the manager sees them and can take them off). Writes run inside an action's
// transaction (actions.ts).
import type { Database } from "bun:sqlite";

export type QuickKeyPage = { id: number; name: string; position: number; keys: number };

/** A key on a page: its product as the manager recognises it, and its place (1 is first). */
export type PageKey = {
  productId: number;
  name: string;
  sku: string;
  barcode: string | null;
  price: number;
  weighed: boolean;
  active: boolean;
  position: number;
};

type KeyRow = { product_id: number; name: string; sku: string; barcode: string | null; price: number; weighed: number; active: number; position: number };

export function quickKeyRecords(db: Database) {
  const all = db.query<QuickKeyPage, []>(
    `SELECT g.id, g.name, g.position, (SELECT count(*) FROM quick_key_page_products k WHERE k.page_id = g.id) AS keys
     FROM quick_key_pages g ORDER BY g.position, g.id`,
  );
  const one = db.query<QuickKeyPage, [number]>(
    `SELECT g.id, g.name, g.position, (SELECT count(*) FROM quick_key_page_products k WHERE k.page_id = g.id) AS keys
     FROM quick_key_pages g WHERE g.id = ?`,
  );
  const keys = db.query<KeyRow, [number]>(
    `SELECT k.product_id, p.name, p.sku, p.barcode, p.price, p.weighed, p.active, k.position
     FROM quick_key_page_products k JOIN products p ON p.id = k.product_id WHERE k.page_id = ? ORDER BY k.position`,
  );
  const keyAt = db.query<{ position: number }, [number, number]>("SELECT position FROM quick_key_page_products WHERE page_id = ? AND product_id = ?");
  const productAt = db.query<{ product_id: number }, [number, number]>("SELECT product_id FROM quick_key_page_products WHERE page_id = ? AND position = ?");
  const lastPage = db.query<{ n: number }, []>("SELECT coalesce(max(position), 0) AS n FROM quick_key_pages");
  const lastKey = db.query<{ n: number }, [number]>("SELECT coalesce(max(position), 0) AS n FROM quick_key_page_products WHERE page_id = ?");
  const pageAt = db.query<{ id: number }, [number]>("SELECT id FROM quick_key_pages WHERE position = ?");

  return {
    pages: () => all.all(),
    page: (id: number) => one.get(id),
    keys: (pageId: number): PageKey[] =>
      keys.all(pageId).map((r) => ({
        productId: r.product_id,
        name: r.name,
        sku: r.sku,
        barcode: r.barcode,
        price: r.price,
        weighed: r.weighed === 1,
        active: r.active === 1,
        position: r.position,
      })),
    /** Where a product sits on a page, or null when it is not on it. */
    positionOf: (pageId: number, productId: number) => keyAt.get(pageId, productId)?.position ?? null,

    insertPage(name: string, at: string): number {
      const position = lastPage.get()!.n + 1;
      return db
        .query<{ id: number }, [string, number, string]>("INSERT INTO quick_key_pages(name, position, created_at) VALUES (?, ?, ?) RETURNING id")
        .get(name, position, at)!.id;
    },
    renamePage: (id: number, name: string) => void db.query("UPDATE quick_key_pages SET name = ? WHERE id = ?").run(name, id),
    /** Delete a page with its keys; the pages after it close the gap. */
    deletePage(page: QuickKeyPage): void {
      db.query("DELETE FROM quick_key_pages WHERE id = ?").run(page.id);
      db.query("UPDATE quick_key_pages SET position = position - 1 WHERE position > ?").run(page.position);
    },
    /** Swap a page with its neighbour one place `by` (−1 earlier, +1 later); false when it is at that end already. */
    swapPage(page: QuickKeyPage, by: -1 | 1): boolean {
      const other = pageAt.get(page.position + by);
      if (!other) return false;
      db.query("UPDATE quick_key_pages SET position = ? WHERE id = ?").run(page.position, other.id);
      db.query("UPDATE quick_key_pages SET position = ? WHERE id = ?").run(page.position + by, page.id);
      return true;
    },

    keyCount: (pageId: number) => lastKey.get(pageId)!.n,
    /** Put a product last on a page; its place. */
    appendKey(pageId: number, productId: number): number {
      const position = lastKey.get(pageId)!.n + 1;
      db.query("INSERT INTO quick_key_page_products(page_id, product_id, position) VALUES (?, ?, ?)").run(pageId, productId, position);
      return position;
    },
    /** Take a product off a page; the keys after it close the gap. */
    removeKey(pageId: number, productId: number, position: number): void {
      db.query("DELETE FROM quick_key_page_products WHERE page_id = ? AND product_id = ?").run(pageId, productId);
      db.query("UPDATE quick_key_page_products SET position = position - 1 WHERE page_id = ? AND position > ?").run(pageId, position);
    },
    /** Swap a key with its neighbour one place `by`; false when it is at that end already. */
    swapKey(pageId: number, productId: number, position: number, by: -1 | 1): boolean {
      const other = productAt.get(pageId, position + by);
      if (!other) return false;
      const set = db.query("UPDATE quick_key_page_products SET position = ? WHERE page_id = ? AND product_id = ?");
      set.run(position, pageId, other.product_id);
      set.run(position + by, pageId, productId);
      return true;
    },
  };
}

export type QuickKeyRecords = ReturnType<typeof quickKeyRecords>;
