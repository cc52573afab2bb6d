// Products as the back office reads them: one product with all its details and barcodes, the list a manager pages
// through (by name, or by search in catalog order; filtered by category, low stock, on sale or not), who holds a
// barcode or SKU, and a product's stock movements. Every list query is an index range read, never OFFSET, so a page is
// as quick at a million products as at a hundred.
import type { Database } from "bun:sqlite";
import { lookupForms } from "../../domain/kernel/barcode.ts";
import type { ProductListRow, ProductShow } from "../../views/products/list.tsx";
import type { MovementView as StockMovement } from "../../views/products/page.tsx";
import { toMatch } from "../catalog/queries.ts";
import type { ProductValues } from "./rules.ts";

export type ProductDetails = { id: number; values: ProductValues; stockMilli: number; version: number; updatedAt: string };

export type { ProductShow, StockMovement };

export type ProductFilter = {
  /** Words typed in the search box (name, SKU or barcode, each word a prefix); empty: no search. */
  search: string;
  categoryId: number | null;
  /** Only those at or under their reorder point. */
  lowStock: boolean;
  show: ProductShow;
};

/** One page of the list, and the product the next page starts after (none: this is the last). */
export type ProductPage = { products: ProductListRow[]; next: number | null };

export const PRODUCTS_PER_PAGE = 50;
export const MOVEMENTS_PER_PAGE = 50;

type DetailRow = {
  id: number;
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  tax_class: string;
  category: string | null;
  weighed: number;
  active: number;
  cost: number | null;
  reorder_point: number | null;
  reorder_level: number | null;
  location: string | null;
  returnable: number;
  stock_milli: number;
  version: number;
  updated_at: string;
};

type ListRow = {
  id: number;
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  category: string | null;
  stock_milli: number;
  weighed: number;
  active: number;
  reorder_point: number | null;
  reorder_level: number | null;
  location: string | null;
};

const LIST_COLUMNS = `p.id, p.sku, p.barcode, p.name, p.price, c.name AS category, p.stock_milli, p.weighed, p.active, p.reorder_point,
  p.reorder_level, p.location`;

/** At or under the reorder point: spelled as products_low_stock's WHERE, so the planner takes that index. */
const LOW_STOCK = "p.reorder_point IS NOT NULL AND p.stock_milli <= p.reorder_point";

/** Where a page starts: after this product, in name order (its name as it is now) or, searching, in catalog order. */
export type ListCursor = { name: string; id: number };

export const FIRST_PAGE: ListCursor = { name: "", id: 0 };

/**
 * The most products one page looks through for its fifty. The store has one database connection and one thread: a
 * filter few products pass (not on sale, low, in a big category, under a word every SKU has) must not hold the
 * registers up while it reads the whole catalog, so a page looks this far, and its "more" link goes on from there.
 */
export const MOST_LOOKED_AT = 20_000;

/**
 * The list's statement for a filter: the next `limit` products after the cursor in the order one index gives — the
 * search index's own (catalog order) when searching, else (name, id) along the index of the most telling filter
 * (category, low stock, not on sale, or all by name) — each with `ok`, whether it passes the other filters. The same
 * few texts every time, so each shape is prepared once (bun caches db.query). Ordering every search match by name
 * instead would cost a quarter of a second for a word every product has.
 */
export function listQuery(f: ProductFilter, after: ListCursor, limit = PRODUCTS_PER_PAGE + 1): { sql: string; args: (string | number)[] } | null {
  const rest: string[] = [];
  const restArgs: number[] = [];
  const also = (term: string, ...args: number[]) => {
    rest.push(term);
    restArgs.push(...args);
  };
  const ok = () => (rest.length === 0 ? "1" : rest.map((t) => `(${t})`).join(" AND "));
  const show = f.show === "active" ? "p.active = 1" : f.show === "inactive" ? "p.active = 0" : null;
  if (f.search.trim() !== "") {
    const match = toMatch(f.search);
    if (!match) return null;
    if (show) also(show);
    if (f.categoryId !== null) also("p.category_id = ?", f.categoryId);
    if (f.lowStock) also(LOW_STOCK);
    return {
      sql: `SELECT ${LIST_COLUMNS}, ${ok()} AS ok FROM products_fts f CROSS JOIN products p ON p.id = f.rowid LEFT JOIN categories c ON c.id = p.category_id
        WHERE products_fts MATCH ? AND f.rowid > ? ORDER BY f.rowid LIMIT ?`,
      args: [...restArgs, match, after.id, limit],
    };
  }
  let along: string;
  const alongArgs: number[] = [];
  if (f.categoryId !== null) {
    along = "p.category_id = ?";
    alongArgs.push(f.categoryId);
    if (f.lowStock) also(LOW_STOCK);
    if (show) also(show);
  } else if (f.lowStock) {
    along = LOW_STOCK;
    if (show) also(show);
  } else if (f.show === "inactive") {
    along = "p.active = 0";
  } else {
    along = "1";
    if (show) also(show);
  }
  return {
    sql: `SELECT ${LIST_COLUMNS}, ${ok()} AS ok FROM products p LEFT JOIN categories c ON c.id = p.category_id
      WHERE ${along} AND (p.name, p.id) > (?, ?) ORDER BY p.name, p.id LIMIT ?`,
    args: [...restArgs, ...alongArgs, after.name, after.id, limit],
  };
}

