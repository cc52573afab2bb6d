// The chain's category list (issue 15): products pick their category from it, a name is one category whatever its
// case, the free-text categories of an older head office become the list with their case-variants merged, and
// releases still carry the name, so stores read them as before.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { draftChanges } from "../../src/sync/hq/catalog/draft.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { categoryNames } from "../../src/sync/hq/categories/categories.ts";
import { type HqSql, hqFunctions, hqMigrations, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { footprint, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";

let hq: Hq;
let carl: Visitor;
let vera: Visitor;
const opened: HqSql[] = [];

const product = (sku: string, category: string | null) => ({
  sku,
  barcode: null,
  name: sku,
  price: 100,
  tax_class: "STD",
  category,
  weighed: false,
  active: true,
});
const STD = { code: "STD", name: "Standard", rate_bp: 2000 };

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(hq.sql, { tax_classes: [STD], products: [product("RICE", "Pantry"), product("MILK", "Dairy")] }, new Date(Date.now() - 60_000));
  carl = await signedIn(hq, "Carl", "catalog");
  vera = await signedIn(hq, "Vera", "viewer");
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((sql) => sql.end({ timeout: 5 })));
  await hq?.close();
});
beforeEach(async () => {
  await hq.sql`DELETE FROM catalog_draft_changes`;
});

