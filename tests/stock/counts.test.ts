// Stock counts in the back office, in-process on a real store database: two devices scanning the same product at once
// keep every scan; a sale while counting is no difference; a count of one category refuses what is not in it; a count
// list with a bad row counts nothing and names the row; approval writes a 'count' movement per difference (the ledger
// agreeing with on-hand), needs a manager above the shop's value, and closes the count to more counting.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let deviceA: SignedIn;
let deviceB: SignedIn;
const manager = { name: "Mona Manager", pin: "86420", id: 0 };

beforeAll(async () => {
  t = makeTestStore();
  deviceA = await signIn(t.store, 1, { role: "supervisor", shift: false });
  deviceB = await signIn(t.store, 2, { role: "supervisor", shift: false });
  manager.id = (await t.store.users.add(manager.name, "manager", manager.pin, t.clock.now().toISOString())).id;
  // a second bakery product, never counted below; costs for some products (the milk has none)
  t.store.db.exec(`INSERT INTO products(sku, barcode, name, price, tax_class, category_id, stock_milli, weighed, updated_at)
    VALUES ('BAGEL-4', NULL, 'Bagels 4 pack', 229, 'RED', 2, 7000, 0, '2026-11-01T00:00:00.000Z')`);
  t.store.db.exec("UPDATE products SET cost = 150 WHERE sku = 'BREAD-SOUR'");
  t.store.db.exec("UPDATE products SET cost = 700 WHERE sku = 'WINE-RED'");
  t.store.db.exec("UPDATE products SET cost = 90 WHERE sku = 'BAGEL-4'");
});
afterAll(() => t.close());

type Who = SignedIn;
const post = (who: Who, path: string, fields: Record<string, string>, htmx = false) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", ...(htmx ? { "HX-Request": "true" } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
const get = (who: Who, path: string) => t.app.request(path, { headers: who.headers });
const said = async (res: Response) => (await res.text()).replaceAll("&#39;", "'").replaceAll("&amp;", "&").replaceAll("&quot;", '"');
const onHand = (sku: string) => t.store.catalog.bySku(sku)!.stockMilli;
const idOf = (sku: string) => t.store.catalog.bySku(sku)!.id;
const lineOf = (countId: string, sku: string) =>
  t.store.db
    .query<{ counted_milli: number }, [string, number]>("SELECT counted_milli FROM count_lines WHERE count_id = ? AND product_id = ?")
    .get(countId, idOf(sku))?.counted_milli ?? null;
const movementsOf = (countId: string) =>
  t.store.db
    .query<{ sku: string; qty_milli: number }, [string]>(
      "SELECT p.sku, m.qty_milli FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE m.reason = 'count' AND m.document = ? ORDER BY p.sku",
    )
    .all(countId);
const statusOf = (countId: string) => t.store.db.query<{ status: string }, [string]>("SELECT status FROM stock_counts WHERE id = ?").get(countId)!.status;
const changesOf = (countId: string) => t.store.db.query<{ changes: number }, [string]>("SELECT changes FROM stock_counts WHERE id = ?").get(countId)!.changes;

/** Start a count; its id from the redirect to its sheet. */
async function start(fields: Record<string, string>, who: Who = deviceA): Promise<string> {
  const res = await post(who, "/stock/counts", fields);
  expect(res.status).toBe(303);
  return res.headers.get("Location")!.split("/").at(-1)!;
}
const scan = (countId: string, items: string, who: Who = deviceA) => post(who, `/stock/counts/${countId}/scan`, { items }, true);
const approve = (countId: string, fields: Record<string, string> = {}, who: Who = deviceA) =>
  post(who, `/stock/counts/${countId}/approve`, { seen: String(changesOf(countId)), ...fields });

