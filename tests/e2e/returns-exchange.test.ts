// Exchanges, returns without a receipt and store credit at the register in Chromium, as a cashier does them: goods
// brought back put toward the new sale on the register (the customer pays the difference in cash); goods without a
// receipt taken back only with a manager's PIN, as store credit whose code prints as a barcode on the return's receipt;
// that code typed at the till as a tender. Screenshots of the two new dialogs at a lane's and a tablet's size go to /tmp.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { type Decoded, decodeEscPos } from "../../src/hardware/virtual/escpos-decoder.ts";
import { codes, footprint } from "../helpers/store.ts";
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
  lines,
  registerSuite,
  scanAndWait,
  tablet,
  textOf,
} from "./support.ts";

const suite = registerSuite();
const db = suite.db;
const SHOTS = process.env.RETURNS_SHOTS ?? "/tmp";

const returnsCount = () => db().db.query<{ n: number }, []>("SELECT count(*) AS n FROM returns").get()!.n;
const lastReturnNumber = () => db().db.query<{ n: string }, []>("SELECT return_number AS n FROM returns ORDER BY at DESC, rowid DESC LIMIT 1").get()!.n;
const creditBalance = (code: string) => db().db.query<{ balance: number }, [string]>("SELECT balance FROM vouchers WHERE code = ?").get(code)?.balance;
const paymentsOf = (saleId: string) =>
  db().db.query<{ method: string; amount: number }, [string]>("SELECT method, amount FROM sale_payments WHERE sale_id = ? ORDER BY n").all(saleId);

/** The sale on the register: its id, as the lines carry it. */
const saleOnRegister = (page: Page) => page.locator("#lines").getAttribute("data-sale-id");

/** The payments the totals list, as the cashier reads them: what, how much. */
const paymentsShown = (page: Page) =>
  page.locator("#totals ul.payments li").evaluateAll((items) => items.map((li) => Array.from(li.querySelectorAll("span"), (s) => s.textContent?.trim() ?? "")));

/** Sell one `code`, paid in cash; the receipt number. */
async function sellForCash(page: Page, code: string): Promise<string> {
  await scanAndWait(page, code, 1);
  await page.keyboard.press("F8");
  await eventually(() => dialogOpen(page), true, "the cash dialog");
  await page.keyboard.press("Enter");
  await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
  const number = (await page.locator("[data-testid=receipt-modal] .receipt").getAttribute("aria-label"))!.replace("Receipt ", "");
  await page.getByTestId("next-sale").click();
  await eventually(() => dialogClosed(page), true, "the receipt closed");
  return number;
}

/** A code typed the way a keyboard-wedge scanner types it into the focused field of a dialog: keys back to back, Enter. */
async function scanInto(page: Page, testid: string, code: string): Promise<void> {
  await page.getByTestId(testid).focus();
  await Promise.all([...code, "Enter"].map((key) => page.keyboard.press(key)));
}

/** F5, then the receipt's number into the Return dialog: the lines of that sale to return. */
async function openReturnOf(page: Page, receipt: string): Promise<void> {
  await page.keyboard.press("F5");
  await page.getByTestId("return-receipt").waitFor({ state: "visible" });
  await page.keyboard.type(receipt);
  await page.keyboard.press("Enter");
  await page.getByTestId("return-lines").waitFor({ state: "visible" });
}

/** F5, then No receipt: the dialog for goods without a receipt. */
async function openNoReceipt(page: Page): Promise<void> {
  await page.keyboard.press("F5");
  await page.getByTestId("return-no-receipt").waitFor({ state: "visible" });
  await page.getByTestId("return-no-receipt").click();
  await page.getByTestId("return-no-receipt-dialog").waitFor({ state: "visible" });
}

/**
 * Type a quantity, then the item's code (or SKU) key by key at a person's pace and Enter, and wait for the dialog to
 * list `rowsAfter` items.
 */
async function addNoReceiptItem(page: Page, code: string, qty: string, rowsAfter: number): Promise<void> {
  await page.getByTestId("no-receipt-qty").fill(qty);
  await page.getByTestId("no-receipt-code").pressSequentially(code, { delay: 50 });
  await page.getByTestId("no-receipt-code").press("Enter");
  await eventually(() => page.getByTestId("no-receipt-line").count(), rowsAfter, `the items listed after ${code}`);
}

