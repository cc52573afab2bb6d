// What a store tells head office besides its sales: each sale's business day in the shop's time zone, the Z report of
// every closed shift, and its own day totals — written in the transaction of what they report.
import { afterEach, expect, test } from "bun:test";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { codes, makeTestStore, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
afterEach(() => t?.close());

type Row = { seq: number; kind: string; ref: string; payload: string; hash: string };
const outbox = (t: TestStore) => t.store.db.query<Row, []>("SELECT seq, kind, ref, payload, hash FROM outbox ORDER BY seq").all();
const sha256 = (s: string) => new Bun.CryptoHasher("sha256").update(s).digest("hex");

/** A sale rung up at the register and paid cash: milk and bread, 4.68. */
function ringUp(t: TestStore, registerId: number, cashierId: number, cash = 1000): void {
  t.store.till.scan(registerId, codes.milk);
  t.store.till.scan(registerId, codes.bread);
  t.store.till.pay(registerId, { method: "cash", amount: cash }, cashierId);
}

test("a sale's document carries the shop's business day, in the store's time zone, not UTC", async () => {
  t = makeTestStore();
  writeSetting(t.store.db, "time_zone", "Pacific/Auckland");
  t.store.reloadSettings();
  t.clock.current = new Date("2026-11-25T20:30:00.000Z"); // 09:30 on the 26th in Auckland
  const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 200 }] } });
  expect(res.status).toBe(201);
  expect(((await res.json()) as { business_date: string }).business_date).toBe("2026-11-26");
  const [sale] = outbox(t);
  expect(sale!.kind).toBe("sale");
  expect(JSON.parse(sale!.payload).business_date).toBe("2026-11-26");
  expect(sale!.hash).toBe(sha256(sale!.payload));
});

test("closing a shift sends its Z report and the day's totals, after the sales they count", async () => {
  t = makeTestStore();
  const cashier = await signIn(t.store, 1, { name: "Ann" });
  const manager = await signIn(t.store, 2, { role: "manager", name: "Bob", shift: false });
  ringUp(t, cashier.registerId, cashier.userId);
  ringUp(t, cashier.registerId, cashier.userId, 500);
  t.store.checkout.sell(t.registerId, [{ barcode: codes.wine }], [{ method: "card", amount: 1299 }]); // the webshop, no shift
  t.clock.advance(3_600_000);
  const shift = t.store.shifts.current(cashier.registerId)!;
  const z = t.store.shifts.close(shift.id, 10_000 + 936 - 2, null, manager.userId, t.clock.now().toISOString());

  const rows = outbox(t);
  expect(rows.map((r) => r.kind)).toEqual(["sale", "sale", "sale", "shift_closed", "day_totals"]);
  expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  const closed = JSON.parse(rows[3]!.payload);
  expect(rows[3]!.ref).toBe(`${shift.id}@${shift.openedAt}`);
  expect(closed).toMatchObject({
    shift_id: shift.id,
    register_id: cashier.registerId,
    business_date: "2026-11-25",
    opened_by: "Ann",
    closed_by: "Bob",
    opening_float: 10_000,
    sales_count: 2,
    sales_total: 936,
    cash_sales: 936,
    expected_cash: 10_936,
    counted_cash: 10_934,
    over_short: -2,
    tenders: [{ method: "cash", amount: 936 }],
  });
  expect(closed.sales_total).toBe(z.salesTotal);

  // the day's totals are the store's whole day (the webshop's card sale too), exactly what its own summary says
  const day = JSON.parse(rows[4]!.payload);
  const summary = (await (await t.api("/api/v1/summary?from=2026-11-25&to=2026-11-25")).json()) as Record<string, unknown>;
  expect(rows[4]!.ref).toBe("2026-11-25");
  expect(day).toMatchObject({ business_date: "2026-11-25", sales_count: 3, total_minor: 936 + 1299, by_method: { cash: 936, card: 1299 } });
  for (const k of ["sales_count", "total_minor", "tax_minor", "discount_minor", "rounding_minor", "by_method"]) expect(day[k]).toEqual(summary[k]);
  for (const r of rows) expect(r.hash).toBe(sha256(r.payload));
});

test("periodic day totals are sent only when they changed, and never for a day without sales", () => {
  t = makeTestStore();
  expect(t.store.reportDayTotals()).toEqual([]);
  t.store.checkout.sell(t.registerId, [{ barcode: codes.milk }], [{ method: "cash", amount: 200 }]);
  expect(t.store.reportDayTotals()).toEqual(["2026-11-25"]);
  expect(t.store.reportDayTotals()).toEqual([]); // nothing new
  t.clock.advance(60_000);
  t.store.checkout.sell(t.registerId, [{ barcode: codes.bread }], [{ method: "cash", amount: 400 }]);
  expect(t.store.reportDayTotals()).toEqual(["2026-11-25"]);
  // past midnight: yesterday is looked at once more (unchanged), today has nothing yet
  t.clock.current = new Date("2026-11-26T00:10:00.000Z");
  expect(t.store.reportDayTotals()).toEqual([]);
  const reports = outbox(t)
    .filter((r) => r.kind === "day_totals")
    .map((r) => JSON.parse(r.payload));
  expect(reports.map((r) => [r.business_date, r.sales_count, r.total_minor])).toEqual([
    ["2026-11-25", 1, 119],
    ["2026-11-25", 2, 119 + 349],
  ]);
});
