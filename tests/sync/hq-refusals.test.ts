// What head office must refuse rather than take on trust (issue 15, bug 6): a barcode a store would refuse, put into
// the draft release; a sale whose total is not the sum of its lines, or a completed sale that costs less than nothing,
// merged into the figures. The sales wait as dead letters with a reason a person can act on; the queue goes on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readBarcode } from "../../src/server/products/rules.ts";
import { draftChanges } from "../../src/sync/hq/catalog/draft.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { footprint, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, type Doc, item, saleDoc } from "./support.ts";

let hq: Hq;
let carl: Visitor;

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(
    hq.sql,
    {
      tax_classes: [{ code: "RED", name: "Reduced", rate_bp: 1000 }],
      products: [{ sku: "MILK", barcode: "4006381333931", name: "Milk 1 L", price: 119, tax_class: "RED", category: "Dairy" }],
    },
    new Date(Date.now() - 60_000),
  );
  carl = await signedIn(hq, "Carl", "catalog");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

/** The sentence the store's product form and import give for a barcode (server/products/rules.ts). */
const storeSays = (code: string) => {
  const r = readBarcode(code);
  if (!("message" in r)) throw new Error(`the store takes ${code}`);
  return r.message;
};

describe("a barcode in the draft release", () => {
  test("with a wrong check digit, or a length no barcode has, is refused in the store's words, and nothing is written", async () => {
    await carl.page("/catalog");
    const before = await footprint(hq.sql);
    for (const code of ["4006381333932", "4006381333", "12345678"]) {
      const res = await carl.request("POST", "/catalog/products", {
        form: { sku: "PEN", name: "Pen", barcode: code, price: "1.99", tax_class: "RED", active: "on" },
      });
      expect(res.status).toBe(422);
      const html = await res.text();
      const said = /data-testid="barcode-error">([^<]*)</.exec(html)?.[1];
      expect([code, said]).toEqual([code, storeSays(code)]);
    }
    // an existing product edited with a mistyped barcode: the same
    const edit = await carl.request("POST", "/catalog/products/MILK", {
      form: { name: "Milk 1 L", barcode: "4006381333938", price: "1.19", tax_class: "RED" },
    });
    expect(edit.status).toBe(422);
    expect(await edit.text()).toContain("the last digit should be 1");
    expect(await footprint(hq.sql)).toEqual(before);
  });

  test("with its right check digit is taken, spaces and all, as the store would", async () => {
    await carl.page("/catalog");
    const res = await carl.request("POST", "/catalog/products", {
      form: { sku: "PEN", name: "Pen", barcode: "9780 2016 1622 4", price: "1.99", tax_class: "RED", active: "on" },
    });
    expect(res.status).toBe(303);
    expect((await draftChanges(hq.sql)).find((d) => d.key === "PEN")?.item).toMatchObject({ barcode: "9780201616224" });
    await hq.sql`DELETE FROM catalog_draft_changes`;
  });
});

describe("a sale whose figures do not add up", () => {
  const dead = async (storeId: string) => [
    ...(await hq.sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`),
  ];
  const held = async (storeId: string) =>
    (await hq.sql<{ sale_id: string }[]>`SELECT sale_id::text FROM sales WHERE store_id = ${storeId} ORDER BY seq`).map((r) => r.sale_id);

  test("a total that is not the sum of its lines goes to dead letters with the reason; the sales around it are merged", async () => {
    const storeId = (await addStore(hq.sql, "Store 1")).storeId;
    const good = [saleDoc(1), saleDoc(3)];
    const off: Doc = { ...saleDoc(2), total: saleDoc(2).total + 100 };
    const lineSum = off.lines.reduce((s, l) => s + l.total, 0);
    const res = await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, good[0]), item(2, off), item(3, good[1])]));
    expect(res).toEqual({ status: 200, body: { acked_through: 3, epoch: "E1" } });
    expect(await dead(storeId)).toEqual([
      { seq: 2, reason: `total is ${lineSum + 100} but the lines' totals add up to ${lineSum}: a sale's total is the sum of its lines` },
    ]);
    expect(await held(storeId)).toEqual(good.map((d) => d.id));
  });

  test("a completed sale with a negative total goes to dead letters, even when its lines add up to it", async () => {
    const storeId = (await addStore(hq.sql, "Store 2")).storeId;
    const base = saleDoc(1, { lines: 1 });
    const line = { ...base.lines[0]!, qty: -1, amount: -base.lines[0]!.amount, tax: -base.lines[0]!.tax, total: -base.lines[0]!.total };
    const negative: Doc = {
      ...base,
      lines: [line],
      subtotal: line.amount,
      tax_total: line.tax,
      total: line.total,
      paid: line.total,
      change: 0,
      payments: [{ method: "cash", amount: line.total }],
      taxes: [{ tax_class: "RED", rate_bp: 1000, net: line.total - line.tax, tax: line.tax }],
    };
    const next = saleDoc(2);
    expect(await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, negative), item(2, next)]))).toEqual({
      status: 200,
      body: { acked_through: 2, epoch: "E1" },
    });
    expect(await dead(storeId)).toEqual([
      { seq: 1, reason: `total is ${line.total}: a completed sale never has a negative total (goods given back are a return)` },
    ]);
    expect(await held(storeId)).toEqual([next.id]);
  });

  test("a sale of nothing but free goods (total 0) is still a sale", async () => {
    const storeId = (await addStore(hq.sql, "Store 3")).storeId;
    const base = saleDoc(1, { lines: 1 });
    const line = { ...base.lines[0]!, unit_price: 0, amount: 0, tax: 0, total: 0 };
    const free: Doc = { ...base, lines: [line], subtotal: 0, tax_total: 0, total: 0, paid: 0, change: 0, payments: [], taxes: [] };
    expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, free)]))).status).toBe(200);
    expect(await dead(storeId)).toEqual([]);
    expect(await held(storeId)).toEqual([free.id]);
  });
});
