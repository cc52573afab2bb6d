// Reads of "frequently bought together": the register's one suggestion after a scan (one indexed read of the rules
// kept for the scanned product), and the report's strongest rules.
import type { Database } from "bun:sqlite";
import { pickSuggestion } from "../../domain/suggestions/together.ts";

/** What the register offers after a scan: the product, its price now, and why (how often it goes with the scanned one). */
export type Suggestion = { productId: number; name: string; price: number; confidence: number; lift: number; together: number };

/** One rule of the report: customers who buy `from` also buy `to`. */
export type TogetherRow = {
  fromId: number;
  fromSku: string;
  fromName: string;
  toId: number;
  toSku: string;
  toName: string;
  together: number;
  support: number;
  confidence: number;
  lift: number;
};

/** The most rules the report lists (and its CSV holds): the strongest, as the lift orders them. */
export const REPORT_MAX_ROWS = 10_000;

type RuleRow = {
  other_id: number;
  together: number;
  confidence: number;
  lift: number;
  name: string;
  price: number;
  active: number;
  stock_milli: number;
  weighed: number;
};

export function togetherQueries(db: Database) {
  const q = {
    rules: db.query<RuleRow, [number]>(
      `SELECT r.other_id, r.together, r.confidence, r.lift, p.name, p.price, p.active, p.stock_milli, p.weighed
         FROM together_rules r JOIN products p ON p.id = r.other_id
        WHERE r.product_id = ? ORDER BY r.rank`,
    ),
    report: db.query<TogetherRow, [number]>(
      `SELECT r.product_id AS fromId, a.sku AS fromSku, a.name AS fromName, r.other_id AS toId, b.sku AS toSku, b.name AS toName,
              r.together, r.support, r.confidence, r.lift
         FROM together_rules r JOIN products a ON a.id = r.product_id JOIN products b ON b.id = r.other_id
        ORDER BY r.lift DESC, r.confidence DESC, r.together DESC, r.product_id, r.other_id LIMIT ?`,
    ),
  };

  return {
    /**
     * The one product to offer after `productId` was scanned, or null: the best kept rule whose product is on sale, on
     * the shelf, not weighed (a tap adds one; a weighed item needs the scale) and not already in the basket.
     */
    suggestionFor(productId: number, inBasket: ReadonlySet<number>): Suggestion | null {
      const ranked = q.rules.all(productId).map((r) => ({
        productId: r.other_id,
        name: r.name,
        price: r.price,
        confidence: r.confidence,
        lift: r.lift,
        together: r.together,
        active: r.active === 1 && r.weighed === 0,
        inStock: r.stock_milli > 0,
      }));
      const best = pickSuggestion(ranked, inBasket);
      return best
        ? { productId: best.productId, name: best.name, price: best.price, confidence: best.confidence, lift: best.lift, together: best.together }
        : null;
    },
    /** The strongest rules of the store, highest lift first, at most `limit`. */
    strongest(limit: number): TogetherRow[] {
      return q.report.all(Math.max(0, Math.min(limit, REPORT_MAX_ROWS)));
    },
  };
}

export type TogetherQueries = ReturnType<typeof togetherQueries>;
