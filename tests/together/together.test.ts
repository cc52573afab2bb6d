// Frequently bought together on a real store (SQLite, in-process): completed sales counted in the background, the
// register's suggestion after a scan, and the managers' report with its CSV.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { checkSetting, valueInWords } from "../../src/server/settings/rules.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let lane: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  lane = await signIn(t.store, 3);
});
afterEach(() => t.close());

const post = (path: string, form: Record<string, string> = {}, who: SignedIn = lane) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(form).toString(),
  });
const get = (path: string, who: SignedIn) => t.app.request(path, { headers: who.headers });
const idOf = (sku: string) => t.store.db.query<{ id: number }, [string]>("SELECT id FROM products WHERE sku = ?").get(sku)!.id;
/** What the suggestion slot of an answer says: the product's name, or null when it offers nothing. */
const suggested = (html: string): string | null => {
  const slot = html.match(/<div id="suggestion"[^>]*>([\s\S]*?)<\/div>/);
  if (!slot) throw new Error("the answer has no suggestion slot");
  return slot[1]!.match(/data-testid="suggestion-name">([^<]*)</)?.[1] ?? null;
};

async function sell(skus: string[]): Promise<void> {
  const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: skus.map((sku) => ({ sku })), payments: [{ method: "cash", amount: 100_000 }] } });
  if (res.status !== 201) throw new Error(`a sale answered ${res.status}: ${await res.text()}`);
}

/**
 * 16 baskets: milk and bread together in 6, milk and the paper in 2, wine alone in 4, the paper alone in 3, bread and
 * wine in 1. Milk is in 8, bread in 7.
 */
async function sellTheBaskets(): Promise<void> {
  for (let i = 0; i < 6; i++) await sell(["MILK-1L", "BREAD-SOUR"]);
  for (let i = 0; i < 2; i++) await sell(["MILK-1L", "PAPER-DAILY"]);
  for (let i = 0; i < 4; i++) await sell(["WINE-RED"]);
  for (let i = 0; i < 3; i++) await sell(["PAPER-DAILY"]);
  await sell(["BREAD-SOUR", "WINE-RED"]);
}

describe("counting baskets", () => {
  test("each completed sale is counted once, after the cursor, whatever runs twice; open and cancelled sales are not", async () => {
    await sellTheBaskets();
    // a sale still open at a register, and one cancelled, are no baskets
    await post("/register/scan", { code: codes.wine });
    const manager = await signIn(t.store, 4, { role: "manager" });
    await post("/register/scan", { code: codes.milk }, manager);
    await post("/register/scan", { code: codes.bread }, manager);
    expect((await post("/register/cancel", { reason: "the customer left" }, manager)).status).toBe(200);
    expect(t.store.db.query("SELECT count(*) AS n FROM sales WHERE status = 'cancelled'").get()).toEqual({ n: 1 });
    t.store.together.catchUp();
    expect(t.store.together.catchUp()).toBe(0);
    expect(t.store.together.state()).toMatchObject({ baskets: 16, skipped: 0, minBaskets: 5 });
    const pair = (a: string, b: string) =>
      t.store.db
        .query<{ baskets: number }, [number, number]>("SELECT baskets FROM together_pairs WHERE a = ? AND b = ?")
        .get(Math.min(idOf(a), idOf(b)), Math.max(idOf(a), idOf(b)))?.baskets;
    expect(pair("MILK-1L", "BREAD-SOUR")).toBe(6);
    expect(pair("MILK-1L", "PAPER-DAILY")).toBe(2);
    expect(pair("BREAD-SOUR", "WINE-RED")).toBe(1);
    // two more baskets later: only they are added
    await sell(["MILK-1L", "BREAD-SOUR"]);
    await sell(["MILK-1L", "BREAD-SOUR", "MILK-1L"]);
    t.store.together.catchUp();
    expect(t.store.together.state().baskets).toBe(18);
    expect(pair("MILK-1L", "BREAD-SOUR")).toBe(8);
  });

  test("the rules' figures are the hand-worked ones: support 6/16, confidence 6/8, lift 6·16/(8·7)", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    const rows = t.store.together.strongest(100);
    const milkToBread = rows.find((r) => r.fromSku === "MILK-1L" && r.toSku === "BREAD-SOUR")!;
    expect(milkToBread.together).toBe(6);
    expect(milkToBread.support).toBe(6 / 16);
    expect(milkToBread.confidence).toBe(6 / 8);
    expect(milkToBread.lift).toBeCloseTo((6 * 16) / (8 * 7), 12);
    const breadToMilk = rows.find((r) => r.fromSku === "BREAD-SOUR" && r.toSku === "MILK-1L")!;
    expect(breadToMilk.confidence).toBe(6 / 7);
    expect(breadToMilk.lift).toBeCloseTo(milkToBread.lift, 12);
    // milk and the paper went together only twice: under the minimum of 5, no rule
    expect(rows.some((r) => r.fromSku === "PAPER-DAILY" || r.toSku === "PAPER-DAILY")).toBe(false);
    expect(rows).toHaveLength(2);
  });
});