describe("counting from several devices", () => {
  test("two devices scanning the same product at once: every scan is kept, each sees the line's total", async () => {
    const id = await start({ scope: "category", category: "1" }); // Dairy: the milk
    const scans = Array.from({ length: 30 }, (_, i) => scan(id, codes.milk, i % 2 === 0 ? deviceA : deviceB));
    scans.push(scan(id, `${codes.milk} x12`, deviceB), scan(id, `${codes.milk} x5`, deviceA));
    const answers = await Promise.all(scans);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    expect(lineOf(id, "MILK-1L")).toBe(47_000);
    // each answer shows the line just counted and its running total; the last of them all says 47
    const totals = await Promise.all(answers.map(async (r) => Number(/\+[\d.]+, ([\d.]+) counted/.exec(await said(r))![1])));
    expect(Math.max(...totals)).toBe(47);
    expect(new Set(totals).size).toBe(totals.length); // no two scans saw the same total: none was lost
    const sheet = await said(await get(deviceB, `/stock/counts/${id}`));
    expect(sheet).toContain("Fresh Milk 1 L");
    expect(/data-testid="count-line-qty">([^<]*)</.exec(sheet)![1]).toBe("47");
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
    expect(statusOf(id)).toBe("cancelled");
    expect(movementsOf(id)).toEqual([]);
  });
});

describe("selling while counting", () => {
  test("a sale after the product was counted, and one before: the variance is the shelf's alone, not the sales'", async () => {
    const id = await start({ scope: "category", category: "3" }); // Drinks: the wine, 5 on the books
    expect(onHand("WINE-RED")).toBe(5000);
    // 5 on the shelf counted, then a customer buys one: the books say 4, the shelf holds 4
    expect((await scan(id, `${codes.wine} x5`)).status).toBe(200);
    t.store.checkout.sell(t.registerId, [{ barcode: codes.wine }], [{ method: "cash", amount: 1299 }]);
    expect(onHand("WINE-RED")).toBe(4000);
    const report = await said(await get(deviceA, `/stock/counts/${id}/report`));
    expect(/data-testid="count-variance">([^<]*)</.exec(report)![1]).toBe("0");
    expect((await approve(id)).status).toBe(303);
    expect(onHand("WINE-RED")).toBe(4000);
    expect(movementsOf(id)).toEqual([]);

    // the other way round: two sold before anyone counted the bread; the shelf then holds 18 of the 20
    const bakery = await start({ scope: "category", category: "2" });
    t.store.checkout.sell(t.registerId, [{ barcode: codes.bread, qty: 2 }], [{ method: "cash", amount: 698 }]);
    expect((await scan(bakery, `${codes.bread} x18`)).status).toBe(200);
    // and one more sold after: the shelf holds 17, the books say 17
    t.store.checkout.sell(t.registerId, [{ barcode: codes.bread }], [{ method: "cash", amount: 349 }]);
    expect((await approve(bakery)).status).toBe(303);
    expect(onHand("BREAD-SOUR")).toBe(17_000);
    expect(movementsOf(bakery)).toEqual([]);
    expect(t.store.ledger.disagreements()).toEqual([]);
  });
});

describe("a partial count", () => {
  test("a count of one category refuses what is not in it, lists what was not counted and leaves it alone", async () => {
    const id = await start({ scope: "category", category: "2" }); // Bakery: bread and bagels
    const milk = await scan(id, codes.milk);
    expect(milk.status).toBe(422);
    expect(await said(milk)).toContain("Fresh Milk 1 L is not in this count (category Bakery); put it back where it belongs, or count it in another count.");
    expect(lineOf(id, "MILK-1L")).toBeNull();
    expect((await scan(id, "BREAD-SOUR x16")).status).toBe(200); // one missing of the 17
    const report = await said(await get(deviceA, `/stock/counts/${id}/report`));
    expect(report).toContain("Bagels 4 pack");
    expect([...report.matchAll(/data-testid="count-uncounted-row"/g)].length).toBe(1);
    expect(report).toContain('value="leave" checked');
    const [bagels, milkBefore] = [onHand("BAGEL-4"), onHand("MILK-1L")];
    expect((await approve(id)).status).toBe(303);
    expect(movementsOf(id)).toEqual([{ sku: "BREAD-SOUR", qty_milli: -1000 }]);
    expect([onHand("BREAD-SOUR"), onHand("BAGEL-4"), onHand("MILK-1L")]).toEqual([16_000, bagels, milkBefore]);
  });

  test("a whole-store count while another count is open is refused: count into the open one", async () => {
    const id = await start({ scope: "category", category: "6" });
    const res = await post(deviceB, "/stock/counts", { scope: "all" });
    expect(res.status).toBe(409);
    expect(await said(res)).toContain("A count of category Newspapers is open already");
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
  });
});

