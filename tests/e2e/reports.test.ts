// The store's reports in Chromium as a manager opens them, at a lane's screen and a tablet's: every view draws its
// chart (uPlot, a canvas) and the hour of the week its heatmap with no CSP violation, and the CSV a manager downloads
// has the figures of the table.
import { beforeAll, expect, test } from "bun:test";
import { watchPage } from "../helpers/browser.ts";
import { codes, type SignedIn, signIn } from "../helpers/store.ts";
import { desktop, registerSuite, signedInContext, tablet } from "./support.ts";

/** A browser and the store, for every test of the file. */
const suite = registerSuite();
let boss: SignedIn;
const views = ["product", "category", "cashier", "register", "tender", "tax-rate", "hour"];

beforeAll(async () => {
  const { store, clock, registerId } = suite.server.store;
  boss = await signIn(store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  const clerk = await signIn(store, 2, { name: "Chris Cashier" });
  // a few sales this week and last, at different hours
  for (const [hoursBack, code] of [
    [0, codes.milk],
    [3, codes.wine],
    [26, codes.bread],
    [50, codes.paper],
  ] as const) {
    clock.current = new Date(Date.parse("2026-11-25T10:00:00Z") - hoursBack * 3600_000);
    store.checkout.sell(registerId, [{ barcode: code }, { barcode: codes.milk }], [{ method: "cash", amount: 5000 }]);
  }
  clock.current = new Date("2026-11-25T10:00:00Z");
  store.till.scan(clerk.registerId, codes.wine);
  store.till.pay(clerk.registerId, { method: "cash", amount: 2000 }, clerk.userId);
});

for (const size of [desktop, tablet]) {
  test(`each view and the heatmap at ${size.width}×${size.height}: a chart drawn, nothing off the side, no CSP violation`, async () => {
    const { browser, server: shop } = suite;
    const context = await signedInContext(browser, shop.url, boss, size);
    const page = await context.newPage();
    const problems = watchPage(page);
    for (const view of views) {
      await page.goto(`${shop.url}/reports/${view}?period=week`);
      await page.waitForSelector("[data-testid=report-chart] canvas");
      expect(await page.locator("[data-testid=report-chart].drawn").count()).toBe(1);
      expect(await page.getByTestId("report-row").count()).toBeGreaterThan(0);
      if (view === "hour") {
        expect(await page.locator("[data-testid=report-heatmap] td").count()).toBe(168);
        expect(await page.locator("[data-testid=report-heatmap] td.heat-5").count()).toBeGreaterThan(0);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    }
    // the picker: a custom period through the page's own controls
    await page.getByTestId("view-product").click();
    await page.getByTestId("report-period-choice").selectOption("custom");
    await page.getByTestId("report-from").fill("2026-11-23");
    await page.getByTestId("report-to").fill("2026-11-24");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/from=2026-11-23/);
    expect(await page.getByTestId("report-summary").innerText()).toStartWith("23/11/2026 – 24/11/2026 (2 days), beside 21/11/2026 – 22/11/2026");
    expect(problems()).toEqual([]);
    await context.close();
  });
}

test("the CSV downloaded from the page has the table's figures", async () => {
  const { browser, server: shop } = suite;
  const context = await signedInContext(browser, shop.url, boss, desktop);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${shop.url}/reports/product?period=week`);
  const table = await page.evaluate(() =>
    Array.from(document.querySelectorAll("[data-testid=report-row], [data-testid=report-total]")).map((tr) => [
      tr.querySelector("th")!.textContent!.trim(),
      ...Array.from(tr.querySelectorAll("td")).flatMap((td) => Array.from(td.querySelectorAll("span")).map((s) => s.textContent!.trim())),
    ]),
  );
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-csv").click()]);
  const text = await Bun.file((await download.path())!).text();
  const [, ...rows] = text
    .trim()
    .split("\r\n")
    .map((l) => l.slice(1, -1).split('","'));
  // the page writes €12.99, 35.3 % and "—"; the file 12.99, 35.3 and nothing
  const plain = (s: string) =>
    s === "—"
      ? ""
      : s
          .replace(/^(-?)€/, "$1")
          .replace(/ %$/, "")
          .replace(/,/g, "");
  expect(rows.length).toBe(table.length);
  expect(rows).toEqual(table.map((r) => [r[0]!, ...r.slice(1).map(plain)]));
  expect(problems()).toEqual([]);
  await context.close();
});
