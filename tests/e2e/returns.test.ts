// Returns at the register in Chromium, as a cashier does them: the receipt's code scanned, one line of two returned, the
// refund given back the way it was paid — the drawer opening for cash, the return's receipt off the (virtual) printer,
// stock back on the shelf — and what is left to return shown the next time, also from another register.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { decodeEscPos } from "../../src/hardware/virtual/escpos-decoder.ts";
import { codes } from "../helpers/store.ts";
import {
  approveAs,
  auditOf,
  dialogMessage,
  dialogOpen,
  ensureManager,
  eventually,
  expected403,
  expected409,
  registerSuite,
  scan,
  scanAndWait,
  stockOf,
  textOf,
} from "./support.ts";

const suite = registerSuite();
const db = suite.db;

/** Sell milk ×2 and bread, paid in cash (or card with `card`); the receipt number. */
async function sellTwoLines(page: Page, card = false): Promise<string> {
  await scanAndWait(page, codes.milk, 1);
  await scanAndWait(page, codes.milk, 1); // same item again: one line, 2
  await scanAndWait(page, codes.bread, 2);
  await page.keyboard.press(card ? "F9" : "F8");
  await eventually(() => dialogOpen(page), true, "payment dialog");
  await page.keyboard.press("Enter");
  await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
  const number = (await page.locator("[data-testid=receipt-modal] .receipt").getAttribute("aria-label"))!.replace("Receipt ", "");
  await page.getByTestId("next-sale").click();
  await page.getByTestId("receipt-modal").waitFor({ state: "detached" });
  return number;
}

/** What the virtual printer printed for a return, and whether it pulsed the drawer. */
function returnPrint(returnNumber: string): { lines: string[]; pulses: number } | null {
  const row = db()
    .db.query<{ bytes: Uint8Array | null }, [string]>(
      `SELECT v.bytes FROM print_jobs j JOIN returns r ON r.id = j.return_id LEFT JOIN virtual_prints v ON v.job_id = j.id WHERE r.return_number = ?`,
    )
    .get(returnNumber);
  if (!row?.bytes) return null;
  const d = decodeEscPos(row.bytes);
  return { lines: d.lines.map((l) => l.trim()).filter(Boolean), pulses: d.events.filter((e) => e.type === "pulse").length };
}