describe("a count list (CSV)", () => {
  test("a bad row counts nothing and is named; a good list adds to the lines, as scans do", async () => {
    const id = await start({ scope: "all" });
    const before = changesOf(id);
    const bad = await post(deviceA, `/stock/counts/${id}/import`, {
      items: ["sku,qty", "MILK-1L,5", "NO-SUCH,2", "BREAD-SOUR,1.5", `,3`].join("\n"),
    });
    expect(bad.status).toBe(422);
    const html = await said(bad);
    expect(html).toContain("3 rows need another look; nothing was counted.");
    expect(html).toContain("Line 3: No product has the SKU NO-SUCH.");
    expect(html).toContain("Line 4: Sourdough Bread 800 g is counted in whole units.");
    expect(html).toContain("Line 5: The row has no sku or barcode.");
    expect(lineOf(id, "MILK-1L")).toBeNull();
    expect(changesOf(id)).toBe(before);

    const noHeader = await post(deviceA, `/stock/counts/${id}/import`, { items: `${codes.milk},5` });
    expect(noHeader.status).toBe(422);
    expect(await said(noHeader)).toContain("The first line must name the columns: sku or barcode, and qty.");

    // a file from a handheld: barcodes, a semicolon, a product twice (it adds up), a 0 for an empty shelf
    const form = new FormData();
    form.set("file", new File([`barcode;qty\n${codes.milk};30\n${codes.paper};0\n${codes.milk};2\n`], "count.csv", { type: "text/csv" }));
    const good = await t.app.request(`/stock/counts/${id}/import`, { method: "POST", headers: deviceA.headers, body: form });
    expect(good.status).toBe(303);
    expect([lineOf(id, "MILK-1L"), lineOf(id, "PAPER-DAILY")]).toEqual([32_000, 0]);
    expect(await said(await get(deviceA, good.headers.get("Location")!))).toContain("The list is in: 3 rows counted.");
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
  });

  test("rows that add up past a million on one line are named, with the line already counted; nothing counted", async () => {
    const id = await start({ scope: "all" });
    expect((await scan(id, `${codes.milk} x400000`)).status).toBe(200);
    const before = changesOf(id);
    const res = await post(deviceA, `/stock/counts/${id}/import`, { items: ["sku,qty", "MILK-1L,300000", "PAPER-DAILY,1", "MILK-1L,300001"].join("\n") });
    expect(res.status).toBe(422);
    const html = await said(res);
    expect(html).toContain("1 row needs another look; nothing was counted.");
    expect(html).toContain("Line 4: This would take the line of Fresh Milk 1 L past a million");
    expect([lineOf(id, "MILK-1L"), lineOf(id, "PAPER-DAILY"), changesOf(id)]).toEqual([400_000_000, null, before]);
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
  });
});