/** The rows of the no-receipt dialog as the cashier reads them: item, quantity, refund. */
const noReceiptRows = (page: Page) =>
  page.getByTestId("no-receipt-line").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent?.trim() ?? "")));

/** What the virtual printer printed for a return, decoded. */
function returnPrint(returnNumber: string): Decoded | null {
  const row = db()
    .db.query<{ bytes: Uint8Array | null }, [string]>(
      `SELECT v.bytes FROM print_jobs j JOIN returns r ON r.id = j.return_id LEFT JOIN virtual_prints v ON v.job_id = j.id WHERE r.return_number = ?`,
    )
    .get(returnNumber);
  return row?.bytes ? decodeEscPos(row.bytes) : null;
}

/** Nothing in the open dialog runs out of it sideways, and nothing in it is wider than the screen. */
const dialogFits = (page: Page) =>
  page.evaluate(() => {
    const d = document.getElementById("dialog")!;
    const box = d.getBoundingClientRect();
    const inside = Array.from(d.querySelectorAll<HTMLElement>("*")).filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
    });
    return {
      overflowX: d.scrollWidth > d.clientWidth,
      outside: inside.map((el) => el.dataset.testid ?? el.tagName),
      page: document.documentElement.scrollWidth > window.innerWidth,
    };
  });

