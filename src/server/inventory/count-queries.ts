// Stock counts as the pages and the count's actions read them: the counts, a count's sheet, and its review — what the
// books expected of each counted product (on-hand less the movements after its line was last counted, or as written on
// approval) and the products of the scope nobody counted.
import type { Database } from "bun:sqlite";
import type { CountedProduct, CountScope, CountState, CountStatus, ReviewInput, UncountedRule } from "../../domain/stock-count/count.ts";

export type CountHeader = {
  id: string;
  scope: CountScope;
  status: CountStatus;
  openedAt: string;
  openedBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  cancelledAt: string | null;
  uncounted: UncountedRule | null;
  value: number | null;
  /** Moves on with every scan: an approval names the sheet it was given. */
  changes: number;
  /** Products on the sheet. */
  lines: number;
};

/** A line of the sheet, the latest counted first. */
export type SheetLine = { productId: number; sku: string; name: string; weighed: boolean; countedMilli: number; countedAt: string };

/** A line as the review reads it; `countedMilli` null: nobody counted it (an approved count took it as zero). */
export type ReviewRow = ReviewInput & { sku: string; name: string; weighed: boolean };

type HeaderRow = {
  id: string;
  scope_kind: "all" | "category" | "location";
  scope_value: string | null;
  category: string | null;
  status: CountStatus;
  opened_at: string;
  opened_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  cancelled_at: string | null;
  uncounted: UncountedRule | null;
  value: number | null;
  changes: number;
  lines: number;
};

const headerColumns = `c.id, c.scope_kind, c.scope_value, g.name AS category, c.status, c.opened_at, o.name AS opened_by, c.approved_at,
  a.name AS approved_by, c.cancelled_at, c.uncounted, c.value, c.changes, (SELECT count(*) FROM count_lines l WHERE l.count_id = c.id) AS lines
  FROM stock_counts c LEFT JOIN users o ON o.id = c.opened_by LEFT JOIN users a ON a.id = c.approved_by
  LEFT JOIN categories g ON c.scope_kind = 'category' AND g.id = CAST(c.scope_value AS INTEGER)`;

function toHeader(r: HeaderRow): CountHeader {
  const scope: CountScope =
    r.scope_kind === "all"
      ? { kind: "all" }
      : r.scope_kind === "category"
        ? { kind: "category", categoryId: Number(r.scope_value), name: r.category ?? `#${r.scope_value}` }
        : { kind: "location", location: r.scope_value ?? "" };
  return {
    id: r.id,
    scope,
    status: r.status,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    approvedAt: r.approved_at,
    approvedBy: r.approved_by,
    cancelledAt: r.cancelled_at,
    uncounted: r.uncounted,
    value: r.value,
    changes: r.changes,
    lines: r.lines,
  };
}

/** The products of a scope, as a WHERE clause over `products p` and its one parameter (none for the whole store). */
export function scopeFilter(scope: CountScope): { where: string; args: (string | number)[] } {
  switch (scope.kind) {
    case "all":
      return { where: "1", args: [] };
    case "category":
      return { where: "p.category_id = ?", args: [scope.categoryId] };
    case "location":
      return { where: "p.location = ?", args: [scope.location] };
    default: {
      const _exhaustive: never = scope;
      return _exhaustive;
    }
  }
}

export type UncountedProduct = { productId: number; sku: string; name: string; weighed: boolean; onHandMilli: number; cost: number | null };

