// The overview's figures for one business day: the chain's totals beside the same weekday a week earlier, the last
// fortnight's net for the chart, each store's day, and what needs someone's attention — worst first.
import { isCalendarDate } from "../../../domain/kernel/calendar.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import type { Attention, ChainDay, OverviewSort, OverviewStore, OverviewView } from "../../../views/hq/overview.tsx";
import { salesByDayAndStore } from "../api/summary.ts";
import type { HqSql } from "../db/db.ts";
import { journalStandings } from "../journal/chain.ts";
import { onlySeen, type StoreFilter, storesIn } from "../people/store-filter.ts";
import { reconcile } from "../reconciliation/reconciliation.ts";
import { contactColumns } from "./contact.ts";

/** Days in the chart, the chosen day last: two weeks, so the same weekday a week earlier is among them. */
export const CHART_DAYS = 14;
/** A store not heard from for this long is offline: a connected store exchanges with head office every few seconds. */
export const SILENT_MINUTES = 15;
/** How far back reconciliation differences are looked for: the chosen day and the day before (a store sends a day's totals at its close). */
export const RECONCILE_DAYS = 2;
/** A clone seen this recently is still a problem; an older one is history (the store's page keeps it). */
const CLONE_DAYS = 7;

/** A calendar day moved by whole days: "2026-12-04" less 7 is "2026-11-27". */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whether `?day=` names a day the overview can show: a real calendar date within PostgreSQL's and our partitions' years. */
export const isOverviewDay = (s: string) => isCalendarDate(s) && s >= "2000-01-01" && s <= "2199-12-31";

/** The day and order a person asked for (`?day=YYYY-MM-DD&sort=worst`), today by name when not said. */
export function overviewRequest(q: { day?: string | undefined; sort?: string | undefined }, today: string): { day: string; sort: OverviewSort } {
  const day = q.day || today;
  if (!isOverviewDay(day)) {
    throw new Problem("invalid_period", `Choose a business day as year-month-day between 2000 and 2199, like ${today}: "${day.slice(0, 40)}" is not one.`);
  }
  const sort = q.sort || "name";
  if (sort !== "name" && sort !== "worst") {
    throw new Problem("invalid_request", `Stores are shown by name or worst day first (sort=name or sort=worst), not "${sort.slice(0, 40)}".`);
  }
  return { day, sort };
}

/** `stores`: the stores the person may see (people/store-filter.ts); every store when absent. */
export async function overview(sql: HqSql, q: { day: string; now: Date; stores?: StoreFilter }): Promise<Omit<OverviewView, "message" | "sort" | "today">> {
  if (!isOverviewDay(q.day)) throw new RangeError(`not a business date: ${q.day}`);
  const from = shiftDay(q.day, -(CHART_DAYS - 1));
  const seen = q.stores ?? null;
  const [stores, everyByDay, everyDiff, journals] = await Promise.all([
    look(sql, (tx) => storesOf(tx, q.now, seen)),
    // one pass over the fortnight's sales gives the chart, the chain's two days and each store's chosen day
    look(sql, (tx) => salesByDayAndStore(tx, from, q.day)),
    look(sql, (tx) => reconcile(tx, { from: shiftDay(q.day, -(RECONCILE_DAYS - 1)), to: q.day })),
    look(sql, (tx) => journalStandings(tx)),
  ]);
  const byDay = onlySeen(seen, everyByDay);
  const diffs = onlySeen(seen, everyDiff);
  const days: ChainDay[] = Array.from({ length: CHART_DAYS }, (_, i) => ({
    business_date: shiftDay(from, i),
    sales_count: 0,
    total_minor: 0,
    returns_count: 0,
    refund_minor: 0,
    net_minor: 0,
  }));
  const at = new Map(days.map((d) => [d.business_date, d]));
  const ofStore = new Map<string, (typeof byDay)[number]>();
  for (const r of byDay) {
    const d = at.get(r.business_date)!;
    d.sales_count += r.sales_count;
    d.total_minor += r.total_minor;
    d.returns_count += r.returns_count;
    d.refund_minor += r.refund_minor;
    d.net_minor += r.net_minor;
    if (r.business_date === q.day) ofStore.set(r.store_id, r);
  }
  const rows: OverviewStore[] = stores.map((s) => {
    const d = ofStore.get(s.store_id);
    return { ...s, day_count: d?.sales_count ?? 0, day_total: d?.total_minor ?? 0, day_refund: d?.refund_minor ?? 0 };
  });
  const mismatches = new Map<string, string[]>();
  for (const d of diffs) if (d.status === "mismatch") mismatches.set(d.store_id, [...(mismatches.get(d.store_id) ?? []), d.business_date]);
  return {
    now: q.now,
    day: q.day,
    days,
    stores: rows,
    attention: attentionOf(rows, mismatches, q.now, journals),
    byDay: byDay.filter((r) => r.business_date === q.day || r.business_date === shiftDay(q.day, -7)),
    deadLetters: rows.reduce((n, s) => n + s.dead_letters, 0),
  };
}

