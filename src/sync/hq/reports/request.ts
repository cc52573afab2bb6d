// What a report request asks for, read once for the pages and the JSON API alike: the period (period.ts), the store it
// is narrowed to (one the asker may see, else 404 as a store head office does not know), and which view.
import type { Context } from "hono";
import { businessDate, isCalendarDate } from "../../../domain/kernel/calendar.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { maySee, storeFilterOf } from "../people/store-filter.ts";
import { periodOf, previousPeriod, type ReportPeriod } from "./period.ts";
import { CHAIN_ROWS, type Scope } from "./queries.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const REPORT_VIEWS = ["products", "categories", "stores", "days", "hours", "tenders", "movers"] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];

/** A store id from the address, or null; one not a store id is refused, one the asker may not see is not found. */
export function storeParam(c: Context<HqEnv>, value: string | undefined): string | null {
  if (!value) return null;
  if (!uuid.test(value)) throw new Problem("invalid_request", "Choose the store from the list: that is not a store's id.", { field: "store" });
  // the chain's rows of the rollups are kept under the nil id (queries.ts): no store has it
  if (!maySee(storeFilterOf(c), value) || value === CHAIN_ROWS) throw new Problem("store_not_found", "This store is not registered at head office.");
  return value.toLowerCase();
}

/** A business day from the address (the drill-down's day). */
export function dayParam(value: string | undefined): string {
  const d = value ?? "";
  if (!isCalendarDate(d) || d < "2000-01-01" || d > "2199-12-31") {
    throw new Problem("invalid_period", `Choose the business day as year-month-day between 2000 and 2199: "${d.slice(0, 40)}" is not one.`, { field: "day" });
  }
  return d;
}

export type ReportRequest = { period: ReportPeriod; previous: { from: string; to: string }; scope: Scope; previousScope: Scope; today: string };

export function reportRequest(c: Context<HqEnv>, deps: Pick<HqDeps, "clock" | "timeZone">): ReportRequest {
  const today = businessDate(deps.clock.now(), deps.timeZone);
  const q = c.req.query();
  const period = periodOf({ period: q.period, from: q.from, to: q.to }, today);
  const previous = previousPeriod(period);
  const store = storeParam(c, q.store);
  const stores = storeFilterOf(c);
  return {
    period,
    previous,
    today,
    scope: { from: period.from, to: period.to, stores, store },
    previousScope: { ...previous, stores, store },
  };
}

export function viewParam(value: string | undefined): ReportView {
  const v = value || "products";
  if (!(REPORT_VIEWS as readonly string[]).includes(v)) {
    throw new Problem("invalid_request", `Choose a report of ${REPORT_VIEWS.join(", ")}: "${v.slice(0, 40)}" is not one.`, { field: "view" });
  }
  return v as ReportView;
}
