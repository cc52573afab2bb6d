// The stock ledger's promise, against a real store database: whatever happens to stock — sales, returns (restocked or
// written off), adjustments by hand, a CSV import that sets stock, products made with stock — each product's on-hand is
// the sum of its movements, always (a property over random sequences of those).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { codes, makeTestStore, signIn, type TestStore } from "../../../tests/helpers/store.ts";
import { importProductsCsv } from "../catalog/import.ts";

let t: TestStore;
let who: { userId: number; userName: string; registerName: null };
let adjust: TestStore["store"]["adjustments"];
beforeAll(async () => {
  t = makeTestStore();
  const manager = await signIn(t.store, 1, { role: "manager", shift: false });
  who = { userId: manager.userId, userName: manager.userName, registerName: null };
  adjust = t.store.adjustments;
});
afterAll(() => t.close());

const skus = ["MILK-1L", "BREAD-SOUR", "WINE-RED", "PAPER-DAILY"] as const;
const barcodes: Record<(typeof skus)[number], string> = {
  "MILK-1L": codes.milk,
  "BREAD-SOUR": codes.bread,
  "WINE-RED": codes.wine,
  "PAPER-DAILY": codes.paper,
};

type Op =
  | { kind: "sell"; sku: (typeof skus)[number]; qty: number }
  | { kind: "return"; damaged: boolean }
  | { kind: "adjust"; sku: (typeof skus)[number]; qty: number; reason: "damaged" | "found" | "correction" }
  | { kind: "import"; sku: (typeof skus)[number]; stock: number }
  | { kind: "new"; stock: number };

const sku = fc.constantFrom(...skus);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("sell" as const), sku, qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("return" as const), damaged: fc.boolean() }),
  fc.record({
    kind: fc.constant("adjust" as const),
    sku,
    qty: fc.integer({ min: 1, max: 9 }),
    reason: fc.constantFrom("damaged" as const, "found" as const, "correction" as const),
  }),
  fc.record({ kind: fc.constant("import" as const), sku, stock: fc.integer({ min: -5, max: 500 }) }),
  fc.record({ kind: fc.constant("new" as const), stock: fc.integer({ min: 0, max: 50 }) }),
);

describe("the stock ledger", () => {
  test("property: on-hand is the sum of the movements after any sequence of sales, returns, adjustments and imports", () => {
    const sold: string[] = [];
    let made = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        for (const o of ops) {
          switch (o.kind) {
            case "sell": {
              const s = t.store.checkout.sell(t.registerId, [{ barcode: barcodes[o.sku], qty: o.qty }], [{ method: "cash", amount: 100_000 }]).sale;
              sold.push(s.id);
              break;
            }
            case "return": {
              const saleId = sold.pop();
              if (!saleId) break;
              const r = { userId: who.userId, userName: who.userName, registerId: t.registerId, registerName: "Webshop" };
              t.store.returns.complete(
                r,
                { saleId, lines: [{ lineNo: 1, qtyMilli: 1000 }], reasonCode: o.damaged ? "damaged" : "changed_mind", refunds: "cash" },
                null,
              );
              break;
            }
            case "adjust": {
              const product = t.store.catalog.bySku(o.sku)!;
              const qtyMilli = (o.reason === "damaged" ? -o.qty : o.qty) * 1000;
              adjust.adjust(who, { productId: product.id, qtyMilli, reasonCode: o.reason, note: "" }, null);
              break;
            }
            case "import":
              importProductsCsv(t.store.db, `sku,name,price,tax class,stock\n${o.sku},${t.store.catalog.bySku(o.sku)!.name},1.00,STD,${o.stock}\n`, {
                now: t.clock.now().toISOString(),
              });
              break;
            case "new":
              importProductsCsv(t.store.db, `sku,name,price,tax class,stock\nNEW-${++made},New item ${made},1.00,STD,${o.stock}\n`, {
                now: t.clock.now().toISOString(),
              });
              break;
          }
          expect(t.store.ledger.disagreements()).toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
  });

  test("a product's history names each movement, newest first, with who and why for an adjustment", () => {
    const bread = t.store.catalog.bySku("BREAD-SOUR")!;
    adjust.adjust(who, { productId: bread.id, qtyMilli: -2000, reasonCode: "damaged", note: "dropped" }, null);
    const [latest] = t.store.ledger.history(bread.id, 1);
    expect(latest).toMatchObject({ qtyMilli: -2000, reason: "adjustment", note: "Damaged: dropped" });
    expect(latest!.document).toMatch(/^[0-9a-f-]{36}$/);
  });
});