type StoreFacts = Omit<OverviewStore, "day_count" | "day_total" | "day_refund">;

/**
 * One read of the page, on a connection of its own so the three run at once. PostgreSQL's JIT compiler would spend
 * seconds on a query its planner guesses big (reconciliation's, over a year of partitions) that then reads a few
 * thousand rows: off for these reads.
 */
function look<T>(sql: HqSql, read: (tx: HqSql) => Promise<T>): Promise<T> {
  return sql.begin("read only", async (tx) => {
    await tx`SET LOCAL jit = off`;
    return read(tx as unknown as HqSql);
  }) as Promise<T>;
}

function storesOf(sql: HqSql, now: Date, seen: StoreFilter) {
  return sql<StoreFacts[]>`
    SELECT st.store_id::text, st.name, st.last_seq, ${contactColumns(sql)}, st.restored_epoch, st.catalog_version,
      st.catalog_problems, st.catalog_error,
      coalesce(st.last_contact_at > ${now}::timestamptz - make_interval(mins => ${SILENT_MINUTES}::int), false) AS online,
      coalesce(d.n, 0)::int8 AS dead_letters,
      -- releases the store has not taken: a scheduled one it holds for its time (catalog_pending) is taken, not lag
      (SELECT count(*) FROM catalog_releases r
        WHERE r.version > coalesce(st.catalog_version, 0) AND NOT r.version = ANY (st.catalog_pending))::int8 AS catalog_behind,
      (SELECT count(*) FROM store_clones k
        WHERE k.store_id = st.store_id AND k.installation_id IS DISTINCT FROM st.installation_id
          AND k.last_seen_at > ${now}::timestamptz - make_interval(days => ${CLONE_DAYS}::int))::int8 AS clones
    FROM stores st
    LEFT JOIN (SELECT store_id, count(*) AS n FROM dead_letters GROUP BY store_id) d ON d.store_id = st.store_id
    -- a retired store keeps its history (its page, reports) but is no store the chain runs today
    WHERE st.retired_at IS NULL ${storesIn(sql, seen, "st.store_id")}
    ORDER BY st.name, st.store_id`;
}

/**
 * What needs attention, the worst kind first: a store that cannot send (a clone, a database waiting to be accepted),
 * one not heard from, items set aside, totals that disagree, then a store behind on its catalog.
 */
function attentionOf(
  stores: OverviewStore[],
  mismatches: Map<string, string[]>,
  now: Date,
  journals: Awaited<ReturnType<typeof journalStandings>>,
): Attention[] {
  const out: Attention[] = [];
  const of = (s: OverviewStore) => ({ store_id: s.store_id, name: s.name });
  for (const s of stores) if (s.clones > 0) out.push({ kind: "clone", ...of(s), count: s.clones });
  for (const s of stores) if (s.restored_epoch !== null) out.push({ kind: "restored", ...of(s) });
  // a journal that does not hold: entries changed, lost or moved at the store (journal/chain.ts)
  for (const s of stores) {
    const j = journals.get(s.store_id);
    if (j?.broken_seq != null) out.push({ kind: "journal", ...of(s), seq: j.broken_seq, reason: j.broken_reason ?? "" });
  }
  const silent = stores.filter((s) => !s.online).sort((a, b) => (a.last_contact_at?.getTime() ?? 0) - (b.last_contact_at?.getTime() ?? 0));
  for (const s of silent) out.push({ kind: "silent", ...of(s), since: s.last_contact_at, seconds: silentFor(s.last_contact_at, now) });
  for (const s of stores) if (s.dead_letters > 0) out.push({ kind: "dead_letters", ...of(s), count: s.dead_letters });
  for (const s of stores) {
    const days = mismatches.get(s.store_id);
    if (days) out.push({ kind: "reconciliation", ...of(s), days });
  }
  // a store never heard from has no catalog to be behind with: "not heard from" says it already
  for (const s of stores)
    if (s.catalog_behind > 0 && s.last_contact_at !== null) out.push({ kind: "catalog", ...of(s), count: s.catalog_behind, version: s.catalog_version });
  return out;
}

const silentFor = (at: Date | null, now: Date) => (at ? Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)) : null);
