// The register's silent surprises, found by running a shop day on it, each shown gone in real Chromium: a weighed item
// asks for its weight, a scan on the receipt starts the next sale, refusals are said in the dialog that caused them,
// the keys go where the cashier's next keystroke is going, stock and check digits are named, the whole-sale discount
// has its own row.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { codes } from "../helpers/store.ts";
import {
  approveAs,
  desktop,
  dialogClosed,
  dialogMessage,
  dialogOpen,
  ensureManager,
  eventually,
  expected403,
  expected422,
  focusedTestId,
  lines,
  messageText,
  registerSuite,
  rowCount,
  salesIn,
  scan,
  scanAndWait,
  tablet,
  textOf,
} from "./support.ts";

const suite = registerSuite();
const phone = { width: 390, height: 844 };
const db = suite.db;

/** A wedge scanner's burst: every digit and the Enter back to back, wherever the focus is. */
const wedge = (page: Page, code: string) => Promise.all([...code, "Enter"].map((key) => page.keyboard.press(key)));

const sizes = [
  ["lane", desktop],
  ["tablet", tablet],
  ["phone", phone],
] as const;

for (const [index, [screen, viewport]] of sizes.entries()) {
  /** Each screen size sells on its own lanes. */
  const till = (lane: number, options: Parameters<typeof suite.till>[1] = {}) => suite.till(index * 20 + lane, { viewport, ...options });

  describe(`no silent surprises at the till (${screen})`, () => {
    test("a weighed item scanned by its own barcode asks for the weight instead of adding 1 kg", async () => {
      const { page, problems } = await till(1);
      await scan(page, codes.apples);
      await page.locator("#weigh-kg").waitFor({ state: "visible" });
      expect(await dialogOpen(page)).toBe(true);
      expect(await rowCount(page)).toBe(0);
      expect(await focusedTestId(page)).toBe("INPUT");
      await page.keyboard.type("0.742");
      await page.keyboard.press("Enter");
      await eventually(() => lines(page), [["Apples Braeburn (kg)", "0.742 kg", "€2.22"]], "the weighed line");
      await eventually(() => dialogClosed(page), true, "weight dialog closed");
      expect(problems()).toEqual([]);
    });

    test("a scan while the receipt is open starts the next sale with that item", async () => {
      const { page, problems, cashier } = await till(2);
      await scanAndWait(page, codes.milk, 1);
      await page.keyboard.press("F8");
      await eventually(() => dialogOpen(page), true, "cash dialog");
      await page.keyboard.press("Enter");
      await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
      expect(await focusedTestId(page)).toBe("next-sale");
      // the next customer's bottle, scanned with the receipt still on screen
      await wedge(page, codes.wine);
      await eventually(() => lines(page), [["Rioja Crianza 0.75 L", "1", "€12.99"]], "the next sale's first line");
      expect(await dialogClosed(page)).toBe(true);
      const sales = salesIn(db()).filter((s) => s.status === "completed" && s.register_id === cashier.registerId);
      expect(sales.length).toBe(1);
      expect(problems()).toEqual([]);
    });

    test("refusals are said in the dialog that caused them, with the PIN field focused when a manager is needed", async () => {
      const boss = await ensureManager(db());
      const { page, problems } = await till(3, { allow: [expected403, expected422] });
      await scanAndWait(page, codes.bread, 1);

      // a price override without a manager
      await page.getByRole("button", { name: "Change Sourdough Bread 800 g" }).click();
      await eventually(() => dialogOpen(page), true, "line dialog");
      await page.locator("#line-price").fill("2.00");
      await page.locator("#line-price-reason").fill("damaged");
      await page.locator("#dialog").getByRole("button", { name: "Change price" }).click();
      await eventually(() => dialogMessage(page), "A price override needs a manager's approval: a manager types their PIN.", "the refusal in the dialog");
      expect(await dialogOpen(page)).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("line-price-pin");
      expect(await messageText(page)).toBe("");
      // the manager types the PIN right there and presses Enter
      await approveAs(page.locator("#dialog form", { has: page.locator("#line-price") }), boss);
      await page.locator("#line-price-pin").press("Enter");
      await eventually(() => lines(page), [["Sourdough Bread 800 g", "1", "€2.00"]], "the price the manager approved");

      // card for more than is due: said in the card dialog
      await page.keyboard.press("F9");
      await eventually(() => dialogOpen(page), true, "card dialog");
      await page.getByTestId("card-amount").fill("50.00");
      await page.keyboard.press("Enter");
      await eventually(async () => (await dialogMessage(page)).length > 0, true, "the card refusal in the dialog");
      expect(await dialogMessage(page)).toContain("cannot be more than the amount due");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("card-amount");
      await page.keyboard.press("Escape");
      await eventually(() => dialogClosed(page), true, "card dialog closed");

      // a bad quantity typed in the line dialog
      await page.getByRole("button", { name: "Change Sourdough Bread 800 g" }).click();
      await eventually(() => dialogOpen(page), true, "line dialog again");
      await page.locator("#line-qty").fill("abc");
      await page.locator("#line-qty").press("Enter");
      await eventually(async () => (await dialogMessage(page)).length > 0, true, "the quantity refusal in the dialog");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("line-qty");
      expect(await rowCount(page)).toBe(1);
      expect(problems()).toEqual([]);
    });

    test("F10 puts the cursor in the discount's value: typing 5 and Enter gives 5 % off", async () => {
      const { page, problems } = await till(4);
      await scanAndWait(page, codes.wine, 1);
      await page.keyboard.press("F10");
      await eventually(() => dialogOpen(page), true, "discount dialog");
      expect(await focusedTestId(page)).toBe("discount-value");
      await page.keyboard.type("5");
      await page.keyboard.press("Enter");
      await eventually(() => textOf(page, "sale-total"), "€12.34", "total after 5 % off");
      expect(problems()).toEqual([]);
    });

    test("search results: ↓ walks into them, Enter in the field adds the first", async () => {
      const { page, problems } = await till(5);
      await page.keyboard.press("F3");
      await page.keyboard.type("bread");
      await page.getByTestId("search-result").first().waitFor({ state: "visible" });
      await page.keyboard.press("Enter");
      await eventually(() => lines(page), [["Sourdough Bread 800 g", "1", "€3.49"]], "the first result added by Enter");

      // the finder is empty again after an add
      expect(await page.getByTestId("product-search").inputValue()).toBe("");
      expect(await page.getByTestId("search-result").count()).toBe(0);
      await page.keyboard.press("F3");
      await page.keyboard.type("milk");
      await page.getByTestId("search-result").filter({ hasText: "Milk" }).first().waitFor({ state: "visible" });
      await page.keyboard.press("ArrowDown");
      expect(await focusedTestId(page)).toBe("search-result");
      await page.keyboard.press("Enter");
      await eventually(() => rowCount(page), 2, "the result chosen with ↓ and Enter");
      expect((await lines(page))[1]).toEqual(["Fresh Milk 1 L", "1", "€1.19"]);
      expect(problems()).toEqual([]);
    });

    test("an item beyond what the books say is in stock sells with a warning (policy warn)", async () => {
      const { page, problems } = await till(6);
      db().db.query("UPDATE products SET stock_milli = 0 WHERE sku = 'PAPER-DAILY'").run();
      await scanAndWait(page, codes.paper, 1);
      await eventually(
        () => messageText(page),
        "Daily Newspaper: the books say 0 in stock and this sale has 1; have the shelf count checked.",
        "the stock warning",
      );
      expect(await page.locator("#message").getAttribute("class")).toBe("message warn");
      // the line off again: an open sale holds what is on it, and the next size's register would be told so
      await page.keyboard.press("Delete");
      await eventually(() => rowCount(page), 0, "the line removed");
      db().db.query("UPDATE products SET stock_milli = 100000 WHERE sku = 'PAPER-DAILY'").run();
      expect(problems()).toEqual([]);
    });

    test("an unknown code and a code with a wrong check digit are told apart", async () => {
      const { page, problems } = await till(7, { allow: [expected422] });
      const unknown = "4006381333931"; // a valid EAN-13 the shop does not sell
      await scan(page, unknown);
      await eventually(() => messageText(page), `No product has the barcode ${unknown}. Check the code or look the product up by name.`, "unknown code");
      const misread = `${codes.milk.slice(0, 12)}${(Number(codes.milk[12]) + 1) % 10}`;
      await scan(page, misread);
      await eventually(
        () => messageText(page),
        `${misread} is not a valid barcode (its check digit is wrong): scan it again or type it carefully.`,
        "wrong check digit",
      );
      expect(await rowCount(page)).toBe(0);
      expect(problems()).toEqual([]);
    });

    test("the whole-sale discount has its own row with a remove button; an amount over a line says what it took", async () => {
      const boss = await ensureManager(db());
      const { page, problems } = await till(8, { role: "manager" });
      expect(boss.name).toBeTruthy();
      await scanAndWait(page, codes.milk, 1);
      await scanAndWait(page, codes.bread, 2);
      // €5 off a €3.49 line takes €3.49 and says so
      await page.getByRole("button", { name: "Change Sourdough Bread 800 g" }).click();
      await eventually(() => dialogOpen(page), true, "line dialog");
      await page.locator("#dialog input[value=amount]").check();
      await page.locator("#dialog input[name=value]").fill("5");
      await page.locator("#dialog").getByRole("button", { name: "Apply discount" }).click();
      await eventually(() => page.getByTestId("line-discount").innerText(), "discount €3.49, all of it (€5.00 was given)", "the capped line discount");
      expect(await page.getByTestId("line-discount").innerText()).not.toContain("you save");

      // 10 % off the whole sale: a row of its own, and the lines keep their own totals
      await page.keyboard.press("F10");
      await eventually(() => dialogOpen(page), true, "sale discount dialog");
      await page.keyboard.type("10");
      await page.keyboard.press("Enter");
      await page.getByTestId("sale-discount-row").waitFor({ state: "visible" });
      expect(await page.getByTestId("sale-discount-row").innerText()).toContain("−€0.12");
      expect(await lines(page)).toEqual([
        ["Fresh Milk 1 L", "1", "€1.19"],
        ["Sourdough Bread 800 g", "1", "€0.00"],
      ]);
      expect(await textOf(page, "sale-total")).toBe("€1.07");
      await page.getByTestId("remove-sale-discount").click();
      await page.getByTestId("sale-discount-row").waitFor({ state: "detached" });
      expect(await textOf(page, "sale-total")).toBe("€1.19");
      expect(problems()).toEqual([]);
    });

    test("signing in: tapping a name puts the cursor in the PIN field; a wrong PIN keeps the name chosen", async () => {
      const { page, cashier } = await till(9, { allow: [/status of 401/] });
      // a store past its first run has an admin: the sign-in page, not the setup page, follows Lock
      if (!db().users.hasAdmin()) await db().users.add("Ada Admin", "admin", "24680", db().clock.now().toISOString());
      await page.getByTestId("lock-button").click();
      await page.waitForURL("**/login");
      const tile = page.locator("label.tile", { hasText: cashier.userName });
      await tile.click();
      expect(await focusedTestId(page)).toBe("pin-input");
      await page.keyboard.type("000000");
      await page.keyboard.press("Enter");
      await page.getByTestId("form-message").waitFor({ state: "visible" });
      expect(await tile.locator("input").isChecked()).toBe(true);
      expect(await focusedTestId(page)).toBe("pin-input");
      await page.keyboard.type(cashier.pin);
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => u.pathname === "/");
    });
  });
}
