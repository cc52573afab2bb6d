// Catalog reads: lookup by barcode (with embedded price/weight codes), SKU and id; search; listing with cursors.
import type { Database } from "bun:sqlite";
import { type EmbeddedPattern, lookupForms, readEmbedded } from "../../domain/kernel/barcode.ts";
import type { LineItem } from "../../domain/sale/sale.ts";

export type Product = {
  id: number;
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  taxClass: string;
  rateBp: number;
  category: string | null;
  stockMilli: number;
  weighed: boolean;
  active: boolean;
};

type Row = {
  id: number;
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  tax_class: string;
  rate_bp: number;
  category: string | null;
  stock_milli: number;
  weighed: number;
  active: number;
};

const columns = `p.id, p.sku, p.barcode, p.name, p.price, p.tax_class, t.rate_bp, c.name AS category, p.stock_milli, p.weighed, p.active
  FROM products p JOIN tax_classes t ON t.code = p.tax_class LEFT JOIN categories c ON c.id = p.category_id`;

function toProduct(r: Row): Product {
  return {
    id: r.id,
    sku: r.sku,
    barcode: r.barcode,
    name: r.name,
    price: r.price,
    taxClass: r.tax_class,
    rateBp: r.rate_bp,
    category: r.category,
    stockMilli: r.stock_milli,
    weighed: r.weighed === 1,
    active: r.active === 1,
  };
}

/** A tab of the register's quick keys: a favourites page the manager arranged, or a category. */
export type QuickKeyTab = { kind: "favourites" | "category"; id: number; name: string };

/** The most keys a favourites page holds: more would not fit a register's column without scrolling far. */
export const MAX_KEYS_ON_PAGE = 48;

/** What a scanned code resolves to: the product, and for embedded codes the price or weight it carried. */
export type Scan = { product: Product; embedded: { kind: "price" | "weight"; value: number } | null };

export type Catalog = ReturnType<typeof catalogQueries>;