export function productRecords(db: Database) {
  const q = {
    byId: db.query<DetailRow, [number]>(
      `SELECT p.id, p.sku, p.barcode, p.name, p.price, p.tax_class, c.name AS category, p.weighed, p.active, p.cost, p.reorder_point,
         p.reorder_level, p.location, p.returnable, p.stock_milli, p.version, p.updated_at
       FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.id = ?`,
    ),
    barcodes: db.query<{ barcode: string }, [number]>("SELECT barcode FROM product_barcodes WHERE product_id = ? ORDER BY barcode"),
    nameOf: db.query<{ name: string }, [number]>("SELECT name FROM products WHERE id = ?"),
    mainHolder: db.query<{ id: number; sku: string; name: string }, [string]>("SELECT id, sku, name FROM products WHERE barcode = ?"),
    otherHolder: db.query<{ id: number; sku: string; name: string }, [string]>(
      "SELECT p.id, p.sku, p.name FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?",
    ),
    skuHolder: db.query<{ id: number; sku: string; name: string }, [string]>("SELECT id, sku, name FROM products WHERE sku = ?"),
    categories: db.query<{ id: number; name: string }, []>("SELECT id, name FROM categories ORDER BY name"),
    taxClasses: db.query<{ code: string; name: string; rate_bp: number }, []>("SELECT code, name, rate_bp FROM tax_classes ORDER BY code"),
    movements: db.query<
      { id: number; qty_milli: number; reason: string; sale_id: string | null; return_id: string | null; at: string; user: string | null; note: string | null },
      [number, number, number]
    >(
      `SELECT m.id, m.qty_milli, m.reason, m.sale_id, m.return_id, m.at, u.name AS user, m.note
         FROM stock_movements m LEFT JOIN users u ON u.id = m.user_id
        WHERE m.product_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
    ),
  };

  return {
    byId(id: number): ProductDetails | null {
      const r = q.byId.get(id);
      if (!r) return null;
      return {
        id: r.id,
        values: {
          name: r.name,
          sku: r.sku,
          barcode: r.barcode,
          barcodes: q.barcodes.all(id).map((b) => b.barcode),
          price: r.price,
          tax_class: r.tax_class,
          category: r.category,
          weighed: r.weighed === 1,
          active: r.active === 1,
          cost: r.cost,
          reorder_point: r.reorder_point,
          reorder_level: r.reorder_level,
          location: r.location,
          returnable: r.returnable === 1,
        },
        stockMilli: r.stock_milli,
        version: r.version,
        updatedAt: r.updated_at,
      };
    },

    /**
     * A page of the list: the first (`after` null) or the one after that product (none when it is gone). It looks
     * through at most MOST_LOOKED_AT products, in windows growing from a page's worth; `next` is where it stopped.
     */
    list(filter: ProductFilter, after: number | null): ProductPage {
      let cursor = FIRST_PAGE;
      if (after !== null) {
        const name = q.nameOf.get(after)?.name;
        if (name === undefined) return { products: [], next: null };
        cursor = { name, id: after };
      }
      const found: ProductListRow[] = [];
      for (let window = PRODUCTS_PER_PAGE + 1, looked = 0; looked < MOST_LOOKED_AT; window = Math.min(window * 4, MOST_LOOKED_AT - looked)) {
        const query = listQuery(filter, cursor, window);
        if (!query) return { products: [], next: null };
        const rows = db.query<ListRow & { ok: number }, (string | number)[]>(query.sql).all(...query.args);
        looked += rows.length;
        for (const r of rows) {
          if (!r.ok) continue;
          if (found.length === PRODUCTS_PER_PAGE) return { products: found, next: found.at(-1)!.id };
          found.push(toRow(r));
        }
        if (rows.length < window) return { products: found, next: null };
        const last = rows.at(-1)!;
        cursor = { name: last.name, id: last.id };
      }
      return { products: found, next: cursor.id };
    },

    /** Products other than `except` a scan of `code` could find (its main or another barcode, in any of its forms). */
    barcodeHolders(code: string, except: number | null): { id: number; sku: string; name: string }[] {
      const out = new Map<number, { id: number; sku: string; name: string }>();
      for (const form of lookupForms(code)) {
        for (const h of [...q.mainHolder.all(form), ...q.otherHolder.all(form)]) if (h.id !== except) out.set(h.id, h);
      }
      return [...out.values()];
    },

    skuHolder(sku: string, except: number | null): { id: number; sku: string; name: string } | null {
      const h = q.skuHolder.get(sku);
      return h && h.id !== except ? h : null;
    },

    categories: () => q.categories.all(),
    taxClasses: () => q.taxClasses.all().map((t) => ({ code: t.code, name: t.name, rateBp: t.rate_bp })),

    /** A product's stock movements, newest first: `limit` of them before movement `before` (none: the latest). */
    movements(productId: number, before: number | null, limit = MOVEMENTS_PER_PAGE): StockMovement[] {
      return q.movements.all(productId, before ?? Number.MAX_SAFE_INTEGER, limit).map((m) => ({
        id: m.id,
        qtyMilli: m.qty_milli,
        reason: m.reason,
        saleId: m.sale_id,
        returnId: m.return_id,
        at: m.at,
        user: m.user,
        note: m.note,
      }));
    },
  };
}

export type ProductRecords = ReturnType<typeof productRecords>;

function toRow(r: ListRow): ProductListRow {
  return {
    id: r.id,
    sku: r.sku,
    barcode: r.barcode,
    name: r.name,
    price: r.price,
    category: r.category,
    stockMilli: r.stock_milli,
    weighed: r.weighed === 1,
    active: r.active === 1,
    reorderPoint: r.reorder_point,
    reorderLevel: r.reorder_level,
    location: r.location,
  };
}
