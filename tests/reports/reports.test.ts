// The store's reports on a real store database: figures against sales and a return worked out by hand, the period
// before beside them, the CSV with the same figures, the hour of the week on the night the clocks go back, and the
// refusals (a period that is no period; a cashier).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import rollups033 from "../../src/server/db/migrations/033_report_rollups.sql" with { type: "text" };
import { reportQueries, reportViews } from "../../src/server/reports/queries.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let boss: SignedIn;
let clerk: SignedIn;

const get = (path: string, who: SignedIn = boss) => t.app.request(path, { headers: { Cookie: who.cookie } });

/** The CSV as rows of cells (every field quoted, CRLF). */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split("\r\n")
    .map((line) => line.slice(1, -1).split('","'));
}

async function csvOf(path: string): Promise<Record<string, Record<string, string>>> {
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("text/csv");
  const [head, ...rows] = csvRows(await res.text());
  return Object.fromEntries(rows.map((r) => [r[0]!, Object.fromEntries(head!.map((h, i) => [h, r[i]!]))]));
}

beforeAll(async () => {
  t = makeTestStore();
  t.store.db.run("INSERT OR REPLACE INTO settings(key, value) VALUES ('time_zone', 'Europe/Madrid')");
  t.store.reloadSettings();
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  clerk = await signIn(t.store, 2, { name: "Chris Cashier" });
  // yesterday (24/11): one newspaper, cash
  t.clock.advance(-86_400_000);
  t.store.checkout.sell(t.registerId, [{ barcode: codes.paper }], [{ method: "cash", amount: 250 }]);
  t.clock.advance(86_400_000);
  // today (25/11): two milks and a wine at the register, 20.00 cash (4.63 change); bread through the API by card
  // the wine costs the shop 7.00 as it sells (kept with the line: sale_lines.unit_cost)
  t.store.db.run("UPDATE products SET cost = 700 WHERE sku = 'WINE-RED'");
  t.store.till.scan(clerk.registerId, codes.milk);
  t.store.till.scan(clerk.registerId, codes.milk);
  t.store.till.scan(clerk.registerId, codes.wine);
  t.store.till.pay(clerk.registerId, { method: "cash", amount: 2000 }, clerk.userId);
  const bread = t.store.checkout.sell(t.registerId, [{ barcode: codes.bread }], [{ method: "card", amount: 349, card: { last4: "4242" } }]).sale;
  // the bread comes back to the card, taken by the cashier
  const who = { userId: clerk.userId, userName: clerk.userName, registerId: clerk.registerId, registerName: "Lane 2" };
  t.store.returns.complete(who, { saleId: bread.id as string, lines: [{ lineNo: 1, qtyMilli: 1000 }], reasonCode: "changed_mind", refunds: "original" }, null);
});
afterAll(() => t.close());

