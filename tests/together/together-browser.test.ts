// Frequently bought together at a lane's register, in Chromium: after the shop's baskets are counted, scanning milk
// shows "Often bought with: Sourdough Bread", a tap adds it as a line, and the scan field keeps the focus throughout
// (the next scan goes straight in), with no CSP violation or console error; and a manager's report of the pair.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { desktop, eventually, itemNames, registerSuite, rowCount, signedInContext } from "../e2e/support.ts";
import { watchPage } from "../helpers/browser.ts";
import { codes, signIn } from "../helpers/store.ts";

const s = registerSuite();
const SHOTS = process.env.TOGETHER_SHOTS ?? "/tmp";

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");
const suggestionShown = (page: Page) => page.getByTestId("suggestion").isVisible();

/** Keys typed as a wedge scanner does, with no click first: they go wherever the focus is. */
async function typeScan(page: Page, code: string): Promise<void> {
  for (const key of [...code, "Enter"]) await page.keyboard.press(key);
}

async function sell(skus: string[]): Promise<void> {
  const res = await s.server.store.api("/api/v1/sales", {
    method: "POST",
    json: { lines: skus.map((sku) => ({ sku })), payments: [{ method: "cash", amount: 100_000 }] },
  });
  if (res.status !== 201) throw new Error(`a sale answered ${res.status}: ${await res.text()}`);
}

describe("the bought-together suggestion at the register", () => {
  test("scanning milk suggests bread; a tap adds the line and the scan field keeps the focus", async () => {
    for (let i = 0; i < 6; i++) await sell(["MILK-1L", "BREAD-SOUR"]);
    for (let i = 0; i < 4; i++) await sell(["WINE-RED"]);
    s.db().together.catchUp();

    const { page, problems } = await s.till(1, { viewport: desktop });
    expect(await focusedId(page)).toBe("barcode");
    expect(await suggestionShown(page)).toBe(false);

    await typeScan(page, codes.milk);
    await eventually(() => suggestionShown(page), true, "the suggestion after scanning milk");
    expect(await page.getByTestId("suggestion").innerText()).toMatch(/Often bought with: Sourdough Bread 800 g €3\.49\s*Add/);
    expect(await focusedId(page)).toBe("barcode");
    await page.screenshot({ path: `${SHOTS}/together-suggestion-${desktop.width}x${desktop.height}.png` });

    // a tap with the mouse (or a finger): the bread is a line, the suggestion goes, the focus never left the scan field
    await page.getByTestId("suggestion-add").click();
    await eventually(() => rowCount(page), 2, "rows after the tap");
    expect(await itemNames(page)).toEqual(["Fresh Milk 1 L", "Sourdough Bread 800 g"]);
    await eventually(() => suggestionShown(page), false, "the suggestion once added");
    expect(await focusedId(page)).toBe("barcode");

    // the next scan goes in without a click; wine has no good rule, so nothing is offered
    await typeScan(page, codes.wine);
    await eventually(() => rowCount(page), 3, "rows after the next scan");
    expect(await suggestionShown(page)).toBe(false);
    expect(await focusedId(page)).toBe("barcode");
    expect(problems()).toEqual([]);
  });

  test("a manager's report lists the pair with its figures, under the strict CSP", async () => {
    const boss = await signIn(s.db(), 8, { role: "manager", shift: false, name: "Maria Manager" });
    const context = await signedInContext(s.browser, s.server.url, boss, desktop);
    try {
      const page = await context.newPage();
      const problems = watchPage(page);
      const res = await page.goto(`${s.server.url}/reports/bought-together`);
      expect(res?.status()).toBe(200);
      const row = page.locator('[data-testid=together-row][data-from="MILK-1L"][data-to="BREAD-SOUR"]');
      expect(await row.getByTestId("together-confidence").innerText()).toBe("100.0 %");
      expect(await page.getByTestId("together-csv").getAttribute("href")).toBe("/reports/bought-together/export.csv");
      await page.screenshot({ path: `${SHOTS}/together-report-${desktop.width}x${desktop.height}.png` });
      expect(problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