describe("the list", () => {
  test("holds the categories releases brought; a person with the catalog role adds one, and a case-variant is refused naming the one there", async () => {
    const page = await carl.page("/catalog/categories");
    expect(page.res.status).toBe(200);
    expect([...page.html.matchAll(/data-category="([^"]+)"/g)].map((m) => m[1])).toEqual(["Dairy", "Pantry"]);

    const added = await carl.request("POST", "/catalog/categories", { form: { name: "  Frozen   food " } });
    expect(added.status).toBe(303);
    expect(added.headers.get("Location")).toBe("/catalog/categories?added=Frozen%20food");
    expect(await categoryNames(hq.sql)).toEqual(["Dairy", "Frozen food", "Pantry"]);

    const before = await hq.sql`SELECT name, created_by FROM catalog_categories ORDER BY name`;
    for (const [typed, sentence] of [
      ["pantry", "There is a category Pantry already; pantry would be the same one spelled another way. Pick Pantry for the product instead."],
      ["FROZEN FOOD", "There is a category Frozen food already; FROZEN FOOD would be the same one spelled another way."],
      ["Dairy", "There is a category Dairy already."],
      ["", "Type the name of the category, such as Pantry."],
      ["x".repeat(61), "The category is longer than 60 characters."],
    ] as const) {
      const res = await carl.request("POST", "/catalog/categories", { form: { name: typed } });
      expect([typed, res.status]).toEqual([typed, 422]);
      expect(await res.text()).toContain(sentence);
    }
    expect(await hq.sql`SELECT name, created_by FROM catalog_categories ORDER BY name`).toEqual(before);
    expect(before.find((c) => c.name === "Frozen food")?.created_by).toBe("Carl");
  });

  test("a viewer reads it but cannot add to it", async () => {
    expect((await vera.page("/catalog/categories")).html).toContain('data-category="Dairy"');
    const before = await categoryNames(hq.sql);
    const res = await vera.request("POST", "/catalog/categories", { form: { name: "Toys" } });
    expect(res.status).toBe(403);
    expect(await categoryNames(hq.sql)).toEqual(before);
  });
});

describe("a product's category", () => {
  test("is picked from the list on the product form, kept as the list spells it; one not in the list is refused", async () => {
    const form = await carl.page("/catalog/products/RICE");
    expect(form.html).toContain('<select id="f-category" name="category"');
    expect(form.html).toMatch(/<option value="Pantry" selected="">Pantry<\/option>/);

    const typedLower = await carl.request("POST", "/catalog/products", {
      form: { sku: "OATS", name: "Oats", price: "2.00", tax_class: "STD", category: "pantry", active: "on" },
    });
    expect(typedLower.status).toBe(303);
    expect((await draftChanges(hq.sql)).find((d) => d.key === "OATS")?.item).toMatchObject({ category: "Pantry" });

    const before = await footprint(hq.sql);
    const unknown = await carl.request("POST", "/catalog/products", {
      form: { sku: "CRISPS", name: "Crisps", price: "1.00", tax_class: "STD", category: "Snacks", active: "on" },
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain("Snacks is not in the category list; pick one from it, or add it to the list first.");
    expect(await footprint(hq.sql)).toEqual(before);
  });

  test("a release from a file takes the list's spelling, and adds a category the list lacks", async () => {
    const r = await publishRelease(
      hq.sql,
      { products: [product("BEANS", "PANTRY"), product("PEAS", "Tinned"), product("CORN", "tinned")] },
      new Date(Date.now() - 1000),
    );
    const [stored] = await hq.sql<{ changes: { products: { sku: string; category: string }[] } }[]>`
      SELECT changes FROM catalog_releases WHERE version = ${r.version}`;
    expect(Object.fromEntries(stored!.changes.products.map((p) => [p.sku, p.category]))).toEqual({ BEANS: "Pantry", PEAS: "Tinned", CORN: "Tinned" });
    expect(await categoryNames(hq.sql)).toContain("Tinned");
    expect((await categoryNames(hq.sql)).filter((c) => c.toLowerCase() === "tinned")).toEqual(["Tinned"]);
  });
});

describe("upgrading a head office whose categories were free text", () => {
  test("its categories become the list, case-variants merged, and the products spelled otherwise wait in the draft respelled", async () => {
    await hq.sql.unsafe("CREATE DATABASE hq_categories_upgrade");
    const old = openHq(hq.pg.url.replace(/\/postgres$/, "/hq_categories_upgrade"), { max: 2 });
    opened.push(old);
    await migrateHq(
      old,
      hqMigrations.filter((m) => m.version < 14),
      // as a binary from before the list left it: without the functions of later migrations' tables
      hqFunctions.filter((f) => !["hq_release_categories", "hq_catalog_products_follow"].includes(f.name)),
    );
    const changes = {
      tax_classes: [STD],
      products: [product("RICE", "Pantry"), product("PASTA", "pantry"), product("FLOUR", "Pantry"), product("MILK", "dairy")],
    };
    await old`INSERT INTO catalog_releases (version, effective_at, changes) VALUES (1, now(), ${old.json(changes as never)})`;
    // a later release moved FLOUR elsewhere: only the categories products have now count
    await old`INSERT INTO catalog_releases (version, effective_at, changes) VALUES (2, now(), ${old.json({ tax_classes: [], products: [product("FLOUR", "Baking")] } as never)})`;
    // and someone's draft has BREAD under "baking" and PASTA renamed
    await old`INSERT INTO catalog_draft_changes (kind, key, item, changed_by) VALUES
      ('product', 'BREAD', ${old.json(product("BREAD", "baking") as never)}, 'Ada'),
      ('product', 'PASTA', ${old.json({ ...product("PASTA", "pantry"), name: "Penne" } as never)}, 'Ada')`;

    expect(await migrateHq(old)).toEqual(hqMigrations.filter((m) => m.version >= 14).map((m) => m.version));
    // Pantry: RICE and (published) nothing else spelled so; pantry: PASTA. A tie: capitals first. Baking: FLOUR and "baking" BREAD, a tie.
    expect(await categoryNames(old)).toEqual(["Baking", "dairy", "Pantry"]);
    const draft = Object.fromEntries((await draftChanges(old)).map((d) => [d.key, { category: (d.item as { category: string }).category, by: d.changed_by }]));
    expect(draft).toEqual({
      BREAD: { category: "Baking", by: "Ada" },
      PASTA: { category: "Pantry", by: "Ada" },
    });
    expect((await draftChanges(old)).find((d) => d.key === "PASTA")?.item).toMatchObject({ name: "Penne" });
  });

  test("a product published with a variant goes into the draft with the list's spelling", async () => {
    await hq.sql.unsafe("CREATE DATABASE hq_categories_upgrade_2");
    const old = openHq(hq.pg.url.replace(/\/postgres$/, "/hq_categories_upgrade_2"), { max: 2 });
    opened.push(old);
    await migrateHq(
      old,
      hqMigrations.filter((m) => m.version < 14),
      // as a binary from before the list left it: without the functions of later migrations' tables
      hqFunctions.filter((f) => !["hq_release_categories", "hq_catalog_products_follow"].includes(f.name)),
    );
    const changes = { tax_classes: [STD], products: [product("RICE", "Pantry"), product("PASTA", "pantry"), product("OATS", "Pantry")] };
    await old`INSERT INTO catalog_releases (version, effective_at, changes) VALUES (1, now(), ${old.json(changes as never)})`;
    await migrateHq(old);
    expect(await categoryNames(old)).toEqual(["Pantry"]);
    const draft = await draftChanges(old);
    expect(draft.map((d) => [d.key, d.item, d.changed_by])).toEqual([["PASTA", product("PASTA", "Pantry"), "category list (upgrade)"]]);
  });
});