describe("the suggestion at the register", () => {
  test("after the baskets, scanning milk suggests bread, with its price and a button that adds it as a quick key does", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    const html = await (await post("/register/scan", { code: codes.milk })).text();
    expect(suggested(html)).toBe("Sourdough Bread 800 g");
    expect(html).toContain("€3.49");
    expect(html).toMatch(/data-testid="suggestion-add"[^>]*hx-post="\/register\/add"/);
    expect(html).toContain(`{&quot;product_id&quot;:&quot;${idOf("BREAD-SOUR")}&quot;}`);
    // the tap: the same add as any line, and the suggestion is gone with it
    const added = await (await post("/register/add", { product_id: String(idOf("BREAD-SOUR")) })).text();
    expect((added.match(/data-testid="item-row"/g) ?? []).length).toBe(2);
    expect(suggested(added)).toBeNull();
  });

  test("nothing before the counts are in, nor for a product without a good rule", async () => {
    await sellTheBaskets();
    expect(suggested(await (await post("/register/scan", { code: codes.milk })).text())).toBeNull();
    t.store.together.catchUp();
    expect(suggested(await (await post("/register/scan", { code: codes.paper })).text())).toBeNull();
  });

  test("a pair that becomes a habit later is suggested once the counter has counted it", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    expect(suggested(await (await post("/register/scan", { code: codes.paper })).text())).toBeNull();
    for (let i = 0; i < 5; i++) await sell(["PAPER-DAILY", "WINE-RED"]);
    t.store.db.query("UPDATE products SET stock_milli = 50000 WHERE sku = 'WINE-RED'").run(); // a delivery: the wine is on the shelf again
    t.store.together.catchUp();
    expect(suggested(await (await post("/register/scan", { code: codes.paper })).text())).toBe("Rioja Crianza 0.75 L");
  });

  test("a product already in the basket is not suggested", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    await post("/register/scan", { code: codes.bread });
    const html = await (await post("/register/scan", { code: codes.milk })).text();
    expect(suggested(html)).toBeNull();
    expect(html).toContain('<div id="suggestion"');
  });

  test("a product taken off sale or out of stock is not suggested", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    t.store.db.query("UPDATE products SET stock_milli = 0 WHERE sku = 'BREAD-SOUR'").run();
    expect(suggested(await (await post("/register/scan", { code: codes.milk })).text())).toBeNull();
    t.store.db.query("UPDATE products SET stock_milli = 5000, active = 0 WHERE sku = 'BREAD-SOUR'").run();
    expect(suggested(await (await post("/register/scan", { code: codes.milk })).text())).toBeNull();
  });

  test("a higher minimum in the store's settings takes the rule away once the counter has worked the rules out again", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    t.store.db.query("INSERT INTO settings(key, value) VALUES ('together_min_baskets', '7')").run();
    t.store.together.catchUp();
    expect(t.store.together.state().minBaskets).toBe(7);
    expect(t.store.together.strongest(10)).toEqual([]);
    expect(suggested(await (await post("/register/scan", { code: codes.milk })).text())).toBeNull();
  });

  test("other sale actions empty the suggestion", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    expect(suggested(await (await post("/register/scan", { code: codes.milk })).text())).not.toBeNull();
    const res = await post("/register/park");
    expect(suggested(await res.text())).toBeNull();
  });
});

