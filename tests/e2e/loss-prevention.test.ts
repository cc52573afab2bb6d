// Loss prevention in Chromium at a lane's screen: the page opens with its flagged cashier, under the strict CSP, with
// no console error, and its tables stay within the screen's width.
import { expect, test } from "bun:test";
import { watchPage } from "../helpers/browser.ts";
import { codes, signIn } from "../helpers/store.ts";
import { registerSuite, signedInContext, tablet } from "./support.ts";

/** A browser and the store, for every test of the file. */
const suite = registerSuite();

test("a manager opens loss prevention at a lane's size: the cashier voiding on every sale is flagged, no console or CSP error", async () => {
  const { browser, server: shop } = suite;
  const { store } = shop.store;
  for (const [lane, name, voids] of [
    [1, "Ann", 0],
    [2, "Bob", 0],
    [3, "Cid", 1],
    [4, "Vic", 8],
  ] as const) {
    const s = await signIn(store, lane, { name });
    for (let i = 0; i < 8; i++) {
      store.till.scan(s.registerId, codes.milk);
      const r = store.till.scan(s.registerId, codes.bread);
      if (i < voids) store.till.removeLine(s.registerId, r.sale!.lines.at(-1)!.lineId);
      store.till.pay(s.registerId, { method: "cash", amount: 1000 }, s.userId);
    }
  }
  const boss = await signIn(store, 9, { role: "manager", shift: false, name: "Maria Manager" });
  const context = await signedInContext(browser, shop.url, boss, tablet);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${shop.url}/reports/loss-prevention`);
  expect(await page.getByTestId("loss-row").count()).toBe(4);
  expect(await page.getByTestId("loss-flag").count()).toBe(1);
  expect(await page.locator('[data-cashier="Vic"] [data-testid=loss-flag]').count()).toBe(1);
  // the page itself never runs off to the side; a wide table scrolls within its own box
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // the voids behind the flag, one click away
  await page.locator('[data-cashier="Vic"] [data-measure=voids] a').click();
  await page.waitForURL(/\/reports\/loss-prevention\/voids/);
  expect(await page.getByTestId("void-row").count()).toBe(8);
  expect(problems()).toEqual([]);
  await context.close();
});
