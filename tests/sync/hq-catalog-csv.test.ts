// CSV import into the draft release at head office: a good file puts its products in the draft (new ones, changed
// ones, and not the rows that change nothing); a file with any bad row is refused whole, each bad row listed with its
// line and a sentence, and nothing is written.
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemoCatalog } from "../../src/server/catalog/demo.ts";
import { openShop } from "../../src/server/compose.ts";
import { productsCsvResponse } from "../../src/server/products/export.ts";
import { draftChanges } from "../../src/sync/hq/catalog/draft.ts";
import { type CatalogProduct, publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { footprint, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { catalogProduct, chainTaxClasses } from "./support.ts";

let hq: Hq;
let carl: Visitor;

/** The catalog's products here are at the reduced rate unless told. */
const product = (p: Partial<CatalogProduct> & { sku: string }) => catalogProduct({ tax_class: "RED", ...p });

beforeAll(async () => {
  hq = await startHq();
  await hq.sql`INSERT INTO catalog_categories (name, created_by) VALUES ('Dairy', 'test'), ('Bakery', 'test')`;
  await publishRelease(
    hq.sql,
    {
      tax_classes: chainTaxClasses,
      products: [
        product({ sku: "MILK", barcode: "4000000000013", name: "Fresh Milk 1 L", price: 119, category: "Dairy" }),
        product({ sku: "BREAD", barcode: "4000000000020", name: "Sourdough", price: 349, category: "Bakery" }),
      ],
    },
    new Date(Date.now() - 60_000),
    "opening catalog",
  );
  carl = await signedIn(hq, "Carl", "catalog");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});
beforeEach(async () => {
  await hq.sql`DELETE FROM catalog_draft_changes`;
});

/** Send a file through the import form, as the browser's multipart form does. */
async function upload(text: string, who: Visitor = carl, name = "prices.csv", fields: Record<string, string> = {}): Promise<Response> {
  await who.page("/catalog/import");
  const body = new FormData();
  body.set("_csrf", who.csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  body.set("file", new File([text], name, { type: "text/csv" }));
  const cookie = [...who.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return hq.app.request(
    `${ORIGIN}/catalog/import`,
    { method: "POST", body, headers: { Host: "hq.test", Origin: ORIGIN, Accept: "text/html", Cookie: cookie } },
    { requestIP: () => ({ address: who.address, family: "IPv4", port: 40000 }) },
  );
}

test("a good file goes into the draft: new products, changed ones, and rows that change nothing left out", async () => {
  const file = [
    "SKU;Name;Price;Tax class;Barcode;Category;Unit;Active;Supplier",
    "MILK;Fresh Milk 1 L;1,29;red;;dairy;;;Farm", // a new price; barcode and category kept; decimal comma in a ; file
    "BREAD;Sourdough;3.49;RED;;;;;Bakery Co", // as published: not a change
    'EGGS-6;"Eggs; six";2.50;RED;4000000000044;Dairy;unit;yes;Farm',
    "APPLES;Apples;2.99;RED;;;kg;no;",
  ].join("\r\n");
  const res = await upload(file);
  expect(res.status).toBe(303);
  expect(decodeURIComponent(res.headers.get("Location")!)).toContain("prices.csv: 2 new, 1 changed, 1 already so");
  const draft = Object.fromEntries((await draftChanges(hq.sql)).map((d) => [d.key, d.item as CatalogProduct]));
  expect(Object.keys(draft).sort()).toEqual(["APPLES", "EGGS-6", "MILK"]);
  expect(draft.MILK).toMatchObject({ price: 129, barcode: "4000000000013", category: "Dairy", tax_class: "RED" });
  expect(draft["EGGS-6"]).toMatchObject({ name: "Eggs; six", price: 250, barcode: "4000000000044", category: "Dairy", active: true });
  expect(draft.APPLES).toMatchObject({ weighed: true, active: false, category: null });
  // the draft page shows them, ready to publish
  const page = (await carl.page("/catalog/draft")).html;
  expect(page).toContain('data-change="product:EGGS-6"');
});

test("one bad row refuses the whole file: every bad row with its line and a sentence, and nothing written", async () => {
  const file = [
    "sku,name,price,tax class,barcode,category",
    "MILK,Fresh Milk 1 L,1.39,RED,,", // good
    "CHEESE,Cheddar,4.5x,RED,,", // line 3: price
    "HAM,Ham,2.00,NOPE,,", // line 4: tax class
    "OIL,Olive oil,7.00,STD,4000000000018,", // line 5: check digit
    "JAM,Jam,2.00,STD,4000000000020,", // line 6: BREAD's barcode
    "TEA,Tea,2.00,STD,,Drinks", // line 7: not in the category list
    "MILK,Milk again,1.00,RED,,", // line 8: the SKU twice
    ",No sku,1.00,RED,,", // line 9
  ].join("\n");
  const before = await footprint(hq.sql);
  const res = await upload(file);
  expect(res.status).toBe(422);
  const html = await res.text();
  const problems = Object.fromEntries(
    [...html.matchAll(/<tr data-line="(\d+)"><td class="num">\d+<\/td><td>([^<]*)<\/td>/g)].map((m) => [
      m[1],
      m[2]!.replaceAll("&quot;", '"').replaceAll("&#39;", "'"),
    ]),
  );
  expect(Object.keys(problems).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  expect(problems[3]).toContain('Price "4.5x" is not an amount like 12.34');
  expect(problems[4]).toContain('Tax class "NOPE" does not exist; use one of: RED, STD.');
  expect(problems[5]).toContain("wrong check digit (the last digit should be 3)");
  expect(problems[6]).toContain("Barcode 4000000000020 already belongs to SKU BREAD (Sourdough)");
  expect(problems[7]).toContain("is not in the category list");
  expect(problems[8]).toContain("SKU MILK is already on line 2 of this file.");
  expect(problems[9]).toContain("SKU is empty.");
  expect(html).toContain("7 rows need another look; nothing went into the draft.");
  expect(await footprint(hq.sql)).toEqual(before);
  expect(await draftChanges(hq.sql)).toEqual([]);
});

test("a file that cannot be read is refused in words; a viewer cannot import", async () => {
  for (const [text, sentence] of [
    ["sku,name\nMILK,Milk\n", 'The header has no "price", "tax class" column'],
    ["sku,name,price,tax class\n", "The file has no products"],
    ['sku,name,price,tax class\nMILK,"Milk,1.00,RED\n', 'A quote (") opened in this row is never closed'],
  ] as const) {
    const res = await upload(text);
    expect(res.status).toBe(422);
    expect((await res.text()).replaceAll("&quot;", '"')).toContain(sentence);
  }
  // a barcode handed from one product to another in the same file is fine: BREAD gives it up, CREAM takes it
  const moved = await upload("sku,name,price,tax class,barcode\nBREAD,Sourdough,3.49,RED,4000000000051\nCREAM,Cream,0.99,RED,4000000000020\n");
  expect(moved.status).toBe(303);
  const vera = await signedIn(hq, "Vera", "viewer");
  expect((await upload("sku,name,price,tax class\nX,X,1.00,RED\n", vera)).status).toBe(403);
});

test("head office's catalog starts from a store's: the store's product export goes into the draft, its categories into the list", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-hq-csv-"));
  const store = openShop({ dataDir: dir });
  try {
    seedDemoCatalog(store.db, { products: 300, now: new Date().toISOString() });
    const exported = await productsCsvResponse(store.db, "EUR").text();
    const storeProducts = store.db
      .query<{ sku: string; price: number; category: string | null; weighed: number; active: number }, []>(
        "SELECT p.sku, p.price, c.name AS category, p.weighed, p.active FROM products p LEFT JOIN categories c ON c.id = p.category_id ORDER BY p.sku",
      )
      .all();
    // the store's ZERO tax class, added at head office first (into the draft: that is enough)
    await carl.page("/catalog/new-tax-class");
    expect((await carl.request("POST", "/catalog/tax-classes", { form: { code: "ZERO", name: "Zero", rate: "0" } })).status).toBe(303);

    // without leave to add categories, rows whose category the list lacks are refused, and nothing is written
    const refused = await upload(exported, carl, "products.csv");
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("is not in the category list");
    expect((await draftChanges(hq.sql)).filter((d) => d.kind === "product")).toEqual([]);

    const res = await upload(exported, carl, "products.csv", { add_categories: "on" });
    expect(res.status).toBe(303);
    const drafted = new Map((await draftChanges(hq.sql)).filter((d) => d.kind === "product").map((d) => [d.key, d.item as CatalogProduct]));
    expect(drafted.size).toBe(storeProducts.length);
    for (const p of storeProducts) {
      expect(drafted.get(p.sku)).toMatchObject({ price: p.price, category: p.category, weighed: p.weighed === 1, active: p.active === 1 });
    }
    const listed = (await hq.sql<{ name: string }[]>`SELECT name FROM catalog_categories`).map((c) => c.name);
    for (const c of new Set(storeProducts.map((p) => p.category).filter(Boolean))) expect(listed).toContain(c!);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