describe("the setting", () => {
  test("the fewest baskets is a whole number from 1; anything else is refused with a sentence", () => {
    const ctx = { currency: "EUR" };
    expect(checkSetting("together_min_baskets", " 12 ", ctx)).toEqual({ value: "12" });
    for (const typed of ["0", "-3", "2.5", "many", "", "1234567"]) {
      expect(checkSetting("together_min_baskets", typed, ctx)).toEqual({
        refused: { code: "invalid_input", message: "Bought together: fewest baskets is a whole number of sales from 1, such as 5." },
      });
    }
    expect(valueInWords("together_min_baskets", "", ctx)).toBe("5 baskets (the default)");
  });
});

describe("the report (/reports/bought-together)", () => {
  test("a manager sees the strongest rules with their figures, and the CSV holds the same", async () => {
    await sellTheBaskets();
    t.store.together.catchUp();
    const manager = await signIn(t.store, 4, { role: "manager" });
    const res = await get("/reports/bought-together", manager);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("From 16 sales counted so far");
    expect(html).toContain('data-from="MILK-1L" data-to="BREAD-SOUR"');
    expect(html).toContain("75.0 %"); // milk → bread's confidence
    expect(html).toContain("1.71"); // its lift
    const csv = await get("/reports/bought-together/export.csv", manager);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe('"sku","name","also_sku","also_name","sales_together","support","confidence","lift"');
    expect(lines).toContain('"MILK-1L","Fresh Milk 1 L","BREAD-SOUR","Sourdough Bread 800 g","6","0.375000","0.750000","1.714286"');
    expect(lines).toHaveLength(3);
  });

  test("an empty store says so; a cashier is refused and nothing is written", async () => {
    const manager = await signIn(t.store, 4, { role: "manager" });
    expect(await (await get("/reports/bought-together", manager)).text()).toContain('data-testid="together-empty"');
    const before = footprint(t.store);
    for (const path of ["/reports/bought-together", "/reports/bought-together/export.csv"]) {
      const res = await get(path, lane);
      expect(res.status).toBe(403);
    }
    expect(footprint(t.store)).toEqual(before);
  });
});

/** A sale through the API, its lines as the API numbers them. */
async function sold(skus: string[]): Promise<{ id: string; lines: { line_no: number; sku: string }[] }> {
  const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: skus.map((sku) => ({ sku })), payments: [{ method: "cash", amount: 100_000 }] } });
  if (res.status !== 201) throw new Error(`a sale answered ${res.status}: ${await res.text()}`);
  return await res.json();
}

async function giveBack(sale: { id: string; lines: { line_no: number; sku: string }[] }, skus: string[]): Promise<void> {
  const lines = sale.lines.filter((l) => skus.includes(l.sku)).map((l) => ({ line_no: l.line_no, qty: 1 }));
  const res = await t.api("/api/v1/returns", { method: "POST", json: { sale_id: sale.id, lines, reason: "changed_mind" } });
  if (res.status !== 201) throw new Error(`a return answered ${res.status}: ${await res.text()}`);
}

const pairOf = (a: string, b: string): number | undefined =>
  t.store.db
    .query<{ baskets: number }, [number, number]>("SELECT baskets FROM together_pairs WHERE a = ? AND b = ?")
    .get(Math.min(idOf(a), idOf(b)), Math.max(idOf(a), idOf(b)))?.baskets;
