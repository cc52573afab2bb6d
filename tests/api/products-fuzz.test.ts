// No body sent to the product and stock writes of an admin token may cause a 5xx, and a refused one writes nothing:
// random and nasty product-, bulk-, delivery- and adjustment-shaped bodies, in-process against a real SQLite file.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import fc from "fast-check";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { createToken } from "../../src/server/api/tokens.ts";
import { codes, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let admin = "";
const serverLog: string[] = [];
const answers = new Set<string>();
let consoleSpy: ReturnType<typeof spyOn>;

beforeAll(() => {
  t = makeTestStore();
  admin = createToken(t.store.db, "ERP", t.clock.now().toISOString(), ["admin"]).token;
  consoleSpy = spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    serverLog.push(args.map((a) => (a instanceof Error ? (a.stack ?? String(a)) : String(a))).join(" "));
  });
});
afterAll(() => {
  consoleSpy.mockRestore();
  t.close();
});

/** Everything a product or stock write touches. */
function footprint(): string {
  const db = t.store.db;
  const count = (table: string) => db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
  const sums = db
    .query<{ v: number; p: number; s: number; c: number }, []>(
      "SELECT coalesce(sum(version), 0) AS v, coalesce(sum(price), 0) AS p, coalesce(sum(stock_milli), 0) AS s, coalesce(sum(cost), 0) AS c FROM products",
    )
    .get()!;
  const tables = ["products", "product_barcodes", "categories", "stock_movements", "deliveries", "delivery_lines", "audit_log", "idempotency_keys"];
  return JSON.stringify([...tables.map(count), sums]);
}

type Probe = { method: string; path: string; body: string; key?: string };

