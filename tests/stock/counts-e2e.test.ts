// A stock count as a supervisor does it in Chromium: start a count from the menu's page, scan three items into the sheet
// (each scan answered with the line and its total, the box empty and focused for the next), see the differences and
// approve them onto the books.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually, signedInContext, textOf } from "../e2e/support.ts";
import { launchBrowser, startTestServer, type TestServer, watchPage } from "../helpers/browser.ts";
import { codes, signIn } from "../helpers/store.ts";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("a stock count in the browser", () => {
  test("start a count, scan three items, see the differences, approve", async () => {
    const store = server.store.store;
    const supervisor = await signIn(store, 1, { role: "supervisor", shift: false });
    const context = await signedInContext(browser, server.url, supervisor);
    try {
      const page = await context.newPage();
      const problems = watchPage(page);
      await page.goto(`${server.url}/stock/counts`);
      await page.getByTestId("count-scope-all").check();
      await page.getByTestId("count-start-button").click();
      await page.waitForURL((u) => /^\/stock\/counts\/[0-9a-f-]{36}$/.test(u.pathname));
      const countId = new URL(page.url()).pathname.split("/").at(-1)!;

      // the box has the focus; each scan is answered with the line and its total, the box empty again for the next
      await page.waitForFunction(() => document.activeElement?.id === "count-code");
      const scan = async (text: string, expected: string) => {
        await page.keyboard.type(text);
        await page.keyboard.press("Enter");
        await eventually(() => textOf(page, "count-last"), expected, `after scanning ${text}`);
        await eventually(
          () => page.evaluate(() => [document.activeElement?.id, (document.getElementById("count-code") as HTMLInputElement).value]),
          ["count-code", ""],
          "the box ready for the next scan",
        );
      };
      await scan(codes.milk, "Fresh Milk 1 L: +1, 1 counted");
      await scan(`${codes.bread} x2`, "Sourdough Bread 800 g: +2, 2 counted");
      await scan(codes.milk, "Fresh Milk 1 L: +1, 2 counted");
      expect(await textOf(page, "count-products")).toBe("2");

      // the differences: 50 milk and 20 bread on the books
      await page.getByTestId("count-report-link").click();
      await page.waitForURL(`**/stock/counts/${countId}/report`);
      const variances = await page.getByTestId("count-variance").allInnerTexts();
      expect(variances.sort()).toEqual(["−18", "−48"]);
      // nothing costed in this shop yet: said plainly
      expect(await textOf(page, "count-no-cost")).toContain("2 products have a difference but no cost");
      await page.getByTestId("count-uncounted-leave").check();
      await page.getByTestId("count-approve").click();
      await page.waitForURL((u) => u.pathname.endsWith("/report") && u.searchParams.get("done") === "approved");
      expect(await textOf(page, "form-message")).toBe("Approved: the counted stock is on the books.");
      expect(await textOf(page, "count-status")).toContain("Approved");
      expect([store.catalog.bySku("MILK-1L")!.stockMilli, store.catalog.bySku("BREAD-SOUR")!.stockMilli]).toEqual([2000, 2000]);
      const moves = store.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM stock_movements WHERE reason = 'count' AND document = ?").get(countId)!;
      expect(moves.n).toBe(2);
      expect(store.ledger.disagreements()).toEqual([]);
      expect(problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