export function catalogQueries(db: Database) {
  const byBarcode = db.query<Row, [string]>(`SELECT ${columns} WHERE p.barcode = ?`);
  // a product's other barcodes (product_barcodes): one more probe of a primary key, only when no main barcode matched
  const byOtherBarcode = db.query<Row, [string]>(`SELECT ${columns} WHERE p.id = (SELECT product_id FROM product_barcodes WHERE barcode = ?)`);
  const bySku = db.query<Row, [string]>(`SELECT ${columns} WHERE p.sku = ?`);
  const byId = db.query<Row, [number]>(`SELECT ${columns} WHERE p.id = ?`);
  const inCategory = db.query<Row, [number, number]>(`SELECT ${columns} WHERE p.category_id = ? AND p.active = 1 ORDER BY p.weighed DESC, p.name LIMIT ?`);
  const categories = db.query<{ id: number; name: string }, []>("SELECT id, name FROM categories ORDER BY name");
  // favourites pages as the register shows them: those with something on sale, in the manager's order
  const favouritePages = db.query<{ id: number; name: string }, []>(
    `SELECT g.id, g.name FROM quick_key_pages g
     WHERE EXISTS (SELECT 1 FROM quick_key_page_products k JOIN products p ON p.id = k.product_id WHERE k.page_id = g.id AND p.active = 1)
     ORDER BY g.position, g.id`,
  );
  const onPage = db.query<Row, [number, number]>(
    `SELECT ${columns} JOIN quick_key_page_products k ON k.product_id = p.id WHERE k.page_id = ? AND p.active = 1 ORDER BY k.position LIMIT ?`,
  );
  const list = db.query<Row, [number, number]>(`SELECT ${columns} WHERE p.id > ? ORDER BY p.id LIMIT ?`);
  const search = db.query<Row, [string, number, number]>(
    `SELECT ${columns} WHERE p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?) AND p.id > ? ORDER BY p.id LIMIT ?`,
  );
  // Ranking every match (bm25) costs tens of ms for a one-letter query on a big catalog; instead take a bounded set
  // of matches and put names that start with the first word, then shorter names, first.
  const searchRanked = db.query<Row, [string, string, number]>(
    `SELECT ${columns} JOIN (SELECT rowid FROM products_fts WHERE products_fts MATCH ? LIMIT 400) f ON f.rowid = p.id
     WHERE p.active = 1 ORDER BY (p.name LIKE ? ESCAPE '\\') DESC, length(p.name), p.name LIMIT ?`,
  );

  const one = (r: Row | null) => (r ? toProduct(r) : null);

  return {
    byId: (id: number) => one(byId.get(id)),
    bySku: (sku: string) => one(bySku.get(sku)),
    /** The product with this barcode, in any of its forms: its main barcode first, then another of its barcodes. */
    byBarcode(code: string): Product | null {
      const forms = lookupForms(code);
      for (const form of forms) {
        const r = byBarcode.get(form);
        if (r) return toProduct(r);
      }
      for (const form of forms) {
        const r = byOtherBarcode.get(form);
        if (r) return toProduct(r);
      }
      return null;
    },
    /** Resolve a scanned code, including GS1 price- and weight-embedded codes found by their base code. */
    scan(code: string, patterns: readonly EmbeddedPattern[]): Scan | null {
      const direct = this.byBarcode(code);
      if (direct) return { product: direct, embedded: null };
      const e = readEmbedded(code, patterns);
      if (!e) return null;
      const product = this.byBarcode(e.baseCode);
      return product ? { product, embedded: { kind: e.kind, value: e.value } } : null;
    },
    list: (after: number, limit: number) => list.all(after, limit).map(toProduct),
    categories: () => categories.all(),
    /** A category's quick keys: weighed items first (they have no barcode to scan), then by name. */
    quickKeys: (categoryId: number, limit = 24) => inCategory.all(categoryId, limit).map(toProduct),
    /** The favourites pages a register shows (a page with nothing on sale is left out), in the manager's order. */
    favouritePages: () => favouritePages.all(),
    /** A favourites page's keys, in the order the manager arranged them. */
    favouriteKeys: (pageId: number, limit = MAX_KEYS_ON_PAGE) => onPage.all(pageId, limit).map(toProduct),
    /**
     * The register's quick-key tabs — the favourites pages first, then the categories — with the one chosen (by its
     * position among the tabs) and its keys. Nothing chosen, or a tab that is gone: the first tab.
     */
    quickKeyTabs(choice: { page?: number | undefined; category?: number | undefined } = {}): { tabs: QuickKeyTab[]; active: number | null; keys: Product[] } {
      const tabs: QuickKeyTab[] = [
        ...this.favouritePages().map((g) => ({ kind: "favourites" as const, ...g })),
        ...categories.all().map((c) => ({ kind: "category" as const, ...c })),
      ];
      const chosen = tabs.findIndex((t) => (t.kind === "favourites" ? t.id === choice.page : t.id === choice.category));
      const active = chosen >= 0 ? chosen : tabs.length > 0 ? 0 : null;
      const tab = active === null ? null : tabs[active]!;
      const keys = !tab ? [] : tab.kind === "favourites" ? this.favouriteKeys(tab.id) : this.quickKeys(tab.id);
      return { tabs, active, keys };
    },
    /** Products matching every word as a prefix of name, SKU or barcode; id order, for paging. */
    search(q: string, after: number, limit: number): Product[] {
      const match = toMatch(q);
      return match ? search.all(match, after, limit).map(toProduct) : [];
    },
    /** Best matches first, for the type-ahead box. */
    searchBest(q: string, limit: number): Product[] {
      const match = toMatch(q);
      if (!match) return [];
      const first = q
        .trim()
        .split(/\s+/)[0]!
        .replace(/[\\%_]/g, (ch) => `\\${ch}`);
      return searchRanked.all(match, `${first}%`, limit).map(toProduct);
    },
  };
}

/** Turn what a person typed into a safe FTS5 query: each word a quoted prefix. */
export function toMatch(q: string): string | null {
  const words = q
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(" ");
}

/** A product as a sale (or a return priced today) takes it: a snapshot that later catalog changes do not touch. */
export function lineItemOf(p: Product): LineItem {
  return { productId: p.id, sku: p.sku, barcode: p.barcode, name: p.name, unitPrice: p.price, weighed: p.weighed, taxClass: p.taxClass, rateBp: p.rateBp };
}
