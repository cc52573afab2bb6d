// Adjusting stock by hand in the back office, in-process on a real store database: a supervisor takes damaged goods off
// (a movement naming who and why, on-hand with it, an audit row); above the shop's value a manager approves on the same
// page; a wrong sign, an unknown product or a bad quantity is refused with the sentence and writes nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let supervisor: SignedIn;
let manager: SignedIn;

beforeAll(async () => {
  t = makeTestStore();
  supervisor = await signIn(t.store, 1, { role: "supervisor", shift: false });
  manager = await signIn(t.store, 2, { role: "manager", shift: false });
});
afterAll(() => t.close());

const post = (who: SignedIn, fields: Record<string, string>) =>
  t.app.request("/stock/adjust", {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const said = async (res: Response) => (await res.text()).replaceAll("&#39;", "'").replaceAll("&amp;", "&");
const onHand = (sku: string) => t.store.catalog.bySku(sku)!.stockMilli;

describe("adjusting stock", () => {
  test("two damaged loaves off the shelf: on-hand down, a movement naming who and why, an audit row", async () => {
    const before = onHand("BREAD-SOUR");
    const res = await post(supervisor, { code: codes.bread, qty: "-2", reason: "damaged", note: "dropped" });
    expect(res.status).toBe(303);
    expect(onHand("BREAD-SOUR")).toBe(before - 2000);
    const [m] = t.store.ledger.history(t.store.catalog.bySku("BREAD-SOUR")!.id, 1);
    expect(m).toMatchObject({ qtyMilli: -2000, reason: "adjustment", user: supervisor.userName, note: "Damaged: dropped" });
    const audit = t.store.db.query<{ action: string; detail: string }, []>("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1").get()!;
    expect(audit.action).toBe("stock.adjusted");
    expect(JSON.parse(audit.detail)).toMatchObject({ qty: -2, reason: "damaged", value: 698 });
    const page = await said(await t.app.request(res.headers.get("Location")!, { headers: supervisor.headers }));
    expect(page).toContain("Sourdough Bread 800 g: 18 on hand now.");
    // the product's page lists it first among its movements, with who and why
    const product = await said(await t.app.request(`/products/${t.store.catalog.bySku("BREAD-SOUR")!.id}`, { headers: manager.headers }));
    const firstRow = /data-testid="movement-row">([\s\S]*?)<\/tr>/.exec(product)![1]!;
    expect(firstRow).toContain("Adjusted");
    expect(firstRow).toContain(`${supervisor.userName} · Damaged: dropped`);
    expect(t.store.ledger.disagreements()).toEqual([]);
  });

  test("worth more than the shop's value (50.00): a manager's PIN, else refused and nothing written", async () => {
    const before = footprint(t.store);
    const refused = await post(supervisor, { code: "WINE-RED", qty: "-5", reason: "theft" }); // 64.95
    expect(refused.status).toBe(403);
    expect(await said(refused)).toContain("An adjustment worth more than 50.00 needs a manager's approval");
    expect(footprint(t.store)).toEqual(before);
    const ok = await post(supervisor, { code: "WINE-RED", qty: "-5", reason: "theft", approver: String(manager.userId), manager_pin: manager.pin });
    expect(ok.status).toBe(303);
    const approvedBy = t.store.db.query<{ approved_by: string }, []>("SELECT approved_by FROM audit_log ORDER BY id DESC LIMIT 1").get()!;
    expect(approvedBy.approved_by).toBe(manager.userName);
  });

  test("refused with a sentence, the form kept, nothing written", async () => {
    const before = footprint(t.store);
    for (const [fields, status, says] of [
      [{ code: codes.bread, qty: "3", reason: "damaged" }, 422, "Damaged takes stock off: type how many, with a minus (−2)."],
      [{ code: codes.bread, qty: "-3", reason: "found" }, 422, "Found puts stock on"],
      [{ code: "NO-SUCH", qty: "1", reason: "found" }, 422, "No product has the barcode or SKU NO-SUCH."],
      [{ code: codes.bread, qty: "lots", reason: "found" }, 422, "Type how much stock comes off (−2) or on (3)."],
      [{ code: codes.bread, qty: "0.5", reason: "found" }, 422, "is counted in whole units"],
      [{ code: codes.bread, qty: "1", reason: "gift" }, 422, "Choose why the stock changes from the list."],
      [{ code: codes.bread, qty: "1", reason: "found", note: "card 4111 1111 1111 1111" }, 422, "card number"],
    ] as const) {
      const res = await post(supervisor, fields);
      expect({ fields, status: res.status }).toEqual({ fields, status });
      const html = await said(res);
      expect(html).toContain(says);
    }
    expect(footprint(t.store)).toEqual(before);
  });
});

describe("a product with no shelf price", () => {
  test("taking more than 100 off needs a manager even when it is worth nothing at the shelf price", async () => {
    const before = footprint(t.store);
    const res = await post(supervisor, { code: "HAM-PACK", qty: "-1000", reason: "theft" });
    expect(res.status).toBe(403);
    expect(await said(res)).toContain("An adjustment of more than 100 needs a manager's approval");
    expect(footprint(t.store)).toEqual(before);
  });
});
