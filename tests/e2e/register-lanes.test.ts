// More than one register, and more than one tender: parking on one lane and recalling on another, two lanes selling
// the same product at once, and a sale paid partly by card and partly in cash.
import { describe, expect, test } from "bun:test";
import { codes } from "../helpers/store.ts";
import {
  dialogClosed,
  dialogOpen,
  eventually,
  itemNames,
  lines,
  messageText,
  registerIdOf,
  registerSuite,
  rowCount,
  salesIn,
  scanAndWait,
  stockOf,
  textOf,
} from "./support.ts";

const suite = registerSuite();
const till = suite.till;
const db = suite.db;

describe("registers and tenders", () => {
  test("a sale parked on lane 1 is recalled and completed on lane 2", async () => {
    const one = await till(1);
    const two = await till(2);
    await scanAndWait(one.page, codes.milk, 1);
    await scanAndWait(one.page, codes.wine, 2);
    const saleId = await one.page.locator("#lines").getAttribute("data-sale-id");
    await one.page.getByTestId("park-sale").click();
    await eventually(() => rowCount(one.page), 0, "lane 1 rows after parking");
    expect(await messageText(one.page)).toBe("Sale parked. Recall it from any register with F7.");
    expect(await textOf(one.page, "total-due")).toBe("€0.00");
    expect(salesIn(db()).find((s) => s.id === saleId)?.status).toBe("parked");

    await two.page.getByTestId("recall-sale").click();
    await eventually(() => dialogOpen(two.page), true, "recall dialog on lane 2");
    const parked = two.page.getByTestId("parked-sale");
    expect(await parked.count()).toBe(1);
    const entry = (await parked.innerText()).replace(/\s+/g, " ");
    expect(entry).toContain("Lane 1");
    expect(entry).toContain("2 lines · Fresh Milk 1 L");
    expect(entry).toContain("€14.18");
    await parked.click();
    await eventually(
      () => lines(two.page),
      [
        ["Fresh Milk 1 L", "1", "€1.19"],
        ["Rioja Crianza 0.75 L", "1", "€12.99"],
      ],
      "lane 2 lines after recall",
    );
    await eventually(() => dialogClosed(two.page), true, "recall dialog closed");
    expect(await textOf(two.page, "total-due")).toBe("€14.18");
    expect(await two.page.locator("#lines").getAttribute("data-sale-id")).toBe(saleId);

    // lane 1 does not have it any more; lane 2 can add to it and take the money
    await one.page.reload();
    await one.page.getByTestId("barcode-input").waitFor();
    expect(await rowCount(one.page)).toBe(0);
    await scanAndWait(two.page, codes.paper, 3);
    await two.page.getByTestId("cash-payment").click();
    await two.page.getByTestId("cash-received").fill("20");
    await two.page.getByTestId("complete-sale").click();
    await two.page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(two.page, "change-due")).toBe("€3.32");

    const sale = salesIn(db()).find((s) => s.id === saleId)!;
    expect([sale.status, sale.total, sale.paid, sale.change_due]).toEqual(["completed", 1668, 2000, 332]);
    expect(sale.register_id).toBe(registerIdOf(db(), 2));
    // it counts for the cashier who took the money, in lane 2's open shift
    const stamped = db()
      .db.query<{ cashier_id: number | null; shift_id: number | null }, [string]>("SELECT cashier_id, shift_id FROM sales WHERE id = ?")
      .get(saleId!);
    expect(stamped).toEqual({ cashier_id: two.cashier.userId, shift_id: db().shifts.current(registerIdOf(db(), 2))!.id });
    // nothing left parked: a second recall on lane 1 lists no sale
    await one.page.getByTestId("recall-sale").click();
    await eventually(() => dialogOpen(one.page), true, "recall dialog on lane 1");
    expect(await one.page.getByTestId("parked-sale").count()).toBe(0);
    expect(await one.page.locator("#dialog").innerText()).toContain("No sales are parked.");
    expect(one.problems()).toEqual([]);
    expect(two.problems()).toEqual([]);
  });

  test("split tender: part by card (last 4 only), the rest in cash", async () => {
    const { page, problems } = await till(3);
    await scanAndWait(page, codes.wine, 1);
    await scanAndWait(page, codes.bread, 2);
    expect(await textOf(page, "total-due")).toBe("€16.48");

    await page.getByTestId("card-payment").click();
    await page.getByTestId("card-amount").waitFor({ state: "visible" });
    expect(await page.getByTestId("card-amount").inputValue()).toBe("16.48");
    await page.getByTestId("card-amount").fill("10.00");
    // a cashier who types the whole card number into the last-4 field: the field keeps four digits
    await page.getByTestId("card-last4").click();
    await page.keyboard.type("4000123412344242", { delay: 5 });
    expect(await page.getByTestId("card-last4").inputValue()).toBe("4000");
    await page.getByTestId("card-last4").fill("4242");
    await page.getByTestId("card-auth").fill("A1B2C3");
    await page.getByTestId("card-submit").click();
    await eventually(() => textOf(page, "total-due"), "€6.48", "still due after the card");
    await eventually(() => dialogClosed(page), true, "card dialog closed");
    const totals = (await page.locator("#totals").innerText()).replace(/\s+/g, " ");
    expect(totals).toContain("Still due");
    expect(totals).toContain("Card •••• 4242 €10.00");
    expect(await rowCount(page)).toBe(2);

    await page.getByTestId("cash-payment").click();
    await page.getByTestId("cash-received").waitFor({ state: "visible" });
    expect(await page.getByTestId("cash-received").inputValue()).toBe("6.48");
    await page.getByTestId("cash-received").fill("10");
    await page.getByTestId("complete-sale").click();
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(page, "change-due")).toBe("€3.52");

    const sale = salesIn(db()).find((s) => s.register_id === registerIdOf(db(), 3))!;
    expect([sale.status, sale.total, sale.paid, sale.change_due]).toEqual(["completed", 1648, 2000, 352]);
    const payments = db()
      .db.query<Record<string, unknown>, [string]>(
        "SELECT method, amount, card_brand, card_last4, auth_code, terminal_ref FROM sale_payments WHERE sale_id = ? ORDER BY n",
      )
      .all(sale.id);
    expect(payments).toEqual([
      { method: "card", amount: 1000, card_brand: null, card_last4: "4242", auth_code: "A1B2C3", terminal_ref: null },
      { method: "cash", amount: 1000, card_brand: null, card_last4: null, auth_code: null, terminal_ref: null },
    ]);
    // the card as recorded in the sale's events holds nothing but the last four and the auth code
    const events = db()
      .db.query<{ data: string }, [string]>("SELECT data FROM sale_events WHERE sale_id = ? AND type = 'PaymentAdded' ORDER BY n")
      .all(sale.id);
    const cards = events.map((e) => JSON.parse(e.data).payment?.card ?? null);
    expect(cards).toEqual([{ last4: "4242", authCode: "A1B2C3" }, null]);
    // no longer run of the typed card number anywhere a sale writes
    const written: Record<string, string> = {
      sale_events: "data",
      journal: "data",
      outbox: "payload",
      sale_payments: "coalesce(card_brand, '') || coalesce(card_last4, '') || coalesce(auth_code, '') || coalesce(terminal_ref, '')",
    };
    for (const [table, text] of Object.entries(written)) {
      const hits = db().db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table} WHERE ${text} LIKE '%40001234%'`).get()!.n;
      expect({ table, hits }).toEqual({ table, hits: 0 });
    }
    expect(problems()).toEqual([]);
  });

  test("two registers sell the same product at the same time; stock goes down by both", async () => {
    const four = await till(4);
    const five = await till(5);
    const before = stockOf(db(), "WINE-RED");
    // both lanes scan at once
    await Promise.all([scanAndWait(four.page, codes.wine, 1), scanAndWait(five.page, codes.wine, 1)]);
    await Promise.all([scanAndWait(four.page, codes.milk, 2), scanAndWait(five.page, codes.paper, 2)]);
    await eventually(() => lines(four.page).then((l) => l.map((x) => x[0])), ["Rioja Crianza 0.75 L", "Fresh Milk 1 L"], "lane 4 lines");
    const row4 = four.page.getByTestId("item-row").filter({ hasText: "Rioja" });
    await row4.getByRole("button", { name: "One more Rioja Crianza 0.75 L" }).click();
    await eventually(() => lines(four.page).then((l) => l[0]), ["Rioja Crianza 0.75 L", "2", "€25.98"], "lane 4 wine ×2");
    expect(await itemNames(five.page)).toEqual(["Rioja Crianza 0.75 L", "Daily Newspaper"]);

    for (const t of [four, five]) {
      await t.page.getByTestId("cash-payment").click();
      await t.page.getByTestId("cash-received").waitFor({ state: "visible" });
    }
    await Promise.all([four.page.getByTestId("complete-sale").click(), five.page.getByTestId("complete-sale").click()]);
    await Promise.all([
      four.page.getByTestId("receipt-modal").waitFor({ state: "visible" }),
      five.page.getByTestId("receipt-modal").waitFor({ state: "visible" }),
    ]);

    const done = salesIn(db()).filter((s) => s.register_id === registerIdOf(db(), 4) || s.register_id === registerIdOf(db(), 5));
    expect(done.map((s) => [s.register_id === registerIdOf(db(), 4) ? 4 : 5, s.status, s.total]).sort()).toEqual([
      [4, "completed", 2717],
      [5, "completed", 1549],
    ]);
    const after = stockOf(db(), "WINE-RED");
    expect(before - after).toBe(3000);
    const moved = db()
      .db.query<{ q: number }, [string, string]>(
        "SELECT sum(m.qty_milli) AS q FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE p.sku = 'WINE-RED' AND m.sale_id IN (?, ?)",
      )
      .get(done[0]!.id, done[1]!.id)!.q;
    expect(moved).toBe(-3000);

    // both registers see the same stock when they look the wine up
    const shown: string[] = [];
    for (const t of [four, five]) {
      await t.page.getByTestId("next-sale").click();
      await eventually(() => dialogClosed(t.page), true, "receipt closed");
      await t.page.getByTestId("product-search").fill("rioja");
      await eventually(() => t.page.getByTestId("search-result").count(), 1, "search results for 'rioja'");
      shown.push((await t.page.getByTestId("search-result").innerText()).replace(/\s+/g, " "));
    }
    expect(shown[0]).toContain(`WINE-RED · ${after / 1000} in stock`);
    expect(shown[1]).toBe(shown[0]!);
    expect(four.problems()).toEqual([]);
    expect(five.problems()).toEqual([]);
  });
});
