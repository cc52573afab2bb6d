// Reading completed sales back: listing with a cursor, and the day summary integrators reconcile against.

import type { Database } from "bun:sqlite";
import type { SalesSummary } from "../../sync/contracts.ts";

/** A period: business dates (YYYY-MM-DD, both ends included) or instants (ISO 8601, `to` excluded). */
export type Period = { kind: "date" | "instant"; from: string | null; to: string | null };

export type Summary = SalesSummary;

function where(p: Period): { sql: string; args: string[] } {
  const col = p.kind === "date" ? "s.business_date" : "s.completed_at";
  const parts = ["s.status = 'completed'"];
  const args: string[] = [];
  if (p.from !== null) {
    parts.push(`${col} >= ?`);
    args.push(p.from);
  }
  if (p.to !== null) {
    parts.push(p.kind === "date" ? `${col} <= ?` : `${col} < ?`);
    args.push(p.to);
  }
  return { sql: parts.join(" AND "), args };
}

export function saleQueries(db: Database) {
  return {
    /** Completed sales in completion order; the cursor is the last (completed_at, id) seen. */
    list(p: Period, limit: number, after: { at: string; id: string } | null): { id: string; completed_at: string }[] {
      const w = where(p);
      const cursorSql = after ? " AND (s.completed_at, s.id) > (?, ?)" : "";
      const args: (string | number)[] = [...w.args, ...(after ? [after.at, after.id] : []), limit];
      return db
        .query<{ id: string; completed_at: string }, (string | number)[]>(
          `SELECT s.id, s.completed_at FROM sales s WHERE ${w.sql}${cursorSql} ORDER BY s.completed_at, s.id LIMIT ?`,
        )
        .all(...args);
    },
    summary(p: Period): Summary {
      const w = where(p);
      const t = db
        .query<{ n: number; total: number | null; tax: number | null; discount: number | null; rounding: number | null; change: number | null }, string[]>(
          `SELECT count(*) AS n, sum(total) AS total, sum(tax_total) AS tax, sum(discount_total) AS discount, sum(rounding) AS rounding,
           sum(change_due) AS change FROM sales s WHERE ${w.sql}`,
        )
        .get(...w.args)!;
      const byMethod: Record<string, number> = {};
      const rows = db
        .query<{ method: string; amount: number }, string[]>(
          `SELECT p.method, sum(p.amount) AS amount FROM sale_payments p JOIN sales s ON s.id = p.sale_id WHERE ${w.sql} GROUP BY p.method ORDER BY p.method`,
        )
        .all(...w.args);
      for (const r of rows) byMethod[r.method] = r.amount;
      // Change is handed back in cash: what the drawer keeps is cash tendered less change.
      if (byMethod.cash !== undefined) byMethod.cash -= t.change ?? 0;
      return {
        from: p.from,
        to: p.to,
        sales_count: t.n,
        total_minor: t.total ?? 0,
        tax_minor: t.tax ?? 0,
        discount_minor: t.discount ?? 0,
        rounding_minor: t.rounding ?? 0,
        by_method: byMethod,
      };
    },
  };
}

export type SaleQueries = ReturnType<typeof saleQueries>;
