// Quick keys a shop arranges, in Chromium: a manager makes a favourites page in the back office with its own forms
// (search, add, move up with the keyboard), then a cashier's register shows it as the first, chosen tab with the keys
// in that order, and tapping a key sells the item. Screenshots of both at a lane's and a tablet's size go to /tmp.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { watchPage } from "../helpers/browser.ts";
import { signIn } from "../helpers/store.ts";
import { desktop, eventually, lines, registerSuite, signedInContext, tablet } from "./support.ts";

const s = registerSuite();
const SHOTS = process.env.QUICK_KEYS_SHOTS ?? "/tmp";

const keyNames = (page: Page) => page.locator("#quick-keys [data-testid=quick-key] .k-name").allInnerTexts();
const listed = (page: Page) => page.locator("[data-testid=qk-key] .qk-key-name").allInnerTexts();
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/** Find a product with the page's search form and add it with the result's Add button. */
async function addByFinding(page: Page, query: string, name: string) {
  await page.getByTestId("qk-search").fill(query);
  await Promise.all([page.waitForURL(/q=/), page.getByTestId("qk-search").press("Enter")]);
  const row = page.getByTestId("qk-result").filter({ hasText: name });
  await Promise.all([page.waitForURL(/done=key_added/), row.getByTestId("qk-add").click()]);
}

describe("a favourites page, arranged in the back office, at the register", () => {
  test("the manager fills and orders it; the cashier sees it first, in that order, and a tap adds the item", async () => {
    const store = s.db();
    const boss = await signIn(store, 9, { role: "manager", shift: false, name: "Maria Manager" });
    const office = await signedInContext(s.browser, s.server.url, boss, desktop);
    const page = await office.newPage();
    const problems = watchPage(page);
    await page.goto(`${s.server.url}/quick-keys`);
    expect(await page.getByTestId("qk-empty").isVisible()).toBe(true);

    await page.getByTestId("qk-new-name").fill("Favourites");
    await Promise.all([page.waitForURL(/done=page_added/), page.getByTestId("qk-add-page").click()]);
    expect(await page.getByTestId("qk-page-title").innerText()).toBe("Favourites");
    await addByFinding(page, "milk", "Fresh Milk 1 L");
    await addByFinding(page, "BREAD-SOUR", "Sourdough Bread 800 g");
    await addByFinding(page, "rioja", "Rioja Crianza 0.75 L");
    expect(await listed(page)).toEqual(["Fresh Milk 1 L", "Sourdough Bread 800 g", "Rioja Crianza 0.75 L"]);
    expect(await page.getByTestId("qk-message").innerText()).toBe("Rioja Crianza 0.75 L added to “Favourites” as key 3.");

    // by keyboard: the wine's "Up" button, Enter, and the focus is back on it for the next Enter
    const wine = store.catalog.bySku("WINE-RED")!.id;
    await page.locator(`#key-${wine}-up`).focus();
    await Promise.all([page.waitForURL(/done=key_moved/), page.keyboard.press("Enter")]);
    await eventually(() => focusedId(page), `key-${wine}-up`, "the focus after moving up");
    expect(await listed(page)).toEqual(["Fresh Milk 1 L", "Rioja Crianza 0.75 L", "Sourdough Bread 800 g"]);
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    expect(await listed(page)).toEqual(["Rioja Crianza 0.75 L", "Fresh Milk 1 L", "Sourdough Bread 800 g"]);
    // first now: its Up button is disabled, so its Down button holds the focus
    await eventually(() => focusedId(page), `key-${wine}-down`, "the focus once the wine is first");
    expect(await page.getByTestId("qk-message").innerText()).toBe("Rioja Crianza 0.75 L is now key 1 of “Favourites”.");
    // a second page, left empty: listed here, not shown at the registers
    await page.getByTestId("qk-new-name").fill("Bakery counter");
    await Promise.all([page.waitForURL(/done=page_added/), page.getByTestId("qk-add-page").click()]);
    expect(await page.getByTestId("qk-no-keys").isVisible()).toBe(true);
    await Promise.all([page.waitForURL(/page=/), page.getByRole("link", { name: /Favourites/ }).click()]);
    expect(await page.getByTestId("qk-page").allInnerTexts()).toEqual([
      expect.stringMatching(/^Favourites\s+3 keys/),
      expect.stringMatching(/^Bakery counter\s+0 keys/),
    ]);
    // the back office at a back-office screen's width: nothing runs off to the side
    for (const size of [desktop, tablet]) {
      await page.setViewportSize(size);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/quick-keys-${size.width}x${size.height}.png` });
    }
    expect(problems()).toEqual([]);
    await office.close();

    for (const [lane, size] of [
      [1, desktop],
      [2, tablet],
    ] as const) {
      const till = await s.till(lane, { viewport: size });
      const tabs = till.page.getByTestId("quick-keys").getByRole("tab");
      expect((await tabs.first().innerText()).trim()).toBe("Favourites");
      expect(await tabs.first().getAttribute("aria-selected")).toBe("true");
      expect(await tabs.first().getAttribute("class")).toBe("tab favourites active");
      expect((await tabs.nth(1).innerText()).trim()).toBe("Bakery");
      expect(await keyNames(till.page)).toEqual(["Rioja Crianza 0.75 L", "Fresh Milk 1 L", "Sourdough Bread 800 g"]);
      await till.page.screenshot({ path: `${SHOTS}/register-quick-keys-${size.width}x${size.height}.png` });

      // a category and back: the favourites page is a tab like the others
      await till.page.getByRole("tab", { name: "Drinks" }).click();
      await eventually(() => keyNames(till.page), ["Rioja Crianza 0.75 L"], "the Drinks keys");
      await till.page.getByRole("tab", { name: "Favourites" }).click();
      await eventually(() => keyNames(till.page), ["Rioja Crianza 0.75 L", "Fresh Milk 1 L", "Sourdough Bread 800 g"], "the favourites again");

      await till.page.getByTestId("quick-key").nth(1).click();
      await eventually(() => lines(till.page), [["Fresh Milk 1 L", "1", "€1.19"]], "the line the key added");
      expect(till.problems()).toEqual([]);
    }
  });
});
