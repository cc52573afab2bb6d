// The store's own totals of a business day, sent to head office so the two can be reconciled. Each report is written
// in one transaction with the figures it states, so it covers exactly the sales before it in the outbox.
import type { Database } from "bun:sqlite";
import type { DayTotalsPayload } from "../../sync/contracts.ts";
import type { SaleQueries } from "../selling/queries.ts";
import type { OutboxAppend } from "./outbox.ts";

export function dayTotals(db: Database, reports: SaleQueries, outbox: OutboxAppend) {
  const lastReport = db.query<{ payload: string }, [string]>("SELECT payload FROM outbox WHERE kind = 'day_totals' AND ref = ? ORDER BY seq DESC LIMIT 1");

  const returned = db.query<{ n: number; total: number | null }, [string]>("SELECT count(*) AS n, sum(total) AS total FROM returns WHERE business_date = ?");

  function document(date: string, at: string): DayTotalsPayload {
    const { from: _from, to: _to, ...figures } = reports.summary({ kind: "date", from: date, to: date });
    const r = returned.get(date)!;
    return { business_date: date, ...figures, refund_minor: r.total ?? 0, returns_count: r.n, computed_at: at };
  }

  function sameFigures(a: DayTotalsPayload, b: DayTotalsPayload): boolean {
    const { computed_at: _a, ...x } = a;
    const { computed_at: _b, ...y } = b;
    return JSON.stringify(x) === JSON.stringify(y);
  }

  /** Report a day inside the caller's transaction (a shift closing), whether or not it changed. */
  function append(date: string, at: string): void {
    outbox("day_totals", date, document(date, at), at);
  }

  return {
    append,
    /**
     * Report a day in its own transaction when its figures differ from the last report (or there was none and the day
     * has sales or returns). Returns whether a report was written.
     */
    reportIfChanged(date: string, at: string): boolean {
      return db
        .transaction(() => {
          const now = document(date, at);
          const last = lastReport.get(date);
          if (last ? sameFigures(JSON.parse(last.payload) as DayTotalsPayload, now) : now.sales_count === 0 && !now.returns_count) return false;
          outbox("day_totals", date, now, at);
          return true;
        })
        .immediate();
    },
  };
}

export type DayTotals = ReturnType<typeof dayTotals>;

/**
 * The business days a periodic report looks at: yesterday (late sales, a shift over midnight) and today. Yesterday is
 * looked for 12 and 24 hours back, so a 23-hour day (clocks going forward) is not skipped.
 */
export function recentBusinessDays(now: Date, dayOf: (at: Date) => string): string[] {
  const back = (h: number) => dayOf(new Date(now.getTime() - h * 3_600_000));
  return [...new Set([back(24), back(12), back(0)])].sort();
}
