// What comes out of the receipt printer after a sale at the register, read back from the bytes a network printer got.
import { afterEach, describe, expect, test } from "bun:test";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { codes } from "../helpers/store.ts";
import { eventsOf, jobsOfSale, openPrintingShop, type PrintingShop, paper, printState, row, sell } from "./support.ts";

let shop: PrintingShop;
afterEach(async () => {
  await shop.close();
});

describe("a cash sale on a network printer", () => {
  test("prints the whole receipt once, opens the drawer, and cuts at the end", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    const sold = await sell(t, register, [codes.wine, codes.milk, codes.milk], { method: "cash", amount: "20" });

    expect(sold.status).toBe(200);
    // the receipt dialog says the receipt is on its way; the job was queued with the sale
    const shown = printState(sold.html);
    expect(["queued", "printing"]).toContain(shown.state);
    expect(shown.text).toBe("Front: Printing…");

    await t.store.printing.worker.tick();
    const after = printState(await (await register.get(`/register/print-state/${sold.saleId}`)).text());
    expect(after).toEqual({ state: "printed", text: "Front: Receipt printed." });

    expect(fake.jobs()).toHaveLength(1);
    const p = paper(fake.jobs()[0]!);
    expect(p.lines[0]).toMatch(/^ +ShopFlow Store$/);
    expect(p.text).toMatch(row("Receipt", sold.receiptNumber));
    expect(p.text).toMatch(row("Register", "Lane 1"));
    expect(p.text).toMatch(row("Rioja Crianza 0.75 L", "12.99"));
    expect(p.text).toMatch(row("Fresh Milk 1 L", "2.38"));
    expect(p.text).toMatch(/^ {2}2 x 1\.19$/m);
    expect(p.text).toMatch(row("TOTAL", "€15.37"));
    expect(p.text).toMatch(row("Cash", "20.00"));
    expect(p.text).toMatch(row("Change", "4.63"));
    expect(p.text).toMatch(row("Tax rate", "Net  Tax"));
    expect(p.text).toMatch(row("RED 10 %", "2.16 0.22"));
    expect(p.text).toMatch(row("STD 20 %", "10.82 2.17"));
    expect(p.text).toContain("Thank you for shopping with us");
    expect(p.text).not.toContain("COPY");

    expect(eventsOf(p, "barcode")).toEqual([{ type: "barcode", symbology: "code128", data: sold.receiptNumber }]);
    expect(eventsOf(p, "pulse")).toEqual([{ type: "pulse", pin: 2 }]);
    expect(eventsOf(p, "cut")).toHaveLength(1);
    expect(p.events.at(-1)).toEqual({ type: "cut" });

    // nothing more comes out on later passes
    t.clock.advance(60_000);
    await t.store.printing.worker.tick();
    expect(fake.jobs()).toHaveLength(1);
    expect(jobsOfSale(t, sold.saleId)).toMatchObject([{ kind: "receipt", state: "printed", attempts: 1 }]);
  });
});

describe("a card sale", () => {
  test("prints the receipt with the card payment and leaves the drawer shut", async () => {
    shop = await openPrintingShop();
    const { t, fake, register } = shop;
    const sold = await sell(t, register, [codes.bread, codes.paper], { method: "card", amount: "5.99", last4: "4242" });
    await t.store.printing.worker.tick();

    expect(fake.jobs()).toHaveLength(1);
    const p = paper(fake.jobs()[0]!);
    expect(p.text).toMatch(row("Sourdough Bread 800 g", "3.49"));
    expect(p.text).toMatch(row("Daily Newspaper", "2.50"));
    expect(p.text).toMatch(row("TOTAL", "€5.99"));
    expect(p.text).toMatch(row("Card", "5.99"));
    expect(p.text).toContain("**** 4242");
    expect(p.text).toMatch(row("Change", "0.00"));
    expect(p.text).not.toMatch(/^Cash /m);
    expect(eventsOf(p, "barcode")).toEqual([{ type: "barcode", symbology: "code128", data: sold.receiptNumber }]);
    expect(eventsOf(p, "pulse")).toEqual([]);
    expect(p.events.at(-1)).toEqual({ type: "cut" });
  });
});

describe("accented names and the euro sign", () => {
  const name = "Crème fraîche Müsli Jalapeño Smørrebrød";
  const code = withCheckDigit("400000000099");

  function addProduct(s: PrintingShop) {
    s.t.store.db
      .query("INSERT INTO products(sku, barcode, name, price, tax_class, category_id, stock_milli, weighed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run("MIX-1", code, name, 450, "RED", 1, 10_000, 0, "2026-11-01T00:00:00.000Z");
  }

  test("print letter for letter, with € on the TOTAL line, through the automatic code page", async () => {
    shop = await openPrintingShop();
    addProduct(shop);
    await sell(shop.t, shop.register, [code], { method: "cash", amount: "5" });
    await shop.t.store.printing.worker.tick();

    const p = paper(shop.fake.jobs()[0]!);
    expect(p.text).toMatch(row(name, "4.50"));
    expect(p.text).toMatch(row("TOTAL", "€4.50"));
    expect(p.text).not.toContain("?");
  });

  test("on a printer fixed to cp437, which has no €, the TOTAL names the currency instead of printing ?", async () => {
    shop = await openPrintingShop({ codepage: "cp437" });
    await sell(shop.t, shop.register, [codes.milk], { method: "cash", amount: "5" });
    await shop.t.store.printing.worker.tick();

    const p = paper(shop.fake.jobs()[0]!);
    expect(p.text).toMatch(row("TOTAL", "EUR 1.19"));
    expect(p.text).not.toContain("?");
  });
});