describe("figures worked out by hand", () => {
  test("by product: gross, refunds, tax, net, items, baskets, margin where the cost is known, and the day before", async () => {
    const rows = await csvOf("/reports/product.csv?from=2026-11-25&to=2026-11-25");
    // milk 2 × 1.19 at 10 % (tax 0.22), wine 12.99 at 20 % (2.17), bread 3.49 at 10 % (0.32) sold and refunded
    expect(rows["Fresh Milk 1 L"]).toMatchObject({ gross: "2.38", refunds: "0.00", tax: "0.22", net: "2.16", items: "2", baskets: "1", margin: "" });
    expect(rows["Rioja Crianza 0.75 L"]).toMatchObject({ gross: "12.99", tax: "2.17", net: "10.82", margin: "3.82", margin_percent: "35.3" });
    expect(rows["Sourdough Bread 800 g"]).toMatchObject({ gross: "3.49", refunds: "3.49", tax: "0.00", net: "0.00", baskets: "1" });
    // the newspaper sold only the day before: a row with nothing now
    expect(rows["Daily Newspaper"]).toMatchObject({ gross: "0.00", gross_previous: "2.50", net_previous: "2.50", baskets: "0", average_basket: "" });
    expect(rows.Total).toMatchObject({
      gross: "18.86",
      discounts: "0.00",
      refunds: "3.49",
      tax: "2.39",
      net: "12.98",
      baskets: "2",
      average_basket: "9.43",
      margin: "3.82",
      gross_previous: "2.50",
      baskets_previous: "1",
    });
  });

  test("by cashier, register, tender, tax rate and category", async () => {
    const q = "?from=2026-11-25&to=2026-11-25";
    const cashiers = await csvOf(`/reports/cashier.csv${q}`);
    expect(cashiers["Chris Cashier"]).toMatchObject({ gross: "15.37", refunds: "3.49", baskets: "1" });
    expect(cashiers["No cashier (sold through the API)"]).toMatchObject({ gross: "3.49", refunds: "0.00", baskets: "1" });
    const registers = await csvOf(`/reports/register.csv${q}`);
    expect(registers["Lane 2"]).toMatchObject({ gross: "15.37", refunds: "3.49" });
    expect(registers.Webshop).toMatchObject({ gross: "3.49", gross_previous: "2.50" });
    // cash: 20.00 less 4.63 change; the card refunded the bread
    const tenders = await csvOf(`/reports/tender.csv${q}`);
    expect(tenders.Cash).toMatchObject({ taken: "15.37", refunded: "0.00", kept: "15.37", taken_previous: "2.50" });
    expect(tenders.Card).toMatchObject({ taken: "3.49", refunded: "3.49", kept: "0.00" });
    expect(tenders.Total).toMatchObject({ taken: "18.86", kept: "15.37", baskets: "2" });
    const rates = await csvOf(`/reports/tax-rate.csv${q}`);
    expect(rates["10 %"]).toMatchObject({ gross: "5.87", refunds: "3.49", tax: "0.22", net: "2.16" });
    expect(rates["20 %"]).toMatchObject({ gross: "12.99", tax: "2.17" });
    expect(rates["0 %"]).toMatchObject({ gross_previous: "2.50" });
    const categories = await csvOf(`/reports/category.csv${q}`);
    expect(categories.Dairy).toMatchObject({ gross: "2.38" });
    expect(categories.Bakery).toMatchObject({ refunds: "3.49", net: "0.00" });
  });

  test("the page shows the same figures, this period beside the one before", async () => {
    const res = await get("/reports/product?period=today");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("25/11/2026 (1 day), beside 24/11/2026");
    expect(html).toMatch(/data-testid="report-total">.*?€18\.86.*?€2\.50/s);
    expect(html).toContain('data-chart="');
    expect(html).not.toMatch(/<script>|style="/);
    // "/reports" is the products view
    expect((await get("/reports")).status).toBe(200);
    // yesterday: the newspaper only, beside the day before it (nothing)
    const rows = await csvOf("/reports/product.csv?from=2026-11-24&to=2026-11-24");
    expect(rows.Total).toMatchObject({ gross: "2.50", gross_previous: "0.00", baskets: "1" });
  });
});

describe("the hour of the week on the night the clocks go back (Madrid, 25/10/2026)", () => {
  test("02:30 summer time and 02:30 winter time are both Sunday 02:00–03:00; 03:30 is the next hour", async () => {
    const at = (iso: string) => {
      t.clock.current = new Date(iso);
      t.store.checkout.sell(t.registerId, [{ barcode: codes.paper }], [{ method: "cash", amount: 250 }]);
    };
    at("2026-10-25T00:30:00Z"); // 02:30 CEST
    at("2026-10-25T01:30:00Z"); // 02:30 CET
    at("2026-10-25T02:30:00Z"); // 03:30 CET
    at("2026-10-24T21:59:00Z"); // 23:59 CEST, Saturday
    t.clock.current = new Date("2026-11-25T10:00:00Z");
    const rows = await csvOf("/reports/hour.csv?from=2026-10-24&to=2026-10-25");
    expect(rows["Sunday 02:00–03:00"]).toMatchObject({ gross: "5.00", baskets: "2" });
    expect(rows["Sunday 03:00–04:00"]).toMatchObject({ gross: "2.50", baskets: "1" });
    expect(rows["Saturday 23:00–24:00"]).toMatchObject({ gross: "2.50", baskets: "1" });
    expect(rows.Total).toMatchObject({ gross: "10.00", baskets: "4" });
    const html = await (await get("/reports/hour?from=2026-10-24&to=2026-10-25")).text();
    expect(html).toContain('data-testid="report-heatmap"');
    expect(html.match(/class="heat-5"/g)).toHaveLength(1);
    expect(html.match(/class="heat-0"/g)).toHaveLength(165);
  });
});

describe("a store that sold before the per-day sums existed", () => {
  test("the migration sums its past sales and returns in: the same rows as kept as they happened", () => {
    const q = reportQueries(t.store.db);
    const read = () => Object.fromEntries(reportViews.map((v) => [v, q.rows(v, "2026-01-01", "2026-12-31").sort((a, b) => (a.key < b.key ? -1 : 1))]));
    const kept = read();
    const tables = ["product_days", "product_weeks", "category_days", "rate_days", "cashier_days", "register_days", "slot_days", "tender_days"];
    t.store.db.transaction(() => {
      for (const x of tables) t.store.db.run(`DELETE FROM report_${x}`);
      t.store.db.exec(rollups033.slice(rollups033.indexOf("-- what the store sold and took back before these tables existed")));
    })();
    expect(read()).toEqual(kept);
  });
});

describe("refusals", () => {
  const refused = [
    ["From after To", "?from=2026-11-25&to=2026-11-01", "From is after To"],
    ["more than a year", "?from=2025-01-01&to=2026-11-25", "a report covers at most 366"],
    ["a day that is no day", "?from=2026-02-30&to=2026-03-01", "is not a day"],
    ["no To", "?from=2026-02-01", "To is missing"],
    ["an unknown period", "?period=fortnight", "Choose a period"],
  ] as const;
  for (const [what, q, sentence] of refused) {
    test(`${what}: 400 with the sentence, on the page and for the CSV`, async () => {
      const page = await get(`/reports/product${q}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain(sentence);
      const csv = await t.app.request(`/reports/product.csv${q}`, { headers: { Cookie: boss.cookie, Accept: "application/json" } });
      expect(csv.status).toBe(400);
      const body = await csv.text();
      expect(body).toContain("invalid_period");
      expect(body).toContain(sentence);
    });
  }

  test("a year is allowed (366 days), an unknown view is not found", async () => {
    expect((await get("/reports/product?from=2024-01-01&to=2024-12-31")).status).toBe(200);
    const res = await get("/reports/margins.csv");
    expect(res.status).toBe(404);
  });

  test("a cashier gets the store's refusal, and no report", async () => {
    for (const path of ["/reports", "/reports/product", "/reports/hour.csv?period=today"]) {
      const res = await get(path, clerk);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain("Rioja");
    }
  });
});