describe("approving", () => {
  test("approval writes one 'count' movement per difference naming the count, and the ledger agrees with on-hand", async () => {
    const id = await start({ scope: "all" });
    const [milk, paper] = [onHand("MILK-1L"), onHand("PAPER-DAILY")];
    await scan(id, `${codes.milk} x${milk / 1000 - 3}`); // three missing
    await scan(id, `${codes.paper} x${paper / 1000 + 2}`); // two found
    await scan(id, `${codes.apples} x1.25`); // weighed: kilos to the gram
    await scan(id, "BREAD-SOUR");
    await post(deviceA, `/stock/counts/${id}/lines/${idOf("BREAD-SOUR")}`, { qty: String(onHand("BREAD-SOUR") / 1000) }); // set right
    // what nobody counted (wine, ham, bagels) is taken as none by default in a whole-store count; keep it here
    const res = await approve(id, { uncounted: "leave" });
    expect(res.status).toBe(303);
    expect(movementsOf(id)).toEqual([
      { sku: "APPLES-KG", qty_milli: 1250 - 80_000 },
      { sku: "MILK-1L", qty_milli: -3000 },
      { sku: "PAPER-DAILY", qty_milli: 2000 },
    ]);
    expect([onHand("MILK-1L"), onHand("PAPER-DAILY"), onHand("APPLES-KG")]).toEqual([milk - 3000, paper + 2000, 1250]);
    expect(t.store.ledger.disagreements()).toEqual([]);
    expect(statusOf(id)).toBe("approved");
    const audit = t.store.db.query<{ action: string; detail: string }, []>("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1").get()!;
    expect(audit.action).toBe("stock.count_approved");
    expect(JSON.parse(audit.detail)).toMatchObject({ counted: 4, movements: 3, uncounted: "leave" });
    // the report of an approved count stays as it was approved, whatever sells later
    t.store.checkout.sell(t.registerId, [{ barcode: codes.milk }], [{ method: "cash", amount: 119 }]);
    const report = await said(await get(deviceA, `/stock/counts/${id}/report`));
    expect(report).toContain("Approved");
    expect([...report.matchAll(/data-testid="count-variance">([^<]*)</g)].map((m) => m[1]).sort()).toEqual(["+2", "−3", "−78.750 kg", "0"].sort());
  });

  test("counting on an approved count is refused as a conflict, and so is approving it again", async () => {
    const id = await start({ scope: "category", category: "6" });
    await scan(id, codes.paper);
    await post(deviceA, `/stock/counts/${id}/lines/${idOf("PAPER-DAILY")}`, { qty: String(onHand("PAPER-DAILY") / 1000) });
    expect((await approve(id)).status).toBe(303);
    const again = await scan(id, codes.paper, deviceB);
    expect(again.status).toBe(409);
    expect(await said(again)).toContain('data-code="stock_count_closed"');
    expect((await post(deviceA, `/stock/counts/${id}/lines/${idOf("PAPER-DAILY")}`, { qty: "3" })).status).toBe(409);
    expect((await approve(id)).status).toBe(409);
    expect((await post(deviceA, `/stock/counts/${id}/import`, { items: "sku,qty\nPAPER-DAILY,1" })).status).toBe(409);
  });

  test("differences worth more than the shop's value need a manager: refused without, nothing written; approved with one", async () => {
    const id = await start({ scope: "category", category: "3" }); // wine at 7.00 cost
    await scan(id, `${codes.wine} x${onHand("WINE-RED") / 1000 + 10}`); // 10 found: 70.00 > 50.00
    const before = { moves: movementsOf(id), wine: onHand("WINE-RED") };
    const refused = await approve(id);
    expect(refused.status).toBe(403);
    expect(await said(refused)).toContain("A count with differences worth more than 50.00 needs a manager's approval");
    expect({ moves: movementsOf(id), wine: onHand("WINE-RED") }).toEqual(before);
    expect(statusOf(id)).toBe("open");
    const wrong = await approve(id, { approver: String(manager.id), manager_pin: "11111" });
    expect(wrong.status).toBe(403);
    expect(statusOf(id)).toBe("open");
    const ok = await approve(id, { approver: String(manager.id), manager_pin: manager.pin });
    expect(ok.status).toBe(303);
    expect(movementsOf(id)).toEqual([{ sku: "WINE-RED", qty_milli: 10_000 }]);
    const audit = t.store.db
      .query<{ approved_by: string }, []>("SELECT approved_by FROM audit_log WHERE action = 'stock.count_approved' ORDER BY id DESC LIMIT 1")
      .get()!;
    expect(audit.approved_by).toBe(manager.name);
  });

  test("a scan after the report was shown refuses the approval: nobody approves numbers they did not see", async () => {
    const id = await start({ scope: "category", category: "6" });
    await scan(id, codes.paper);
    const seen = String(changesOf(id));
    await scan(id, codes.paper, deviceB);
    const res = await post(deviceA, `/stock/counts/${id}/approve`, { seen });
    expect(res.status).toBe(409);
    expect(await said(res)).toContain("The count changed since the report was shown");
    expect(statusOf(id)).toBe("open");
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
  });

  test("an approval that does not say which report it saw is refused: the page asks to look again", async () => {
    const id = await start({ scope: "category", category: "6" });
    await scan(id, codes.paper);
    const before = changesOf(id);
    const res = await post(deviceA, `/stock/counts/${id}/approve`, { uncounted: "leave" });
    expect(res.status).toBe(422);
    expect(await said(res)).toContain("Look at the report again, then approve.");
    expect([statusOf(id), changesOf(id), movementsOf(id)]).toEqual(["open", before, []]);
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
  });
});

