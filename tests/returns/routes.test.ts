// Returns at the register, in-process on a real store database: the dialogs, a return and its rows, two registers
// returning the last unit at once (one gets it, the other is told what is left), and bad input that writes nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let laneA: SignedIn;
let laneB: SignedIn;
let saleId = "";
let receipt = "";

beforeAll(async () => {
  t = makeTestStore();
  laneA = await signIn(t.store, 1);
  laneB = await signIn(t.store, 2);
  const sold = t.store.checkout.sell(laneA.registerId, [{ barcode: codes.milk, qty: 2 }, { barcode: codes.wine }], [{ method: "cash", amount: 2000 }]);
  saleId = sold.sale.id;
  receipt = sold.sale.receipt_number!;
});
afterAll(() => t.close());

const form = (who: SignedIn, path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(fields).toString(),
  });
const get = (who: SignedIn, path: string) => t.app.request(path, { headers: { ...who.headers, "HX-Request": "true" } });
const returnsOf = () => t.store.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM returns WHERE sale_id = ?").get(saleId)!.n;

describe("returns at the register", () => {
  test("the receipt found by its number shows what can come back", async () => {
    const res = await get(laneB, `/returns/sale?code=${receipt}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Fresh Milk 1 L");
    expect(html).toContain("Rioja Crianza 0.75 L");
    expect((await get(laneB, "/returns/sale?code=001-999999")).status).toBe(404);
    expect((await get(laneB, "/returns/sale?code=bananas")).status).toBe(422);
  });

  test("two registers returning the last bottle at once: one refunds it, the other is told it is gone", async () => {
    const ask = { sale_id: saleId, qty_2: "1", reason: "changed_mind", refund: "original" };
    const [a, b] = await Promise.all([form(laneA, "/returns", ask), form(laneB, "/returns", ask)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = (a.status === 409 ? a : b).clone();
    expect(await refused.text()).toContain("Rioja Crianza 0.75 L has already been returned in full.");
    expect(returnsOf()).toBe(1);
  });

  test("bad input is refused with a sentence and writes nothing", async () => {
    const before = footprint(t.store);
    const cases: [Record<string, string>, number, string][] = [
      [{ sale_id: saleId, reason: "changed_mind", refund: "original" }, 422, "Type how many of which item come back."],
      [{ sale_id: saleId, qty_1: "abc", reason: "changed_mind", refund: "original" }, 422, "Type how many Fresh Milk 1 L come back"],
      [{ sale_id: saleId, qty_1: "0.5", reason: "changed_mind", refund: "original" }, 422, "is returned in whole units"],
      [{ sale_id: saleId, qty_1: "3", reason: "changed_mind", refund: "original" }, 409, "Only 2 of Fresh Milk 1 L can still be returned (3 asked)."],
      [{ sale_id: saleId, qty_1: "1", reason: "stolen_goods", refund: "original" }, 422, "Choose why the goods come back from the list."],
      [{ sale_id: saleId, qty_1: "1", reason: "changed_mind", refund: "bitcoin" }, 422, "Choose how the money goes back."],
      [{ sale_id: "no-such-sale", qty_1: "1", reason: "changed_mind", refund: "original" }, 404, "There is no completed sale with that receipt."],
      [{ sale_id: saleId, qty_1: "1", reason: "changed_mind", refund: "original", last4: "4111111111111111" }, 422, "looks like a card number"],
    ];
    for (const [fields, status, says] of cases) {
      const res = await form(laneB, "/returns", fields);
      expect({ fields, status: res.status }).toEqual({ fields, status });
      expect(await res.text()).toContain(says);
    }
    expect(footprint(t.store)).toEqual(before);
  });

  test("a return's rows, stock and outbox item", async () => {
    const milk = () => t.store.catalog.bySku("MILK-1L")!.stockMilli;
    const before = milk();
    const res = await form(laneB, "/returns", { sale_id: saleId, qty_1: "2", reason: "damaged", refund: "original" });
    expect(res.status).toBe(200);
    // damaged: taken in and written off, the shelf as it was
    expect(milk()).toBe(before);
    const moves = t.store.db
      .query<{ reason: string; qty: number }, []>("SELECT reason, qty_milli AS qty FROM stock_movements WHERE return_id IS NOT NULL ORDER BY id DESC LIMIT 2")
      .all();
    expect(moves.sort((x, y) => x.reason.localeCompare(y.reason))).toEqual([
      { reason: "return", qty: 2000 },
      { reason: "write_off", qty: -2000 },
    ]);
    const item = t.store.db.query<{ payload: string }, []>("SELECT payload FROM outbox WHERE kind = 'return' ORDER BY seq DESC LIMIT 1").get()!;
    expect(JSON.parse(item.payload)).toMatchObject({ sale_id: saleId, receipt_number: receipt, total: 238, reason_code: "damaged" });
    // everything of the sale is back now
    expect(await (await get(laneB, `/returns/sale?code=${receipt}`)).text()).toContain("Everything on this receipt has been returned already.");
  });
});