async function probe(p: Probe): Promise<string | null> {
  const before = footprint();
  const logged = serverLog.length;
  const headers: Record<string, string> = { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" };
  if (p.key !== undefined) headers["Idempotency-Key"] = p.key;
  const res = await t.app.request(p.path, { method: p.method, headers, body: p.body });
  const text = await res.text();
  const show = `${p.method} ${p.path} ${p.body.slice(0, 300)}`;
  let code = "";
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "";
  } catch {
    return `${show}\n  answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  answers.add(`${res.status} ${code}`.trim());
  if (res.status >= 500) return `${show}\n  ${res.status}: ${serverLog.slice(logged).join("\n")}`;
  if (res.status >= 400 && !code) return `${show}\n  ${res.status} without an error code`;
  if (res.status >= 400 && footprint() !== before) return `${show}\n  refused with ${res.status} but wrote`;
  return null;
}

const fuzz = <T>(arb: fc.Arbitrary<T>, toProbe: (v: T) => Probe, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(arb, async (v) => {
      const problem = await probe(toProbe(v));
      if (problem) throw new Error(problem);
    }),
    { numRuns },
  );

const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "__proto__", "\u202e", "🧾", "=cmd|' /C calc'!A0", "4111111111111111", "4111 1111 1111 1111", "x".repeat(5000)),
);
const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, -1, 0.5, 1e-7, 1e21, 2 ** 53, Number.MAX_SAFE_INTEGER, 1000.0005));
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
/** Mostly a good value, sometimes anything. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: nastyValue, weight: 1 });

const barcode = fc.oneof(
  fc.integer({ min: 1, max: 999 }).map((i) => withCheckDigit(`40000000${String(i).padStart(4, "0")}`)),
  fc.constantFrom(...Object.values(codes)),
);
const productArb = fc.record(
  {
    sku: mostly(fc.constantFrom("MILK-1L", "NEW-1", "NEW-2", "new 3", "WINE-RED")),
    name: mostly(fc.constantFrom("Oat Drink", "", "Café crème")),
    price: mostly(fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.constant(99_999_999_999))),
    tax_class: mostly(fc.constantFrom("STD", "RED", "ZERO", "std", "LUX")),
    barcode: mostly(fc.option(barcode)),
    barcodes: mostly(fc.array(barcode, { maxLength: 3 })),
    category: mostly(fc.option(fc.constantFrom("Dairy", "dairy", "New range"))),
    weighed: mostly(fc.boolean()),
    active: mostly(fc.boolean()),
    cost: mostly(fc.option(fc.integer({ min: -5, max: 5000 }))),
    reorder_point: mostly(fc.option(fc.oneof(fc.integer({ min: -1, max: 50 }), fc.double({ min: 0, max: 50 })))),
    reorder_level: mostly(fc.option(fc.integer({ min: 0, max: 100 }))),
    location: mostly(fc.option(fc.constantFrom("A1", "  ", "Back room"))),
    returnable: mostly(fc.boolean()),
    version: mostly(fc.integer({ min: 0, max: 4 })),
  },
  { requiredKeys: [] },
);

describe("admin writes with nasty bodies", () => {
  test("POST /api/v1/products", async () => {
    await fuzz(
      fc.tuple(productArb, fc.option(fc.constantFrom("k1", "k2"))),
      ([b, key]) => ({ method: "POST", path: "/api/v1/products", body: JSON.stringify(b), ...(key ? { key } : {}) }),
      400,
    );
  });

  test("PATCH, PUT and deactivate /api/v1/products/:id", async () => {
    const method = fc.constantFrom("PATCH", "PUT");
    const id = fc.constantFrom("1", "2", "5", "999", "0", "-1", "1e3", "x");
    await fuzz(fc.tuple(method, id, productArb), ([m, i, b]) => ({ method: m, path: `/api/v1/products/${i}`, body: JSON.stringify(b) }), 400);
    await fuzz(fc.tuple(id, nastyValue), ([i, b]) => ({ method: "POST", path: `/api/v1/products/${i}/deactivate`, body: JSON.stringify(b) ?? "" }), 100);
    // over the version the product has now, so that changes get past the version to the rules and the save
    const versionOf = (i: number) => t.store.db.query<{ version: number }, [number]>("SELECT version FROM products WHERE id = ?").get(i)?.version ?? 1;
    const change = fc.record(
      {
        price: mostly(fc.integer({ min: -1, max: 5000 })),
        location: mostly(fc.constantFrom("A1", "B2", "")),
        reorder_point: mostly(fc.integer({ min: 0, max: 9 })),
      },
      { requiredKeys: [] },
    );
    await fuzz(
      fc.tuple(fc.integer({ min: 1, max: 6 }), change),
      ([i, b]) => ({ method: "PATCH", path: `/api/v1/products/${i}`, body: JSON.stringify({ ...b, version: versionOf(i) }) }),
      200,
    );
    // and a stale one for certain: a change moves the version on, then one over the old version
    const v = versionOf(2);
    expect(await probe({ method: "PATCH", path: "/api/v1/products/2", body: JSON.stringify({ version: v, location: "Z9" }) })).toBeNull();
    expect(await probe({ method: "PATCH", path: "/api/v1/products/2", body: JSON.stringify({ version: v, location: "Z8" }) })).toBeNull();
  });

  test("POST /api/v1/products/bulk", async () => {
    const rows = fc.oneof(fc.array(productArb, { maxLength: 6 }), nastyValue);
    await fuzz(
      fc.tuple(rows, fc.option(fc.constantFrom("b1", "b2"))),
      ([r, key]) => ({ method: "POST", path: "/api/v1/products/bulk", body: JSON.stringify({ rows: r }), ...(key ? { key } : {}) }),
      300,
    );
  });

  test("POST /api/v1/stock/deliveries and /api/v1/stock/adjustments", async () => {
    const ref = fc.oneof(
      mostly(fc.constantFrom("MILK-1L", "APPLES-KG", "NOPE")).map((sku) => ({ sku })),
      mostly(barcode).map((b) => ({ barcode: b })),
      mostly(fc.integer({ min: 0, max: 8 })).map((product_id) => ({ product_id })),
    );
    const qty = mostly(fc.oneof(fc.integer({ min: -3, max: 30 }), fc.double({ min: -3, max: 30 }), fc.constantFrom(0.001, 0.0005, 1e9)));
    const line = fc
      .tuple(ref, qty, fc.option(mostly(fc.integer({ min: -1, max: 500 }))))
      .map(([r, q, c]) => ({ ...r, qty: q, ...(c === null ? {} : { unit_cost: c }) }));
    const deliveryArb = fc.record(
      { supplier: mostly(fc.constantFrom("Dairy Co", "")), reference: mostly(fc.constantFrom("DN-1")), lines: mostly(fc.array(line, { maxLength: 4 })) },
      { requiredKeys: [] },
    );
    await fuzz(
      fc.tuple(deliveryArb, fc.option(fc.constantFrom("d1", "d2"))),
      ([b, key]) => ({ method: "POST", path: "/api/v1/stock/deliveries", body: JSON.stringify(b), ...(key ? { key } : {}) }),
      300,
    );
    const adjustArb = fc
      .tuple(ref, qty, mostly(fc.constantFrom("damaged", "found", "correction", "eaten")), fc.option(nastyString))
      .map(([r, q, reason, note]) => ({ ...r, qty: q, reason, ...(note === null ? {} : { note }) }));
    await fuzz(
      fc.tuple(adjustArb, fc.option(fc.constantFrom("a1", "a2"))),
      ([b, key]) => ({ method: "POST", path: "/api/v1/stock/adjustments", body: JSON.stringify(b), ...(key ? { key } : {}) }),
      300,
    );
  });
});

test("the fuzzing reached the actions, the ledger still agrees, and nothing was logged as a failure", () => {
  for (const answer of [
    "201",
    "200",
    "400 invalid_request",
    "422 invalid_product",
    "422 invalid_rows",
    "409 product_changed",
    "422 invalid_quantity",
    "422 idempotency_key_reused",
  ]) {
    expect(answers).toContain(answer);
  }
  expect(t.store.ledger.disagreements()).toEqual([]);
  expect(serverLog).toEqual([]);
});
