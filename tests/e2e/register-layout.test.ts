// The register on every screen a shop has: a lane PC (1366×768), a tablet (1024×768) and a phone (390×844). Nothing
// spills out of its box, every category can be reached and the chosen one is in sight, names take two lines at most,
// the key hints are one tap away where they do not fit, and on a phone the sale and its payment are one column.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { codes } from "../helpers/store.ts";
import { desktop, dialogOpen, eventually, registerSuite, scanAndWait, tablet } from "./support.ts";

const suite = registerSuite();
const phone = { width: 390, height: 844 };

type Box = { x: number; y: number; width: number; height: number };
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

/** The function-key buttons whose label is wider than the button (cut off or running into the next one). */
const overflowing = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>(".actions button, .tenders button, .topbar button"))
      .filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
      .map((b) => b.innerText.replace(/\s+/g, " ").trim()),
  );

describe("the register's layout", () => {
  for (const [label, size] of [
    ["lane", desktop],
    ["tablet", tablet],
  ] as const) {
    test(`${label}: every key's label fits its button; Card's F9 badge is a small badge`, async () => {
      const { page, problems } = await suite.till(label === "lane" ? 1 : 2, { viewport: size });
      expect(await overflowing(page)).toEqual([]);
      const badge = await page.getByTestId("card-payment").locator("kbd").boundingBox();
      expect(badge!.width).toBeLessThan(40);
      expect(badge!.height).toBeLessThan(30);
      expect(problems()).toEqual([]);
    });
  }

  test("tablet: a long name takes two lines at most; the key hints are one tap away", async () => {
    const { page, problems } = await suite.till(3, { viewport: tablet });
    suite.db().db.query("UPDATE products SET name = 'Boulangerie Dupré Chocolate Chip Brioche with Belgian Butter 400 g' WHERE sku = 'BREAD-SOUR'").run();
    await scanAndWait(page, codes.bread, 1);
    const lineHeights = await page
      .locator("[data-testid=item-row] .item-name")
      .first()
      .evaluate((el) => el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight));
    expect(lineHeights).toBeLessThanOrEqual(2.05);
    expect(await page.locator("[data-testid=item-row] .item-name").first().getAttribute("title")).toBe(
      "Boulangerie Dupré Chocolate Chip Brioche with Belgian Butter 400 g",
    );
    await page.getByTestId("keys-help").locator("summary").click();
    expect(await page.getByTestId("keys-help").locator("li", { hasText: "F12" }).isVisible()).toBe(true);
    suite.db().db.query("UPDATE products SET name = 'Sourdough Bread 800 g' WHERE sku = 'BREAD-SOUR'").run();
    expect(problems()).toEqual([]);
  });

  test("every category can be reached, and the chosen one stays in sight", async () => {
    const db = suite.db().db;
    // a shop with many departments: more tabs than fit in two rows
    for (let i = 1; i <= 24; i++) db.query("INSERT OR IGNORE INTO categories(name) VALUES (?)").run(`Department ${String(i).padStart(2, "0")}`);
    const { page, problems } = await suite.till(4, { viewport: tablet });
    const last = page.getByRole("tab", { name: "Newspapers" });
    await last.scrollIntoViewIfNeeded();
    await last.click();
    await eventually(() => page.getByRole("tab", { name: "Newspapers" }).getAttribute("aria-selected"), "true", "the chosen tab");
    const bar = await page.locator(".quick-keys .tabs").boundingBox();
    const chosen = await page.getByRole("tab", { name: "Newspapers" }).boundingBox();
    expect(inside(chosen!, bar!)).toBe(true);
    // the bar scrolls: what does not fit is below, not cut off to the side
    const scroll = await page
      .locator(".quick-keys .tabs")
      .evaluate((el) => ({ wide: el.scrollWidth > el.clientWidth + 1, tall: el.scrollHeight > el.clientHeight }));
    expect(scroll).toEqual({ wide: false, tall: true });
    db.query("DELETE FROM categories WHERE name LIKE 'Department %'").run();
    expect(problems()).toEqual([]);
  });

  test("phone: one column — scan, the lines, the total and the payment keys — and the cash dialog fits", async () => {
    const { page, problems } = await suite.till(5, { viewport: phone });
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    expect(await overflowing(page)).toEqual([]);
    const order: number[] = [];
    for (const id of ["barcode-input", "item-row", "sale-total", "cash-payment", "card-payment"]) {
      const box = await page.getByTestId(id).first().boundingBox();
      expect({ id, fits: box!.x >= 0 && box!.x + box!.width <= phone.width }).toEqual({ id, fits: true });
      order.push(box!.y);
    }
    // top to bottom in that order (Cash and Card side by side)
    expect(order.slice(0, 4)).toEqual([...order.slice(0, 4)].sort((a, b) => a - b));
    await page.getByTestId("cash-payment").click();
    await eventually(() => dialogOpen(page), true, "cash dialog");
    const dialog = await page.locator("#dialog").boundingBox();
    expect(inside(dialog!, { x: 0, y: 0, ...phone })).toBe(true);
    await page.getByTestId("complete-sale").click();
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    const receipt = await page.locator("#dialog").boundingBox();
    expect(inside(receipt!, { x: 0, y: 0, ...phone })).toBe(true);
    expect(await page.getByTestId("next-sale").isVisible()).toBe(true);
    expect(problems()).toEqual([]);
  });
});