describe("what a counter types", () => {
  test("unknown codes and bad quantities are refused with a sentence; nothing is counted", async () => {
    const id = await start({ scope: "all" });
    const refusals: [string, number, string][] = [
      ["NO-SUCH", 422, "No product has the barcode or SKU NO-SUCH."],
      [`${codes.milk} x0`, 422, "is not how many: type x and a number more than zero"],
      [`${codes.milk} xabc`, 422, "is not how many"],
      [`${codes.milk} x1.5`, 422, "Fresh Milk 1 L is counted in whole units."],
      [codes.apples, 422, "Apples Braeburn (kg) is weighed: scan its label, or type its weight after the code, like x2.5."],
      [`${codes.milk} ${codes.bread}`, 422, "Scan one item"],
      ["", 422, "Scan an item, or type its barcode or SKU."],
    ];
    for (const [items, status, sentence] of refusals) {
      const res = await scan(id, items);
      expect([items, res.status]).toEqual([items, status]);
      expect(await said(res)).toContain(sentence);
    }
    const setBad = await post(deviceA, `/stock/counts/${id}/lines/${idOf("MILK-1L")}`, { qty: "-1" });
    expect(setBad.status).toBe(422);
    expect(await said(setBad)).toContain("Type how many of Fresh Milk 1 L are on the shelf: 0 or more.");
    expect((await post(deviceA, `/stock/counts/${id}/lines/${idOf("MILK-1L")}`, { qty: "lots" })).status).toBe(422);
    expect(changesOf(id)).toBe(0);
    // each scan within a million, but the line may not pass it: refused, the line as it was
    expect((await scan(id, `${codes.milk} x1000000`)).status).toBe(200);
    const past = await scan(id, `${codes.milk} x1`);
    expect(past.status).toBe(422);
    expect(await said(past)).toContain("This would take the line of Fresh Milk 1 L past a million");
    expect([lineOf(id, "MILK-1L"), changesOf(id)]).toEqual([1_000_000_000, 1]);
    const unknown = await scan("00000000-0000-4000-8000-000000000000", codes.milk);
    expect(unknown.status).toBe(404);
    await post(deviceA, `/stock/counts/${id}/cancel`, {});
  });
});

describe("a whole-store count", () => {
  test("what nobody counted is taken as none by default: off the books, each as a line of the count", async () => {
    const id = await start({ scope: "all" });
    const milk = onHand("MILK-1L");
    await scan(id, `${codes.milk} x${milk / 1000}`);
    const report = await said(await get(deviceA, `/stock/counts/${id}/report`));
    expect(report).toContain('value="zero" checked');
    const notCounted = t.store.db.query<{ sku: string }, []>("SELECT sku FROM products WHERE stock_milli <> 0 AND sku <> 'MILK-1L' ORDER BY sku").all();
    expect(notCounted.length).toBeGreaterThan(3);
    expect((await approve(id, { approver: String(manager.id), manager_pin: manager.pin })).status).toBe(303);
    expect(movementsOf(id).map((m) => m.sku)).toEqual(notCounted.map((r) => r.sku));
    expect(t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM products WHERE stock_milli <> 0").get()!.n).toBe(1);
    const lines = t.store.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM count_lines WHERE count_id = ? AND uncounted = 1").get(id)!.n;
    expect(lines).toBe(notCounted.length);
    expect(onHand("MILK-1L")).toBe(milk);
    expect(t.store.ledger.disagreements()).toEqual([]);
  });
});