describe("exchanges, returns without a receipt and store credit", () => {
  test("exchange: the bread's price goes toward the wine on the register, the customer pays the rest in cash", async () => {
    const { page, problems } = await suite.till(1);
    const receipt = await sellForCash(page, codes.bread);

    // the customer's new choice is on the register first
    await scanAndWait(page, codes.wine, 1);
    const saleId = (await saleOnRegister(page))!;
    expect(await textOf(page, "total-due")).toBe("€12.99");

    await openReturnOf(page, receipt);
    expect(await page.getByTestId("return-line").allInnerTexts()).toEqual([expect.stringContaining("Sourdough Bread 800 g")]);
    expect(await page.getByTestId("refund-exchange").isVisible()).toBe(true);
    expect(await page.locator("label", { has: page.getByTestId("refund-exchange") }).innerText()).toContain("€12.99 to pay");
    await page.getByTestId("return-qty").fill("1");
    await page.getByTestId("refund-exchange").check();
    await page.getByTestId("confirm-return").click();
    await page.getByTestId("return-done").waitFor({ state: "visible" });
    expect(await page.locator("#dialog-title").innerText()).toBe("Exchange");
    expect(await textOf(page, "exchange-outcome")).toBe("€3.49 of the return went toward the sale; the customer pays €9.50 more: close this and take payment.");

    // behind the dialog the sale shows it already: the wine, the voucher, €9.50 still due
    expect(await lines(page)).toEqual([["Rioja Crianza 0.75 L", "1", "€12.99"]]);
    expect(await paymentsShown(page)).toEqual([["Store credit", "€3.49"]]);
    expect(await textOf(page, "total-due")).toBe("€9.50");
    await page.getByTestId("return-close").click();
    await eventually(() => dialogClosed(page), true, "the exchange dialog closed");

    // the difference in cash, as usual
    await page.keyboard.press("F8");
    await eventually(() => dialogOpen(page), true, "the cash dialog");
    expect(await page.getByTestId("cash-received").inputValue()).toBe("9.50");
    await page.keyboard.press("Enter");
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(page, "change-due")).toBe("€0.00");

    const returns = db()
      .db.query<{ exchange_sale_id: string | null; total: number }, [string]>(
        "SELECT r.exchange_sale_id, r.total FROM returns r JOIN sales s ON s.id = r.sale_id WHERE s.receipt_number = ?",
      )
      .all(receipt);
    expect(returns).toEqual([{ exchange_sale_id: saleId, total: 349 }]);
    expect(paymentsOf(saleId)).toEqual([
      { method: "voucher", amount: 349 },
      { method: "cash", amount: 950 },
    ]);
    // the return's store credit went wholly on the sale: nothing of it is left to spend
    expect(
      db()
        .db.query<{ issued: number; balance: number }, [string]>(
          "SELECT v.issued, v.balance FROM vouchers v JOIN returns r ON r.id = v.return_id WHERE r.exchange_sale_id = ?",
        )
        .all(saleId),
    ).toEqual([{ issued: 349, balance: 0 }]);
    expect(db().db.query<{ status: string; total: number }, [string]>("SELECT status, total FROM sales WHERE id = ?").get(saleId)).toEqual({
      status: "completed",
      total: 1299,
    });
    expect(problems()).toEqual([]);
  });

  test("no receipt: refused without a manager, nothing written; with the manager's PIN, store credit with a code and its barcode", async () => {
    const boss = await ensureManager(db());
    const { page, problems, cashier } = await suite.till(2, { allow: [expected403] });
    await openNoReceipt(page);
    // no sale on the register: nothing to exchange toward; store credit is the default without a receipt
    expect(await page.getByTestId("refund-exchange").count()).toBe(0);

    await addNoReceiptItem(page, codes.milk, "2", 1);
    expect(await noReceiptRows(page)).toEqual([["Fresh Milk 1 L", "2", "€2.38"]]);
    expect(await textOf(page, "no-receipt-total")).toBe("€2.38");
    expect(await page.getByTestId("refund-store-credit").isChecked()).toBe(true);
    expect(await lines(page)).toEqual([]); // the milk went to the return, not onto a sale

    // no PIN: refused in the dialog, nothing written
    const before = footprint(db());
    const countBefore = returnsCount();
    await page.getByTestId("confirm-return").click();
    await eventually(
      () => dialogMessage(page),
      "A return without a receipt needs a manager's approval: a manager types their PIN.",
      "the refusal in the dialog",
    );
    expect(returnsCount()).toBe(countBefore);
    expect(footprint(db())).toEqual(before);
    expect(await page.getByTestId("return-no-receipt-dialog").isVisible()).toBe(true);

    // the manager chosen, the PIN typed: taken back as store credit
    await approveAs(page.locator("#dialog"), boss);
    await page.getByTestId("confirm-return").click();
    await page.getByTestId("return-done").waitFor({ state: "visible" });
    expect(await page.locator("#dialog-title").innerText()).toBe("Return complete");
    expect(await textOf(page, "refund-due")).toBe("€2.38 store credit");
    expect(await page.getByTestId("store-credit").innerText()).toContain("STORE CREDIT");
    const spaced = await textOf(page, "store-credit-code");
    expect(spaced).toMatch(/^SC \d{4} \d{4} \d{4}$/);
    const code = spaced.replaceAll(" ", "");
    expect(returnsCount()).toBe(countBefore + 1);
    expect(creditBalance(code)).toBe(238);

    // on paper: RETURN, STORE CREDIT and the code as a CODE128 barcode the till scans
    const number = lastReturnNumber();
    await eventually(() => returnPrint(number) !== null, true, "the return receipt printed");
    const printed = returnPrint(number)!;
    const text = printed.lines.map((l) => l.trim()).filter(Boolean);
    expect(text).toEqual(expect.arrayContaining(["RETURN", "STORE CREDIT", expect.stringMatching(new RegExp(`^${spaced}\\s+€?2\\.38$`))]));
    expect(printed.events).toContainEqual({ type: "barcode", symbology: "code128", data: code });
    expect(printed.events.filter((e) => e.type === "pulse")).toEqual([]); // no cash back: the drawer stays shut

    const audit = auditOf(db(), "return.completed").at(-1)!;
    expect(audit.user).toBe(cashier.userName);
    expect(audit.approvedBy).toBe(boss.name);
    expect(problems()).toEqual([]);
  });

  // a scanner types fast and ends with Enter: in the field that asks for the item, that is the item, not a scan for a sale
  test("no receipt: an item scanned with the scanner goes on the return, not onto a sale", async () => {
    await ensureManager(db());
    const { page, problems } = await suite.till(7, { allow: [expected403] });
    await openNoReceipt(page);
    await page.getByTestId("no-receipt-qty").fill("2");
    await scanInto(page, "no-receipt-code", codes.milk);
    await eventually(() => page.getByTestId("no-receipt-line").count(), 1, "the milk listed on the return", 3000);
    expect(await noReceiptRows(page)).toEqual([["Fresh Milk 1 L", "2", "€2.38"]]);
    expect(await lines(page)).toEqual([]);
    expect(await dialogOpen(page)).toBe(true);
    expect(problems()).toEqual([]);
  });

  test("store credit as a tender: the code typed with spaces pays what it holds, cash the rest, the balance goes down", async () => {
    // a manager takes two loaves back without a receipt: no approval asked of them; store credit of €6.98
    const boss = await suite.till(3, { role: "manager" });
    await openNoReceipt(boss.page);
    await addNoReceiptItem(boss.page, "BREAD-SOUR", "2", 1);
    expect(await textOf(boss.page, "no-receipt-total")).toBe("€6.98");
    expect(await boss.page.locator("#dialog fieldset.approval").count()).toBe(0);
    await boss.page.getByTestId("confirm-return").click();
    await boss.page.getByTestId("return-done").waitFor({ state: "visible" });
    const spaced = await textOf(boss.page, "store-credit-code");
    const code = spaced.replaceAll(" ", "");
    expect(creditBalance(code)).toBe(698);
    expect(boss.problems()).toEqual([]);

    // the customer buys wine at another lane and pays with the slip
    const { page, problems } = await suite.till(4);
    await scanAndWait(page, codes.wine, 1);
    const saleId = (await saleOnRegister(page))!;
    await page.getByTestId("credit-payment").click();
    await page.getByTestId("store-credit-dialog").waitFor({ state: "visible" });
    expect(await page.locator("[data-testid=store-credit-dialog] .dialog-due").innerText()).toContain("€12.99");
    await page.getByTestId("credit-code").fill(spaced);
    await page.getByTestId("credit-submit").click();
    await eventually(() => dialogClosed(page), true, "the store credit dialog closed");
    await eventually(() => paymentsShown(page), [["Store credit", "€6.98"]], "the store credit on the sale");
    expect(await textOf(page, "total-due")).toBe("€6.01");
    expect(creditBalance(code)).toBe(0);

    await page.keyboard.press("F8");
    await eventually(() => dialogOpen(page), true, "the cash dialog");
    await page.keyboard.press("Enter");
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await page.locator("[data-testid=receipt-modal] .receipt").innerText()).toContain(spaced);
    expect(paymentsOf(saleId)).toEqual([
      { method: "voucher", amount: 698 },
      { method: "cash", amount: 601 },
    ]);
    expect(creditBalance(code)).toBe(698 - 698);
    expect(
      db().db.query<{ amount: number; sale_id: string | null }, [string]>("SELECT amount, sale_id FROM voucher_movements WHERE code = ? ORDER BY n").all(code),
    ).toEqual([
      { amount: 698, sale_id: null },
      { amount: -698, sale_id: saleId },
    ]);
    expect(problems()).toEqual([]);
  });

  test("the no-receipt dialog with two items and the exchange's outcome, at a lane's and a tablet's size", async () => {
    await ensureManager(db());
    for (const [lane, size] of [
      [5, desktop],
      [6, tablet],
    ] as const) {
      const { page, problems } = await suite.till(lane, { viewport: size });
      const receipt = await sellForCash(page, codes.bread);
      await scanAndWait(page, codes.wine, 1);

      await openNoReceipt(page);
      await addNoReceiptItem(page, codes.milk, "2", 1);
      await addNoReceiptItem(page, "BREAD-SOUR", "1", 2);
      expect(await textOf(page, "no-receipt-total")).toBe("€5.87");
      expect(await page.getByTestId("refund-exchange").isVisible()).toBe(true);
      expect(await dialogFits(page)).toEqual({ overflowX: false, outside: [], page: false });
      await page.screenshot({ path: `${SHOTS}/returns-no-receipt-${size.width}x${size.height}.png` });
      await page.keyboard.press("Escape");
      await eventually(() => dialogClosed(page), true, "the no-receipt dialog closed");

      await openReturnOf(page, receipt);
      await page.getByTestId("return-qty").fill("1");
      await page.getByTestId("refund-exchange").check();
      await page.getByTestId("confirm-return").click();
      await page.getByTestId("exchange-outcome").waitFor({ state: "visible" });
      expect(await dialogFits(page)).toEqual({ overflowX: false, outside: [], page: false });
      await page.screenshot({ path: `${SHOTS}/returns-exchange-${size.width}x${size.height}.png` });
      expect(problems()).toEqual([]);
    }
  });
});
