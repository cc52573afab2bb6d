// The reports read per-day sums the database keeps as sales and returns are written (migration 033). For random days of
// trading — register sales by a cashier and API sales, discounts, cash with change and card, returns — in several time
// zones around a day the clocks change, every view's sums equal those read from every raw line, payment and return, and
// the totals equal the sums over the sales table itself.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { businessDate } from "../../src/domain/kernel/calendar.ts";
import { noSums, type SumsRow } from "../../src/domain/reports/figures.ts";
import { hourOfWeek, wallHour } from "../../src/domain/reports/heatmap.ts";
import { addDays } from "../../src/domain/reports/period.ts";
import { reportQueries, reportViews } from "../../src/server/reports/queries.ts";
import { codes, makeTestStore, signIn } from "../helpers/store.ts";
import { rawReportQueries } from "./raw-sums.ts";

/** A zone and an instant its clocks change at (forward or back). */
const zones = [
  { tz: "Europe/Madrid", change: "2026-03-29T01:00:00Z" },
  { tz: "Europe/Madrid", change: "2026-10-25T01:00:00Z" },
  { tz: "America/New_York", change: "2026-11-01T06:00:00Z" },
  { tz: "Australia/Lord_Howe", change: "2026-04-04T15:00:00Z" },
  { tz: "Asia/Kolkata", change: "2026-06-01T00:00:00Z" },
  { tz: "UTC", change: "2026-06-01T00:00:00Z" },
];
const items = [codes.milk, codes.bread, codes.wine, codes.paper];

const sale = fc.record({
  minutes: fc.integer({ min: -36 * 60, max: 36 * 60 }),
  /** Some sales weeks away: a long period reads whole weeks of products (and the days either side) */
  weeksAway: fc.constantFrom(0, 0, 0, -2, -1, 1, 3),
  lines: fc.array(fc.constantFrom(...items), { minLength: 1, maxLength: 4 }),
  atRegister: fc.boolean(),
  discountBp: fc.constantFrom(0, 0, 1000, 2500),
  card: fc.boolean(),
  returned: fc.boolean(),
});

const sorted = (rows: SumsRow[]) => rows.map((r) => ({ key: r.key, sums: r.sums })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe("per-day sums against the raw sales", () => {
  test("every view, every zone, around the clocks changing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones),
        fc.array(sale, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.record({ from: fc.integer({ min: 0, max: 9 }), to: fc.integer({ min: 0, max: 9 }) }),
        async (zone, sales, costed, cut) => {
          const t = makeTestStore();
          try {
            t.store.db.run("INSERT OR REPLACE INTO settings(key, value) VALUES ('time_zone', ?)", [zone.tz]);
            if (costed) t.store.db.run("UPDATE products SET cost = 60 + id * 7");
            t.store.reloadSettings();
            const clerk = await signIn(t.store, 2, { name: "Chris Cashier" });
            const who = { userId: clerk.userId, userName: clerk.userName, registerId: clerk.registerId, registerName: "Lane 2" };
            for (const s of [...sales].sort((a, b) => a.weeksAway - b.weeksAway || a.minutes - b.minutes)) {
              t.clock.current = new Date(Date.parse(zone.change) + s.minutes * 60_000 + s.weeksAway * 7 * 86_400_000);
              let saleId: string;
              if (s.atRegister) {
                for (const code of s.lines) t.store.till.scan(clerk.registerId, code);
                if (s.discountBp) t.store.till.discount(clerk.registerId, null, { kind: "percent", bp: s.discountBp, reason: "staff" });
                const due = t.store.sales.totals(t.store.till.current(clerk.registerId)!).due;
                const done = t.store.till.pay(clerk.registerId, s.card ? { method: "card", amount: due } : { method: "cash", amount: due + 137 }, clerk.userId);
                saleId = done.completed!.saleId;
              } else {
                saleId = t.store.checkout.sell(
                  t.registerId,
                  s.lines.map((barcode) => ({ barcode })),
                  [{ method: "cash", amount: 100_000 }],
                ).sale.id as string;
              }
              if (s.returned) {
                t.clock.advance(45 * 60_000);
                t.store.returns.complete(who, { saleId, lines: [{ lineNo: 1, qtyMilli: 1000 }], reasonCode: "changed_mind", refunds: "original" }, null);
              }
            }
            const days = t.store.db
              .query<{ from: string; to: string }, []>(
                "SELECT min(business_date) AS 'from', max(business_date) AS 'to' FROM (SELECT business_date FROM sales WHERE status = 'completed' UNION ALL SELECT business_date FROM returns)",
              )
              .get()!;
            const kept = reportQueries(t.store.db);
            const raw = rawReportQueries(t.store.db);
            // any part of the days traded, too: the products' whole weeks and the days either side
            const [from, to] = [addDays(days.from, cut.from), addDays(days.to, -cut.to)];
            if (from <= to) expect(sorted(kept.rows("product", from, to))).toEqual(sorted(raw.rows("product", from, to)));
            for (const view of reportViews)
              expect({ view, rows: sorted(kept.rows(view, days.from, days.to)) }).toEqual({ view, rows: sorted(raw.rows(view, days.from, days.to)) });
            // the totals against the sales table itself, and each sale in the hour its completion reads on the store's clock
            const made = t.store.db
              .query<{ completed_at: string; business_date: string; gross: number }, []>(
                "SELECT completed_at, business_date, total + discount_total AS gross FROM sales WHERE status = 'completed'",
              )
              .all();
            const gross = kept.rows("product", days.from, days.to).reduce((n, r) => n + r.sums.sold, 0);
            expect(gross).toBe(made.reduce((n, s) => n + s.gross, 0));
            for (const s of made) expect(s.business_date).toBe(businessDate(new Date(s.completed_at), zone.tz));
            const cells = hourOfWeek(
              kept.rows("hour", days.from, days.to).map((r) => ({ slot: r.key, sums: r.sums })),
              zone.tz,
            );
            const byHour = new Map<number, number>();
            for (const s of made) {
              const h = wallHour(new Date(s.completed_at), zone.tz);
              byHour.set(h.weekday * 24 + h.hour, (byHour.get(h.weekday * 24 + h.hour) ?? 0) + s.gross);
            }
            for (const [i, c] of cells.entries()) expect(c.sums === noSums ? 0 : c.sums.sold).toBe(byHour.get(i) ?? 0);
          } finally {
            t.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