const productCount = (sku: string): number | undefined =>
  t.store.db.query<{ baskets: number }, [number]>("SELECT baskets FROM together_products WHERE product_id = ?").get(idOf(sku))?.baskets;
const setting = (key: string, value: string) => t.store.db.query("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").run(key, value);
/** Milk's rules, best first, as the report has them. */
const fromMilk = () =>
  t.store.together
    .strongest(100)
    .filter((r) => r.fromSku === "MILK-1L")
    .map((r) => `${r.toSku} ${r.together}`);

describe("counts fade (together_halve_days)", () => {
  /**
   * Milk went with bread 8 times a season ago; this season it goes with the paper, 6 times; wine alone 4 times in each.
   * A pair needs 3 baskets here.
   */
  async function twoSeasons(halveDays: string): Promise<string[]> {
    setting("together_min_baskets", "3");
    setting("together_halve_days", halveDays);
    for (let i = 0; i < 8; i++) await sell(["MILK-1L", "BREAD-SOUR"]);
    for (let i = 0; i < 4; i++) await sell(["WINE-RED"]);
    t.store.together.catchUp();
    expect(fromMilk()).toEqual(["BREAD-SOUR 8"]);
    t.clock.advance(31 * 86_400_000);
    for (let i = 0; i < 6; i++) await sell(["MILK-1L", "PAPER-DAILY"]);
    for (let i = 0; i < 4; i++) await sell(["WINE-RED"]);
    const kinds: string[] = [];
    for (let kind = t.store.together.step(); kind; kind = t.store.together.step()) kinds.push(kind);
    return kinds;
  }

  test("after a period the old counts weigh half: bread's 8 are 4, and this season's paper is milk's strongest partner", async () => {
    const steps = await twoSeasons("30");
    expect(steps).toContain("halve");
    expect(pairOf("MILK-1L", "BREAD-SOUR")).toBe(4);
    expect(productCount("MILK-1L")).toBe(4 + 6);
    expect(productCount("WINE-RED")).toBe(2 + 4);
    expect(pairOf("MILK-1L", "PAPER-DAILY")).toBe(6);
    expect(t.store.together.state()).toMatchObject({ baskets: 6 + 10, halvings: 1, halveDays: 30 });
    // paper: 6 of milk's 10 baskets (lift 6·16/(10·6) = 1.6); bread: 4 of 10 (lift 4·16/(10·4) = 1.6)
    expect(fromMilk()).toEqual(["PAPER-DAILY 6", "BREAD-SOUR 4"]);
    // a month on, a lane signs in afresh
    const today = await signIn(t.store, 5);
    expect(suggested(await (await post("/register/scan", { code: codes.milk }, today)).text())).toBe("Daily Newspaper");
  });

  test("with halving off (0), last season's habit still wins", async () => {
    const steps = await twoSeasons("0");
    expect(steps).not.toContain("halve");
    expect(pairOf("MILK-1L", "BREAD-SOUR")).toBe(8);
    expect(fromMilk()).toEqual(["BREAD-SOUR 8", "PAPER-DAILY 6"]);
    const today = await signIn(t.store, 5);
    expect(suggested(await (await post("/register/scan", { code: codes.milk }, today)).text())).toBe("Sourdough Bread 800 g");
  });

  test("a pair seen once fades away entirely, and its products' rows with it", async () => {
    setting("together_halve_days", "30");
    await sell(["BREAD-SOUR", "WINE-RED"]);
    await sell(["MILK-1L", "PAPER-DAILY"]);
    await sell(["MILK-1L", "PAPER-DAILY"]);
    t.store.together.catchUp();
    t.clock.advance(65 * 86_400_000); // two periods: halved twice
    await sell(["MILK-1L"]);
    t.store.together.catchUp();
    expect(pairOf("BREAD-SOUR", "WINE-RED")).toBeUndefined();
    expect(pairOf("MILK-1L", "PAPER-DAILY")).toBeUndefined();
    expect(productCount("WINE-RED")).toBeUndefined();
    expect(productCount("MILK-1L")).toBe(1);
    expect(t.store.together.state()).toMatchObject({ baskets: 1, halvings: 2 });
  });

  test("the setting is a whole number of days, 0 for never; anything else is refused with a sentence", () => {
    const ctx = { currency: "EUR" };
    expect(checkSetting("together_halve_days", " 60 ", ctx)).toEqual({ value: "60" });
    expect(checkSetting("together_halve_days", "0", ctx)).toEqual({ value: "0" });
    for (const typed of ["-3", "2.5", "often", "", "12345"]) {
      expect(checkSetting("together_halve_days", typed, ctx)).toEqual({
        refused: { code: "invalid_input", message: "Bought together: halve counts every is a whole number of days, such as 90, or 0 for never." },
      });
    }
    expect(valueInWords("together_halve_days", "", ctx)).toBe("90 days (the default)");
    expect(valueInWords("together_halve_days", "0", ctx)).toBe("never");
  });
});

