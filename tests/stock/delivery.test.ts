// Receiving a delivery in the back office, in-process on a real store database: scans counted (each one more), "x12"
// and "@0.80" read, the supplier's CSV read the same; Receive takes it all in at once — movements naming the delivery,
// on-hand with them, the moving-average cost, an audit row — and a line that cannot be read takes nothing in.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { movingAverage } from "../../src/server/inventory/deliveries.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let supervisor: SignedIn;

beforeAll(async () => {
  t = makeTestStore();
  supervisor = await signIn(t.store, 1, { role: "supervisor", shift: false });
});
afterAll(() => t.close());

const post = (fields: Record<string, string>) =>
  t.app.request("/stock/deliveries", {
    method: "POST",
    headers: { ...supervisor.headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const said = async (res: Response) => (await res.text()).replaceAll("&#39;", "'").replaceAll("&amp;", "&").replaceAll("&quot;", '"');
const onHand = (sku: string) => t.store.catalog.bySku(sku)!.stockMilli;
const costOf = (sku: string) => t.store.db.query<{ cost: number | null }, [string]>("SELECT cost FROM products WHERE sku = ?").get(sku)!.cost;

describe("receiving a delivery", () => {
  test("scans counted, quantities and costs read; Check shows it and writes nothing; Receive takes it in at once", async () => {
    const items = [codes.milk, codes.milk, codes.milk, `${codes.bread} x12 @1.20`, "WINE-RED,6,7.50"].join("\n");
    const before = footprint(t.store);
    const checked = await said(await post({ supplier: "Dairy Co", reference: "DN-1001", items, step: "check" }));
    expect(checked).toContain("This is what the delivery reads as");
    expect([...checked.matchAll(/data-testid="delivery-line"/g)].length).toBe(3);
    expect(footprint(t.store)).toEqual(before);

    const [milk, bread, wine] = [onHand("MILK-1L"), onHand("BREAD-SOUR"), onHand("WINE-RED")];
    const res = await post({ supplier: "Dairy Co", reference: "DN-1001", items, step: "receive" });
    expect(res.status).toBe(303);
    expect([onHand("MILK-1L") - milk, onHand("BREAD-SOUR") - bread, onHand("WINE-RED") - wine]).toEqual([3000, 12_000, 6000]);
    // no cost before: the delivery's is the cost; the milk came with none and has none
    expect([costOf("BREAD-SOUR"), costOf("WINE-RED"), costOf("MILK-1L")]).toEqual([120, 750, null]);
    const id = new URL(res.headers.get("Location")!, "http://x").searchParams.get("done")!;
    const moves = t.store.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM stock_movements WHERE reason = 'delivery' AND document = ?").get(id)!;
    expect(moves.n).toBe(3);
    const row = t.store.db
      .query<{ supplier: string; lines: number; total_cost: number }, [string]>("SELECT supplier, lines, total_cost FROM deliveries WHERE id = ?")
      .get(id)!;
    expect(row).toEqual({ supplier: "Dairy Co", lines: 3, total_cost: 12 * 120 + 6 * 750 });
    const page = await said(await t.app.request(res.headers.get("Location")!, { headers: supervisor.headers }));
    expect(page).toContain("Received from Dairy Co: 3 products, cost 59.40.");
    const audit = t.store.db.query<{ action: string }, []>("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").get()!;
    expect(audit.action).toBe("stock.delivery_received");
    expect(t.store.ledger.disagreements()).toEqual([]);
  });

  test("a second delivery moves the cost to the moving average over what is on hand and what came", async () => {
    const before = { qty: onHand("BREAD-SOUR"), cost: costOf("BREAD-SOUR")! };
    const res = await post({ supplier: "Bakery", items: `BREAD-SOUR x10 @1.50`, step: "receive" });
    expect(res.status).toBe(303);
    expect(costOf("BREAD-SOUR")).toBe(movingAverage(before.qty, before.cost, 10_000, 150));
    expect(movingAverage(20_000, 100, 10_000, 160)).toBe(120);
  });

  test("a line that cannot be read takes nothing in, and says which line and why", async () => {
    const before = footprint(t.store);
    const items = [codes.milk, "NO-SUCH x2", `${codes.bread} x1.5`, `${codes.wine} @abc`].join("\n");
    const res = await post({ supplier: "Dairy Co", items, step: "receive" });
    expect(res.status).toBe(422);
    const html = await said(res);
    expect(html).toContain("3 lines need another look; nothing was taken in.");
    expect(html).toContain("Line 2 (NO-SUCH x2): No product has the barcode or SKU NO-SUCH.");
    expect(html).toContain("Sourdough Bread 800 g comes in whole units.");
    expect(html).toContain('The unit cost "abc" is not an amount like 0.80.');
    expect(footprint(t.store)).toEqual(before);
    const noSupplier = await post({ supplier: "", items: codes.milk, step: "receive" });
    expect(noSupplier.status).toBe(422);
    expect(await said(noSupplier)).toContain("Say who delivered it.");
    const card = await post({ supplier: "Dairy Co", items: `${codes.milk} 4111 1111 1111 1111`, step: "receive" });
    expect(card.status).toBe(422);
    expect(footprint(t.store)).toEqual(before);
  });

  test("two scanned barcodes a line each are codes, even when their digits together would pass a card number's check", async () => {
    // two real EAN-13s whose 26 digits, read as one, pass the Luhn check a card number's does
    const [a, b] = ["4006381330060", "5901234123518"];
    const at = t.clock.now().toISOString();
    const add = t.store.db.query("INSERT INTO products(sku, barcode, name, price, tax_class, stock_milli, updated_at) VALUES (?, ?, ?, 100, 'STD', 0, ?)");
    add.run("LUHN-A", a, "Pencil", at);
    add.run("LUHN-B", b, "Eraser", at);
    const res = await post({ supplier: "Stationers", items: `${a}\n${b}`, step: "receive" });
    expect(res.status).toBe(303);
    expect([onHand("LUHN-A"), onHand("LUHN-B")]).toEqual([1000, 1000]);
  });

  test("the supplier's CSV as a file: read as the list is, shown back in it, and received", async () => {
    const upload = (step: string, csv: string) => {
      const form = new FormData();
      form.set("supplier", "Wine Co");
      form.set("items", "");
      form.set("step", step);
      form.set("file", new File([csv], "delivery.csv", { type: "text/csv" }));
      return t.app.request("/stock/deliveries", { method: "POST", headers: supervisor.headers, body: form });
    };
    const bad = await upload("receive", "sku,qty,unit_cost\r\nWINE-RED,6,7.50\r\nNOPE,1,1.00\r\n");
    expect(bad.status).toBe(422);
    expect(await said(bad)).toContain("Line 3 (NOPE,1,1.00): No product has the barcode or SKU NOPE.");
    const before = onHand("WINE-RED");
    const res = await upload("receive", "sku,qty,unit_cost\r\nWINE-RED,6,7.50\r\n");
    expect(res.status).toBe(303);
    expect(onHand("WINE-RED") - before).toBe(6000);
    // a file that is not text a person wrote is refused, nothing taken in
    const control = await upload("receive", "WINE-RED,1\u0000,1.00");
    expect(control.status).toBe(400);
    expect(onHand("WINE-RED") - before).toBe(6000);
  });
});