export function countQueries(db: Database) {
  const q = {
    header: db.query<HeaderRow, [string]>(`SELECT ${headerColumns} WHERE c.id = ?`),
    list: db.query<HeaderRow, [number]>(`SELECT ${headerColumns} ORDER BY c.status <> 'open', c.opened_at DESC LIMIT ?`),
    open: db.query<HeaderRow, []>(`SELECT ${headerColumns} WHERE c.status = 'open' ORDER BY c.opened_at`),
    product: db.query<{ id: number; name: string; weighed: number; category_id: number | null; location: string | null }, [number]>(
      "SELECT id, name, weighed, category_id, location FROM products WHERE id = ?",
    ),
    sheet: db.query<{ product_id: number; sku: string; name: string; weighed: number; counted_milli: number; counted_at: string }, [string, number]>(
      `SELECT l.product_id, p.sku, p.name, p.weighed, l.counted_milli, l.counted_at
         FROM count_lines l JOIN products p ON p.id = l.product_id
        WHERE l.count_id = ? AND l.uncounted = 0 ORDER BY l.counted_at DESC LIMIT ?`,
    ),
    // an open count's expected is read from the ledger, one index range per line; an approved count's was written down
    review: db.query<
      { product_id: number; sku: string; name: string; weighed: number; counted_milli: number; uncounted: number; expected_milli: number; cost: number | null },
      [string]
    >(
      `SELECT l.product_id, p.sku, p.name, p.weighed, l.counted_milli, l.uncounted,
         CASE WHEN l.expected_milli IS NOT NULL THEN l.expected_milli
              ELSE p.stock_milli - coalesce((SELECT sum(m.qty_milli) FROM stock_movements m
                                              WHERE m.product_id = l.product_id AND m.id > l.counted_through), 0) END AS expected_milli,
         CASE WHEN l.expected_milli IS NOT NULL THEN l.unit_cost ELSE p.cost END AS cost
         FROM count_lines l JOIN products p ON p.id = l.product_id
        WHERE l.count_id = ? ORDER BY p.name, p.id`,
    ),
    counted: db.query<{ counted_milli: number }, [string, number]>("SELECT counted_milli FROM count_lines WHERE count_id = ? AND product_id = ?"),
    categories: db.query<{ id: number; name: string }, []>("SELECT id, name FROM categories ORDER BY name"),
    locations: db.query<{ location: string }, [number]>("SELECT DISTINCT location FROM products WHERE location IS NOT NULL ORDER BY location LIMIT ?"),
    locationInUse: db.query<{ one: number }, [string]>("SELECT 1 AS one FROM products WHERE location = ? LIMIT 1"),
    category: db.query<{ id: number; name: string }, [number]>("SELECT id, name FROM categories WHERE id = ?"),
  };

  /** Products of the scope nobody counted on `countId` that the books say are on the shelf (any more: `limit`). */
  const uncountedSql = (scope: CountScope, select: string, tail: string) =>
    `SELECT ${select} FROM products p WHERE ${scopeFilter(scope).where} AND p.stock_milli <> 0
        AND NOT EXISTS (SELECT 1 FROM count_lines l WHERE l.count_id = ? AND l.product_id = p.id) ${tail}`;

  return {
    header(id: string): CountHeader | null {
      const r = q.header.get(id);
      return r ? toHeader(r) : null;
    },
    /** Open counts first, then the latest. */
    list: (limit = 100) => q.list.all(limit).map(toHeader),
    openCounts: () => q.open.all().map(toHeader),
    /** The decider's view of a count: its status and scope. */
    state: (h: CountHeader | null): CountState => (h ? { status: h.status, countId: h.id, scope: h.scope, openedAt: h.openedAt } : { status: "none" }),
    product(id: number): CountedProduct | null {
      const r = q.product.get(id);
      return r ? { productId: r.id, name: r.name, weighed: r.weighed === 1, categoryId: r.category_id, location: r.location } : null;
    },
    sheet: (countId: string, limit: number): SheetLine[] =>
      q.sheet.all(countId, limit).map((r) => ({
        productId: r.product_id,
        sku: r.sku,
        name: r.name,
        weighed: r.weighed === 1,
        countedMilli: r.counted_milli,
        countedAt: r.counted_at,
      })),
    /** A product's line so far: what a scan adds to (0 when it has none). */
    counted: (countId: string, productId: number): number => q.counted.get(countId, productId)?.counted_milli ?? 0,
    /** Every line of the count with what the books expected of it, by product name. */
    reviewRows: (countId: string): ReviewRow[] =>
      q.review.all(countId).map((r) => ({
        productId: r.product_id,
        sku: r.sku,
        name: r.name,
        weighed: r.weighed === 1,
        countedMilli: r.uncounted === 1 ? null : r.counted_milli,
        expectedMilli: r.expected_milli,
        cost: r.cost,
      })),
    uncounted(h: CountHeader, limit = -1): UncountedProduct[] {
      const sql = uncountedSql(h.scope, "p.id, p.sku, p.name, p.weighed, p.stock_milli, p.cost", "ORDER BY p.name, p.id LIMIT ?");
      const rows = db
        .query<{ id: number; sku: string; name: string; weighed: number; stock_milli: number; cost: number | null }, (string | number)[]>(sql)
        .all(...scopeFilter(h.scope).args, h.id, limit);
      return rows.map((r) => ({ productId: r.id, sku: r.sku, name: r.name, weighed: r.weighed === 1, onHandMilli: r.stock_milli, cost: r.cost }));
    },
    /** How many products the uncounted list has, and what they are worth on the books at cost. */
    uncountedTotals(h: CountHeader): { products: number; value: number } {
      const sql = uncountedSql(h.scope, "count(*) AS n, coalesce(sum(CAST(round(p.stock_milli * coalesce(p.cost, 0) / 1000.0) AS INTEGER)), 0) AS value", "");
      const r = db.query<{ n: number; value: number }, (string | number)[]>(sql).get(...scopeFilter(h.scope).args, h.id)!;
      return { products: r.n, value: r.value };
    },
    categories: () => q.categories.all(),
    category: (id: number) => q.category.get(id),
    /** The shelf locations products are at (a count by location picks one). */
    locations: (limit = 500) => q.locations.all(limit).map((r) => r.location),
    locationInUse: (location: string) => q.locationInUse.get(location) !== null,
  };
}

export type CountQueries = ReturnType<typeof countQueries>;
