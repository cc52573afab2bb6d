// The sales history as a cashier and a manager use it in Chromium: from the register's menu, find a past sale by its
// receipt number, amount, card's last four or day; open it (the cashier's name on it); print a copy (logged); and scan
// a receipt's own code at the register to bring it up.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { codes } from "../helpers/store.ts";
import { auditOf, dialogOpen, eventually, expected422, registerSuite, scan, scanAndWait, textOf } from "./support.ts";

const suite = registerSuite();
const db = suite.db;

/** Sell `code` and pay: cash, or card with the last four given. Returns the receipt number. */
async function sell(page: Page, code: string, card: string | null): Promise<string> {
  await scanAndWait(page, code, 1);
  if (card) {
    await page.keyboard.press("F9");
    await eventually(() => dialogOpen(page), true, "card dialog");
    await page.getByTestId("card-last4").fill(card);
    await page.getByTestId("card-submit").click();
  } else {
    await page.keyboard.press("F8");
    await eventually(() => dialogOpen(page), true, "cash dialog");
    await page.keyboard.press("Enter");
  }
  await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
  const number = (await page.locator("[data-testid=receipt-modal] .receipt").getAttribute("aria-label"))!.replace("Receipt ", "");
  await page.getByTestId("next-sale").click();
  await page.getByTestId("receipt-modal").waitFor({ state: "detached" });
  return number;
}

const rows = (page: Page) =>
  page.getByTestId("history-row").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())));

describe("sales history", () => {
  test("found by receipt, amount, card and day; opened with the cashier's name; a copy printed and logged", async () => {
    const { page, problems, cashier } = await suite.till(1, { allow: [expected422] });
    const milk = await sell(page, codes.milk, null);
    const wine = await sell(page, codes.wine, "4242");
    const bread = await sell(page, codes.bread, null);

    // the register's menu leads to it; a cashier's menu has no manager pages
    await page.getByTestId("menu").locator("summary").click();
    expect(await page.getByTestId("menu-link").allInnerTexts()).toEqual(["Sales history"]);
    await page.getByTestId("menu-link").filter({ hasText: "Sales history" }).click();
    await page.waitForURL("**/sales");
    const all = await rows(page);
    expect(all.map((r) => r[0])).toEqual([bread, wine, milk]);
    expect(all[1]).toEqual([wine, expect.any(String), "Lane 1", cashier.userName, "1", "Card •••• 4242", "€12.99"]);

    // by card's last four, by amount, by a receipt's last digits
    const find = async (q: string) => {
      await page.getByTestId("history-search").fill(q);
      await page.getByTestId("history-search").press("Enter");
      await page.waitForURL((u) => u.searchParams.get("q") === q);
      return (await rows(page)).map((r) => r[0]);
    };
    expect(await find("4242")).toEqual([wine]);
    expect(await find("3.49")).toEqual([bread]);
    expect(await find(String(Number(milk.slice(4))))).toEqual([milk]);
    // around the time on the till's clock (the store keeps UTC here), and not an hour later
    const at = new Date(db().clock.now());
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    expect(await find(hhmm(at))).toEqual([bread, wine, milk]);
    expect(await find(hhmm(new Date(at.getTime() + 3_600_000)))).toEqual([]);
    // by day: today's, and none the day before
    const today = new Date(db().clock.now()).toISOString().slice(0, 10);
    await page.goto(`${suite.server.url}/sales?day=${today}`);
    expect((await rows(page)).length).toBe(3);
    await page.goto(`${suite.server.url}/sales?day=2020-01-01`);
    expect(await textOf(page, "history-summary")).toBe("No sale matches.");

    // something no receipt is found by: said plainly
    await page.goto(`${suite.server.url}/sales`);
    await page.getByTestId("history-search").fill("bananas");
    await page.getByTestId("history-search").press("Enter");
    await page.getByTestId("form-message").waitFor({ state: "visible" });
    expect(await textOf(page, "form-message")).toContain("is not something a receipt is found by");

    // the receipt number typed (or scanned) opens it straight away, with the cashier's name on it
    await page.getByTestId("history-search").fill(wine);
    await page.getByTestId("history-search").press("Enter");
    await page.waitForURL((u) => u.pathname.startsWith("/sales/"));
    expect(await page.locator(".receipt").innerText()).toContain(cashier.userName);
    await page.getByTestId("reprint").click();
    await page.getByTestId("form-message").waitFor({ state: "visible" });
    expect(await textOf(page, "form-message")).toBe("A copy was sent to the printer.");
    const saleId = new URL(page.url()).pathname.split("/")[2]!;
    expect(auditOf(db(), "receipt.reprinted").map((r) => [r.subject, r.user])).toEqual([[saleId, cashier.userName]]);
    const copies = db().db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM print_jobs WHERE sale_id = ? AND kind = 'copy'").get(saleId)!.n;
    expect(copies).toBe(1);
    await page.getByTestId("history-back").click();
    await page.waitForURL("**/sales");
    expect(problems()).toEqual([]);
  });

  test("scanning a receipt's own code at the register brings the sale up, with a copy one tap away", async () => {
    const { page, problems } = await suite.till(2);
    const number = await sell(page, codes.paper, null);
    await scan(page, number);
    await page.getByTestId("past-receipt").waitFor({ state: "visible" });
    expect(await page.locator("[data-testid=past-receipt] .receipt").getAttribute("aria-label")).toBe(`Receipt ${number}`);
    await page.getByTestId("print-copy").click();
    await page.getByTestId("print-state").waitFor({ state: "visible" });
    const saleId = db().db.query<{ id: string }, [string]>("SELECT id FROM sales WHERE receipt_number = ?").get(number)!.id;
    expect(auditOf(db(), "receipt.reprinted").filter((r) => r.subject === saleId).length).toBe(1);
    expect(problems()).toEqual([]);
  });

  test("a manager's menu leads to the back office pages", async () => {
    const { page, problems } = await suite.till(3, { role: "manager" });
    await page.getByTestId("menu").locator("summary").click();
    expect(await page.getByTestId("menu-link").allInnerTexts()).toEqual([
      "Sales history",
      "Reports",
      "Products",
      "Receive delivery",
      "Adjust stock",
      "Stock counts",
      "Low stock",
      "Shelf labels",
      "Quick keys",
      "Tax classes",
      "Categories",
      "Devices",
      "Users",
      "Audit log",
      "Settings",
    ]);
    await page.getByTestId("menu-link").filter({ hasText: "Devices" }).click();
    await page.waitForURL("**/devices");
    expect(problems()).toEqual([]);
  });
});