describe("returns take their items out of the basket", () => {
  test("the bread of a sale brought back: its pairs in that basket go down, the rest stay; the rule under the minimum goes", async () => {
    const first = await sold(["MILK-1L", "BREAD-SOUR", "PAPER-DAILY"]);
    for (let i = 0; i < 4; i++) await sell(["MILK-1L", "BREAD-SOUR"]);
    for (let i = 0; i < 4; i++) await sell(["WINE-RED"]);
    t.store.together.catchUp();
    expect(pairOf("MILK-1L", "BREAD-SOUR")).toBe(5);
    expect(fromMilk()).toEqual(["BREAD-SOUR 5"]);

    await giveBack(first, ["BREAD-SOUR"]);
    t.store.together.catchUp();
    expect(pairOf("MILK-1L", "BREAD-SOUR")).toBe(4);
    expect(pairOf("BREAD-SOUR", "PAPER-DAILY")).toBeUndefined();
    expect(pairOf("MILK-1L", "PAPER-DAILY")).toBe(1);
    expect(productCount("BREAD-SOUR")).toBe(4);
    expect(productCount("MILK-1L")).toBe(5);
    expect(t.store.together.state().baskets).toBe(9);
    // 4 baskets together now, under the minimum of 5: no rule, nothing offered
    expect(fromMilk()).toEqual([]);
    expect(suggested(await (await post("/register/scan", { code: codes.milk })).text())).toBeNull();
  });

  test("part of a product back leaves the basket as it was; a sale all brought back is no basket", async () => {
    const sale = await sold(["MILK-1L", "MILK-1L", "PAPER-DAILY"]);
    t.store.together.catchUp();
    expect(pairOf("MILK-1L", "PAPER-DAILY")).toBe(1);
    // one of the two milks: milk is still in the basket
    const milkLine = sale.lines.find((l) => l.sku === "MILK-1L")!;
    const res = await t.api("/api/v1/returns", {
      method: "POST",
      json: { sale_id: sale.id, lines: [{ line_no: milkLine.line_no, qty: 1 }], reason: "changed_mind" },
    });
    expect(res.status).toBe(201);
    t.store.together.catchUp();
    expect(pairOf("MILK-1L", "PAPER-DAILY")).toBe(1);
    expect(t.store.together.state().baskets).toBe(1);
    // the rest of it: nothing of the sale is left
    const after = await (await t.api(`/api/v1/sales/${sale.id}`)).json();
    const left = after.lines.filter((l: { qty: number; returned_qty: number }) => l.qty > l.returned_qty);
    await giveBack(
      { id: sale.id, lines: left },
      left.map((l: { sku: string }) => l.sku),
    );
    t.store.together.catchUp();
    expect(pairOf("MILK-1L", "PAPER-DAILY")).toBeUndefined();
    expect(productCount("MILK-1L")).toBeUndefined();
    expect(t.store.together.state().baskets).toBe(0);
  });
});
