// A cashier selling at the register in real Chromium: scanning, embedded codes, finding products, changing lines,
// discounts, cash, cancelling — what the screen shows, and what the store database then holds. Each test signs a new
// cashier in on its own lane; what only a manager may do is approved with a manager's PIN typed in the dialog.
import { describe, expect, test } from "bun:test";
import { defaultEmbeddedPatterns, makeEmbedded, withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { codes, signIn } from "../helpers/store.ts";
import {
  approveAs,
  auditOf,
  desktop,
  dialogClosed,
  dialogMessage,
  dialogOpen,
  ensureManager,
  eventually,
  expected403,
  expected422,
  itemNames,
  lines,
  messageText,
  registerIdOf,
  registerSuite,
  rowCount,
  salesIn,
  scan,
  scanAndWait,
  stockOf,
  tablet,
  textOf,
} from "./support.ts";

const suite = registerSuite();
const till = suite.till;
const db = suite.db;
const pattern = (prefix: string) => defaultEmbeddedPatterns.find((p) => p.prefix === prefix)!;

async function mainFlow(lane: number, viewport: { width: number; height: number }) {
  const { page, problems, cashier } = await till(lane, { viewport });
  expect(await textOf(page, "register-name")).toBe(`Lane ${lane}`);
  expect(await textOf(page, "cashier-name")).toBe(cashier.userName);
  const before = db().reports.summary({ kind: "date", from: null, to: null });

  await page.getByTestId("new-sale-button").click();
  await eventually(() => messageText(page), "", "message after New sale");
  expect(await rowCount(page)).toBe(0);

  await page.getByTestId("barcode-input").click();
  await scanAndWait(page, codes.milk, 1);
  await scan(page, codes.milk);
  await eventually(() => lines(page), [["Fresh Milk 1 L", "2", "€2.38"]], "milk scanned twice in a row");
  await scanAndWait(page, codes.bread, 2);
  await scanAndWait(page, codes.wine, 3);
  expect(await lines(page)).toEqual([
    ["Fresh Milk 1 L", "2", "€2.38"],
    ["Sourdough Bread 800 g", "1", "€3.49"],
    ["Rioja Crianza 0.75 L", "1", "€12.99"],
  ]);
  expect(await textOf(page, "sale-total")).toBe("€18.86");
  expect(await textOf(page, "total-due")).toBe("€18.86");
  // the scan field is cleared and keeps the focus for the next item
  expect(await page.getByTestId("barcode-input").inputValue()).toBe("");
  expect(await page.getByTestId("barcode-input").evaluate((el) => el === document.activeElement)).toBe(true);

  await page.getByTestId("cash-payment").click();
  await page.getByTestId("cash-received").waitFor({ state: "visible" });
  expect(await page.getByTestId("cash-received").inputValue()).toBe("18.86");
  await page.getByTestId("cash-received").fill("20");
  await page.getByTestId("complete-sale").click();
  await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
  expect(await textOf(page, "change-due")).toBe("€1.14");
  const receipt = await page.getByTestId("receipt-modal").innerText();
  expect(receipt).toContain("Rioja Crianza 0.75 L");
  expect(receipt).toContain("18.86");
  // behind the receipt the register is already empty
  expect(await rowCount(page)).toBe(0);

  await page.getByTestId("next-sale").click();
  await eventually(() => page.getByTestId("receipt-modal").count(), 0, "receipt after Next sale");
  expect(await dialogClosed(page)).toBe(true);
  expect(await rowCount(page)).toBe(0);
  expect(await textOf(page, "total-due")).toBe("€0.00");
  expect(await textOf(page, "sale-total")).toBe("€0.00");
  expect(await page.getByTestId("barcode-input").evaluate((el) => el === document.activeElement)).toBe(true);

  const registerId = registerIdOf(db(), lane);
  const sales = salesIn(db()).filter((s) => s.register_id === registerId);
  expect(sales.map((s) => [s.status, s.total, s.paid, s.change_due])).toEqual([["completed", 1886, 2000, 114]]);
  const saleLines = db()
    .db.query<{ sku: string; qty_milli: number; total: number }, [string]>("SELECT sku, qty_milli, total FROM sale_lines WHERE sale_id = ? ORDER BY line_no")
    .all(sales[0]!.id);
  expect(saleLines).toEqual([
    { sku: "MILK-1L", qty_milli: 2000, total: 238 },
    { sku: "BREAD-SOUR", qty_milli: 1000, total: 349 },
    { sku: "WINE-RED", qty_milli: 1000, total: 1299 },
  ]);
  const after = db().reports.summary({ kind: "date", from: null, to: null });
  expect(after.sales_count - before.sales_count).toBe(1);
  expect(after.total_minor - before.total_minor).toBe(1886);
  expect((after.by_method.cash ?? 0) - (before.by_method.cash ?? 0)).toBe(1886);
  expect(problems()).toEqual([]);
}

describe("selling at the register", () => {
  test("main flow at 1366×768: scan, same item twice is one row of 2, cash 20, change, next sale, sale in the DB", async () => {
    await mainFlow(1, desktop);
  });

  test("main flow on a 1024×768 tablet", async () => {
    await mainFlow(2, tablet);
  });

  test("the page is served with a strict Content-Security-Policy", async () => {
    const { headers } = await signIn(db(), 9);
    const res = await fetch(`${suite.server.url}/`, { headers: { Cookie: headers.Cookie! }, redirect: "manual" });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("unsafe-inline");
    const html = await res.text();
    // no inline script or style the policy would have to allow
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  test("an unknown barcode says so beside the scan field and adds no row", async () => {
    const { page, problems } = await till(3, { allow: [expected422] });
    await scanAndWait(page, codes.paper, 1);
    const unknown = withCheckDigit("400000000099");
    await scan(page, unknown);
    await eventually(async () => (await messageText(page)).includes(unknown), true, "message after an unknown barcode");
    expect(await messageText(page)).toBe(`No product has the barcode ${unknown}. Check the code or look the product up by name.`);
    expect(await page.locator("#message").getAttribute("role")).toBe("alert");
    expect(await lines(page)).toEqual([["Daily Newspaper", "1", "€2.50"]]);
    expect(await textOf(page, "total-due")).toBe("€2.50");
    // near the field: directly below the scan row, in the same column
    const field = (await page.getByTestId("barcode-input").boundingBox())!;
    const msg = (await page.locator("#message").boundingBox())!;
    expect(msg.y).toBeGreaterThanOrEqual(field.y + field.height);
    expect(msg.y - (field.y + field.height)).toBeLessThan(80);
    expect(msg.x).toBeLessThan(field.x + field.width);
    // the next good scan clears the message
    await scanAndWait(page, codes.milk, 2);
    expect(await messageText(page)).toBe("");
    expect(problems()).toEqual([]);
  });

  test("weight- and price-embedded labels price the line from the code", async () => {
    const { page, problems } = await till(4);
    const apples = makeEmbedded(codes.apples, 750, pattern("23")); // 0.750 kg at €2.99/kg
    const ham = makeEmbedded(codes.ham, 567, pattern("21")); // a pack labelled €5.67
    await scanAndWait(page, apples, 1);
    await scanAndWait(page, ham, 2);
    expect(await lines(page)).toEqual([
      ["Apples Braeburn (kg)", "0.750 kg", "€2.24"],
      ["Jamón Serrano pack", "1", "€5.67"],
    ]);
    expect(await textOf(page, "sale-total")).toBe("€7.91");
    // a second label of the same weight is another row: each label is its own item
    await scanAndWait(page, apples, 3);
    expect((await lines(page))[2]).toEqual(["Apples Braeburn (kg)", "0.750 kg", "€2.24"]);
    expect(await textOf(page, "total-due")).toBe("€10.15");
    expect(problems()).toEqual([]);
  });

  test("finding a product by name and picking it from the quick keys", async () => {
    const { page, problems } = await till(5);
    const search = page.getByTestId("product-search");
    await search.click();
    await search.pressSequentially("sour", { delay: 20 });
    const result = page.getByTestId("search-result");
    await eventually(() => result.count(), 1, "search results for 'sour'");
    expect(await result.first().innerText()).toContain("Sourdough Bread 800 g");
    // earlier sales in this file sold bread: the result shows what the database holds now
    expect(await result.first().innerText()).toContain(`BREAD-SOUR · ${stockOf(db(), "BREAD-SOUR") / 1000} in stock`);
    await result.first().click();
    await eventually(() => lines(page), [["Sourdough Bread 800 g", "1", "€3.49"]], "line after picking the search result");

    // quick keys: the Drinks tab, then its key
    const keys = page.getByTestId("quick-keys");
    await keys.getByRole("tab", { name: "Drinks" }).click();
    await eventually(
      () =>
        page
          .getByTestId("quick-key")
          .allInnerTexts()
          .then((a) => a.map((s) => s.replace(/\s+/g, " ").trim())),
      ["Rioja Crianza 0.75 L €12.99"],
      "quick keys of Drinks",
    );
    await page.getByTestId("quick-key").first().click();
    await eventually(() => rowCount(page), 2, "rows after the quick key");
    expect(await lines(page)).toEqual([
      ["Sourdough Bread 800 g", "1", "€3.49"],
      ["Rioja Crianza 0.75 L", "1", "€12.99"],
    ]);
    expect(await textOf(page, "total-due")).toBe("€16.48");
    expect(problems()).toEqual([]);
  });

  test("changing lines: +/−, quantity, price override with reason and a manager's PIN, line discount, removing, sale discount", async () => {
    const { page, problems, cashier } = await till(6, { allow: [expected403] });
    const boss = await ensureManager(db());
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);
    const row = (name: string) => page.getByTestId("item-row").filter({ hasText: name });

    await row("Fresh Milk").getByRole("button", { name: "One more Fresh Milk 1 L" }).click();
    await eventually(() => lines(page).then((l) => l[0]), ["Fresh Milk 1 L", "2", "€2.38"], "milk after +");
    await row("Fresh Milk").getByRole("button", { name: "One less Fresh Milk 1 L" }).click();
    await eventually(() => lines(page).then((l) => l[0]), ["Fresh Milk 1 L", "1", "€1.19"], "milk after −");

    // ✎ on the bread: quantity 3
    await row("Sourdough").getByRole("button", { name: "Change Sourdough Bread 800 g" }).click();
    await eventually(() => dialogOpen(page), true, "line dialog open");
    await page.locator("#line-qty").fill("3");
    await page.locator("#dialog").getByRole("button", { name: "Set" }).click();
    await eventually(() => lines(page).then((l) => l[1]), ["Sourdough Bread 800 g", "3", "€10.47"], "bread after quantity 3");
    await eventually(() => dialogClosed(page), true, "line dialog closed after Set");

    // ✎ again: price €3.00, reason "damaged packaging"; a price override is a manager's call
    const saleId = (await page.locator("#lines").getAttribute("data-sale-id"))!;
    const overrides = () =>
      db().db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM sale_events WHERE sale_id = ? AND type = 'PriceOverridden'").get(saleId)!.n;
    await row("Sourdough").getByRole("button", { name: "Change Sourdough Bread 800 g" }).click();
    await eventually(() => dialogOpen(page), true, "line dialog open");
    await page.locator("#line-price").fill("3.00");
    await page.locator("#line-price-reason").fill("damaged packaging");
    // the cashier alone is refused with the reason, and nothing changes
    await page.locator("#dialog").getByRole("button", { name: "Change price" }).click();
    await eventually(
      () => dialogMessage(page),
      "A price override needs a manager's approval: a manager types their PIN.",
      "message after a price override without a manager",
    );
    expect(await lines(page).then((l) => l[1])).toEqual(["Sourdough Bread 800 g", "3", "€10.47"]);
    expect(overrides()).toBe(0);
    expect(auditOf(db(), "sale.price_overridden").filter((r) => r.subject === saleId)).toEqual([]);
    // the manager types their PIN in the same dialog, and the price changes
    expect(await dialogOpen(page)).toBe(true);
    await approveAs(page.locator("#dialog form", { has: page.locator("#line-price") }), boss);
    await page.locator("#dialog").getByRole("button", { name: "Change price" }).click();
    await eventually(() => lines(page).then((l) => l[1]), ["Sourdough Bread 800 g", "3", "€9.00"], "bread after price override");
    expect(await row("Sourdough").innerText()).toContain("price changed from €3.49 — damaged packaging");
    expect(overrides()).toBe(1);
    // the audit log names both: the cashier who did it and the manager who approved it
    expect(
      auditOf(db(), "sale.price_overridden")
        .filter((r) => r.subject === saleId)
        .map((r) => [r.user, r.approvedBy, r.register]),
    ).toEqual([[cashier.userName, boss.name, "Lane 6"]]);

    // ✎ on the milk: 10 % off
    await row("Fresh Milk").getByRole("button", { name: "Change Fresh Milk 1 L" }).click();
    await eventually(() => dialogOpen(page), true, "line dialog open");
    await page.locator("#dialog input[name=value]").fill("10");
    await page.locator("#dialog").getByRole("button", { name: "Apply discount" }).click();
    await eventually(() => lines(page).then((l) => l[0]), ["Fresh Milk 1 L", "1", "€1.07"], "milk after 10 % off");
    expect(await textOf(page, "sale-total")).toBe("€10.07");

    // ✎ on the milk: remove the line
    await row("Fresh Milk").getByRole("button", { name: "Change Fresh Milk 1 L" }).click();
    await eventually(() => dialogOpen(page), true, "line dialog open");
    await page.getByTestId("remove-line").click();
    await eventually(() => itemNames(page), ["Sourdough Bread 800 g"], "lines after removing the milk");
    await eventually(() => dialogClosed(page), true, "line dialog closed after remove");

    // 15 % off the whole sale is above the 10 % a cashier may give: refused, the total stays
    await page.getByTestId("sale-discount").click();
    await eventually(() => dialogOpen(page), true, "sale discount dialog open");
    await page.locator("#dialog input[name=value]").fill("15");
    await page.locator("#dialog input[name=reason]").fill("loyalty");
    await page.locator("#dialog").getByRole("button", { name: "Apply discount" }).click();
    await eventually(
      () => dialogMessage(page),
      "A discount over 10 % needs a manager's approval: a manager types their PIN.",
      "message after 15 % off without a manager",
    );
    expect(await textOf(page, "sale-total")).toBe("€9.00");
    expect(db().db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM sale_events WHERE sale_id = ? AND type = 'DiscountApplied'").get(saleId)!.n).toBe(
      1,
    );
    // 10 % off the whole sale is within the cashier's limit
    await page.locator("#dialog input[name=value]").fill("10");
    await page.locator("#dialog input[name=reason]").fill("loyalty");
    await page.locator("#dialog").getByRole("button", { name: "Apply discount" }).click();
    await eventually(() => textOf(page, "sale-total"), "€8.10", "total after 10 % off the sale");
    expect(await textOf(page, "total-due")).toBe("€8.10");
    expect(await page.locator("#totals").innerText()).toContain("−€0.90");

    // − on a single item takes the line off
    await scanAndWait(page, codes.paper, 2);
    await row("Daily Newspaper").getByRole("button", { name: "One less Daily Newspaper" }).click();
    await eventually(() => itemNames(page), ["Sourdough Bread 800 g"], "lines after − on a single newspaper");
    expect(await messageText(page)).toBe("Daily Newspaper removed");

    await page.getByTestId("cash-payment").click();
    await page.getByTestId("complete-sale").click(); // exact amount, prefilled
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(page, "change-due")).toBe("€0.00");
    const sale = salesIn(db()).find((s) => s.register_id === registerIdOf(db(), 6))!;
    expect([sale.status, sale.total]).toEqual(["completed", 810]);
    const line = db()
      .db.query<{ sku: string; qty_milli: number; unit_price: number; discount: number; total: number }, [string]>(
        "SELECT sku, qty_milli, unit_price, discount, total FROM sale_lines WHERE sale_id = ?",
      )
      .all(sale.id);
    expect(line).toEqual([{ sku: "BREAD-SOUR", qty_milli: 3000, unit_price: 300, discount: 90, total: 810 }]);
    const reason = db().db.query<{ data: string }, [string]>("SELECT data FROM sale_events WHERE sale_id = ? AND type = 'PriceOverridden'").get(sale.id);
    expect(JSON.parse(reason!.data).reason).toBe("damaged packaging");
    expect(problems()).toEqual([]);
  });

  test("cancelling a sale, approved by a manager's PIN, empties the register and records it as cancelled", async () => {
    const { page, problems, cashier } = await till(7, { allow: [expected403] });
    const boss = await ensureManager(db());
    await scanAndWait(page, codes.wine, 1);
    await scanAndWait(page, codes.milk, 2);
    const saleId = await page.locator("#lines").getAttribute("data-sale-id");
    expect(saleId).toBeTruthy();
    await page.getByTestId("cancel-sale").click();
    await page.getByTestId("confirm-cancel").waitFor({ state: "visible" });
    await page.locator("#cancel-reason").fill("customer changed their mind");
    // a cashier alone may not cancel: the reason is shown and the sale stays as it was
    await page.getByTestId("confirm-cancel").click();
    await eventually(
      () => dialogMessage(page),
      "Cancelling a sale needs a manager's approval: a manager types their PIN.",
      "message after cancelling without a manager",
    );
    expect(await rowCount(page)).toBe(2);
    expect(await textOf(page, "total-due")).toBe("€14.18");
    expect(salesIn(db()).find((s) => s.id === saleId)!.status).toBe("open");
    expect(auditOf(db(), "sale.cancelled").filter((r) => r.subject === saleId)).toEqual([]);
    // a wrong PIN is no approval either
    await approveAs(page.locator("#dialog"), { name: boss.name, pin: "13579" });
    const refused = page.waitForResponse((r) => r.url().endsWith("/register/cancel"));
    await page.getByTestId("confirm-cancel").click();
    expect((await refused).status()).toBe(403);
    expect(await dialogOpen(page)).toBe(true);
    await eventually(() => dialogMessage(page), `Wrong PIN for ${boss.name}. 4 more tries before ${boss.name} is locked.`, "message after a wrong manager PIN");
    expect(salesIn(db()).find((s) => s.id === saleId)!.status).toBe("open");
    expect(await rowCount(page)).toBe(2);
    // the manager types their PIN in the dialog
    await approveAs(page.locator("#dialog"), boss);
    await page.getByTestId("confirm-cancel").click();
    await eventually(() => rowCount(page), 0, "rows after cancelling");
    await eventually(() => dialogClosed(page), true, "cancel dialog closed");
    expect(await messageText(page)).toBe("Sale cancelled");
    expect(await textOf(page, "total-due")).toBe("€0.00");
    const row = salesIn(db()).find((s) => s.id === saleId)!;
    expect(row.status).toBe("cancelled");
    expect(row.receipt_number).toBeNull();
    // nothing was taken from stock
    const moved = db().db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM stock_movements WHERE sale_id = ?").get(saleId!)!.n;
    expect(moved).toBe(0);
    // the audit log has who cancelled, who approved, and why
    const logged = auditOf(db(), "sale.cancelled").filter((r) => r.subject === saleId);
    expect(logged.map((r) => [r.user, r.approvedBy, r.register, JSON.parse(r.detail).reason])).toEqual([
      [cashier.userName, boss.name, "Lane 7", "customer changed their mind"],
    ]);
    // and a reload shows an empty register, not the cancelled sale
    await page.reload();
    await page.getByTestId("barcode-input").waitFor();
    expect(await rowCount(page)).toBe(0);
    expect(problems()).toEqual([]);
  });

  test("once payment has started, taking a line off needs a manager's PIN", async () => {
    const { page, problems } = await till(10, { allow: [expected403] });
    const boss = await ensureManager(db());
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);
    await page.getByTestId("card-payment").click();
    await page.getByTestId("card-amount").waitFor({ state: "visible" });
    await page.getByTestId("card-amount").fill("1.00");
    await page.getByTestId("card-submit").click();
    await eventually(() => textOf(page, "total-due"), "€3.68", "still due after €1.00 by card");
    await eventually(() => dialogClosed(page), true, "card dialog closed");
    const saleId = (await page.locator("#lines").getAttribute("data-sale-id"))!;

    // the cashier alone: refused with the reason, the line stays
    await page.getByTestId("item-row").filter({ hasText: "Fresh Milk" }).getByRole("button", { name: "Change Fresh Milk 1 L" }).click();
    await eventually(() => dialogOpen(page), true, "line dialog open");
    await page.getByTestId("remove-line").click();
    await eventually(
      () => dialogMessage(page),
      "Removing a line after payment started needs a manager's approval: a manager types their PIN.",
      "message after removing without a manager",
    );
    expect(await itemNames(page)).toEqual(["Fresh Milk 1 L", "Sourdough Bread 800 g"]);
    expect(await textOf(page, "total-due")).toBe("€3.68");
    expect(auditOf(db(), "sale.line_removed_after_payment").filter((r) => r.subject === saleId)).toEqual([]);

    // the manager types their PIN with the Remove button, and the line goes
    const pin = page.locator("#dialog form", { has: page.getByTestId("remove-line") }).getByTestId("manager-pin");
    expect({ "manager-pin fields sent with Remove line": await pin.count() }).toEqual({ "manager-pin fields sent with Remove line": 1 });
    await approveAs(page.locator("#dialog form", { has: page.getByTestId("remove-line") }), boss);
    await page.getByTestId("remove-line").click();
    await eventually(() => itemNames(page), ["Sourdough Bread 800 g"], "lines after the manager approved the removal");
    expect(await textOf(page, "total-due")).toBe("€2.49");
    expect(
      auditOf(db(), "sale.line_removed_after_payment")
        .filter((r) => r.subject === saleId)
        .map((r) => r.approvedBy),
    ).toEqual([boss.name]);

    // taking the card payment off is a manager's call too: the dialog asks why and for the manager
    await page.getByTestId("remove-payment").click();
    await page.getByTestId("confirm-remove-payment").waitFor({ state: "visible" });
    await page.locator("#remove-payment-reason").fill("charged on the wrong card");
    await page.getByTestId("confirm-remove-payment").click();
    await eventually(
      () => dialogMessage(page),
      "Removing a payment needs a manager's approval: a manager types their PIN.",
      "message after removing a payment alone",
    );
    expect(await textOf(page, "total-due")).toBe("€2.49");
    await approveAs(page.locator("#dialog"), boss);
    await page.getByTestId("confirm-remove-payment").click();
    await eventually(() => textOf(page, "total-due"), "€3.49", "due after the payment came off");
    expect(
      auditOf(db(), "sale.payment_removed")
        .filter((r) => r.subject === saleId)
        .map((r) => [r.approvedBy, JSON.parse(r.detail).reason]),
    ).toEqual([[boss.name, "charged on the wrong card"]]);
    expect(problems()).toEqual([]);
  });

  test("every visible button is at least 44×44 CSS px at 1366×768", async () => {
    const { page, problems } = await till(8, { viewport: desktop });
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);
    await page.getByTestId("product-search").fill("a");
    await eventually(async () => (await page.getByTestId("search-result").count()) > 0, true, "search results for 'a'");

    type Small = { label: string; w: number; h: number };
    const smallButtons = () =>
      page.locator("button").evaluateAll((all) => {
        const out: Small[] = [];
        for (const b of all as HTMLElement[]) {
          const r = b.getBoundingClientRect();
          const style = getComputedStyle(b);
          if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || style.display === "none") continue;
          if (!b.checkVisibility()) continue;
          if (r.width < 44 || r.height < 44) {
            out.push({
              label: (b.getAttribute("aria-label") ?? b.textContent ?? "").replace(/\s+/g, " ").trim(),
              w: Math.round(r.width * 10) / 10,
              h: Math.round(r.height * 10) / 10,
            });
          }
        }
        return out;
      });
    const visible = await page.locator("button:visible").count();
    expect(visible).toBeGreaterThan(15);
    expect(await smallButtons()).toEqual([]);

    // and in the dialogs a cashier taps: cash, card, a line
    for (const open of ["cash-payment", "card-payment"]) {
      await page.getByTestId(open).click();
      await eventually(() => dialogOpen(page), true, `${open} dialog open`);
      expect({ dialog: open, small: await smallButtons() }).toEqual({ dialog: open, small: [] });
      await page.keyboard.press("Escape");
      await eventually(() => dialogClosed(page), true, `${open} dialog closed`);
    }
    await page
      .getByTestId("item-row")
      .first()
      .getByRole("button", { name: /^Change / })
      .click();
    await eventually(() => dialogOpen(page), true, "line dialog open");
    expect({ dialog: "line", small: await smallButtons() }).toEqual({ dialog: "line", small: [] });
    expect(problems()).toEqual([]);
  });
});