describe("returns against the receipt", () => {
  test("scan the receipt, return one of two lines, cash back: drawer, return receipt, stock, and what is left next time", async () => {
    const { page, problems, cashier } = await suite.till(1, { allow: [expected409] });
    const receipt = await sellTwoLines(page);
    const breadBefore = stockOf(db(), "BREAD-SOUR");

    // the receipt's code scanned at the register brings the sale up; Return items opens the return
    await scan(page, receipt);
    await page.getByTestId("past-receipt").waitFor({ state: "visible" });
    await page.getByTestId("start-return").click();
    await page.getByTestId("return-lines").waitFor({ state: "visible" });
    expect(await page.getByTestId("return-line").allInnerTexts()).toEqual([
      expect.stringContaining("Fresh Milk 1 L"),
      expect.stringContaining("Sourdough Bread 800 g"),
    ]);
    // the bread comes back; the milk stays
    await page.getByTestId("return-qty").nth(1).fill("1");
    await page.getByTestId("confirm-return").click();
    await page.getByTestId("return-done").waitFor({ state: "visible" });
    expect(await textOf(page, "refund-due")).toBe("€3.49 cash");
    const returnNumber = db().db.query<{ n: string }, []>("SELECT return_number AS n FROM returns ORDER BY at DESC LIMIT 1").get()!.n;
    expect(returnNumber).toBe(`R${String(cashier.registerId).padStart(3, "0")}-000001`);

    // the return's receipt came off the printer, the drawer opened for the cash
    await eventually(() => returnPrint(returnNumber) !== null, true, "the return receipt printed");
    const printed = returnPrint(returnNumber)!;
    expect(printed.pulses).toBe(1);
    expect(printed.lines).toEqual(
      expect.arrayContaining(["RETURN", expect.stringMatching(new RegExp(`^Of receipt\\s+${receipt}$`)), expect.stringMatching(/^REFUND\s+€?3\.49$/)]),
    );
    expect(stockOf(db(), "BREAD-SOUR")).toBe(breadBefore + 1000);
    expect(auditOf(db(), "return.completed").map((r) => r.user)).toEqual([cashier.userName]);
    await page.getByTestId("return-close").click();

    // the same receipt again, from F5: the bread is gone, two milks are left; three is refused naming what is left
    await page.keyboard.press("F5");
    await page.getByTestId("return-receipt").waitFor({ state: "visible" });
    await page.keyboard.type(receipt);
    await page.keyboard.press("Enter");
    await page.getByTestId("return-lines").waitFor({ state: "visible" });
    expect(await page.getByTestId("return-qty").count()).toBe(1);
    await page.getByTestId("return-qty").fill("3");
    await page.getByTestId("confirm-return").click();
    await eventually(() => dialogMessage(page), "Only 2 of Fresh Milk 1 L can still be returned (3 asked).", "the refusal in the dialog");
    expect(db().db.query<{ n: number }, []>("SELECT count(*) AS n FROM returns").get()!.n).toBe(1);
    expect(problems()).toEqual([]);
  });

  test("a card sale: the refund goes back to the card; all in cash needs a manager", async () => {
    const boss = await ensureManager(db());
    const { page, problems } = await suite.till(2, { allow: [expected403] });
    const receipt = await sellTwoLines(page, true);
    await page.keyboard.press("F5");
    await page.getByTestId("return-receipt").fill(receipt);
    await page.getByTestId("return-receipt").press("Enter");
    await page.getByTestId("return-lines").waitFor({ state: "visible" });
    await page.getByTestId("return-qty").first().fill("2");
    await page.getByTestId("refund-cash").check();
    await page.getByTestId("confirm-return").click();
    await eventually(
      () => dialogMessage(page),
      "A cash refund for a card or store credit payment needs a manager's approval: a manager types their PIN.",
      "a cash refund of a card sale refused",
    );
    // back to the card, as it was paid: no manager needed
    await page.getByTestId("refund-original").check();
    await page.locator("#refund-last4").fill("4242");
    await page.getByTestId("confirm-return").click();
    await page.getByTestId("return-done").waitFor({ state: "visible" });
    expect(await textOf(page, "refund-due")).toBe("€2.38 card");
    const refund = db()
      .db.query<{ method: string; card_last4: string | null }, [string]>(
        "SELECT f.method, f.card_last4 FROM return_refunds f JOIN returns r ON r.id = f.return_id JOIN sales s ON s.id = r.sale_id WHERE s.receipt_number = ?",
      )
      .all(receipt);
    expect(refund).toEqual([{ method: "card", card_last4: "4242" }]);
    expect(boss.name).toBeTruthy();
    await page.getByTestId("return-close").click();
    // the bread, all in cash with the manager's PIN
    await page.keyboard.press("F5");
    await page.getByTestId("return-receipt").fill(receipt);
    await page.getByTestId("return-receipt").press("Enter");
    await page.getByTestId("return-lines").waitFor({ state: "visible" });
    await page.getByTestId("return-qty").last().fill("1");
    await page.getByTestId("refund-cash").check();
    await approveAs(page.locator("#dialog"), boss);
    await page.getByTestId("confirm-return").click();
    await page.getByTestId("return-done").waitFor({ state: "visible" });
    expect(await textOf(page, "refund-due")).toBe("€3.49 cash");
    expect(auditOf(db(), "return.completed").at(-1)!.approvedBy).toBe(boss.name);
    expect(problems()).toEqual([]);
  });
});
