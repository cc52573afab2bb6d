// Products changed through the JSON API as an ERP would, in-process against a real SQLite file: the back office's rules
// and sentences, versions, the admin scope, Idempotency-Key, and a refusal that writes nothing.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { looksLikeCardNumber } from "../../src/domain/kernel/card-data.ts";
import { createToken } from "../../src/server/api/tokens.ts";
import { saveHeadOfficeLink } from "../../src/server/head-office/link.ts";
import { HEAD_OFFICE_ADDS } from "../../src/server/products/actions.ts";
import { codes, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let admin = "";
beforeEach(() => {
  t = makeTestStore();
  admin = createToken(t.store.db, "ERP", t.clock.now().toISOString(), ["admin"]).token;
});
afterEach(() => t.close());

type Init = { method?: string; json?: unknown; headers?: Record<string, string>; body?: string };
/** A request with the admin token (`token` another one). */
const call = (path: string, init: Init = {}, token = admin) =>
  t.api(path, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } } as RequestInit & { json?: unknown });

/** What a product write may touch: "nothing written" means none of these moved. */
function products(): Record<string, number> {
  const n = (sql: string) => t.store.db.query<{ n: number }, []>(sql).get()!.n;
  return {
    products: n("SELECT count(*) AS n FROM products"),
    versions: n("SELECT coalesce(sum(version), 0) AS n FROM products"),
    barcodes: n("SELECT count(*) AS n FROM product_barcodes"),
    categories: n("SELECT count(*) AS n FROM categories"),
    audit: n("SELECT count(*) AS n FROM audit_log"),
    keys: n("SELECT count(*) AS n FROM idempotency_keys"),
  };
}

const oat = { sku: "OAT-1L", name: "Oat Drink 1 L", price: 229, tax_class: "RED", barcode: withCheckDigit("400000000101") };

describe("POST /api/v1/products", () => {
  test("adds a product; it reads back with its details and version, and the audit log names the token", async () => {
    const res = await call("/api/v1/products", { method: "POST", json: { ...oat, category: "dairy", reorder_point: 6, reorder_level: 12, location: "A3" } });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made).toMatchObject({ sku: "OAT-1L", name: "Oat Drink 1 L", price: 229, tax_class: "RED", tax_rate_bp: 1000, category: "Dairy" });
    expect(made).toMatchObject({ stock: 0, weighed: false, active: true, returnable: true, reorder_point: 6, reorder_level: 12, location: "A3", version: 1 });
    const back = await (await t.api(`/api/v1/products/${made.id}`)).json();
    expect(back).toEqual(made);
    const audit = t.store.db.query<{ action: string; user_name: string }, []>("SELECT action, user_name FROM audit_log ORDER BY id DESC LIMIT 1").get();
    expect(audit).toEqual({ action: "product.created", user_name: "API token ERP" });
    // a selling token reads it, and finds it by its barcode
    expect((await (await t.api(`/api/v1/products?barcode=${oat.barcode}`)).json()).data[0].id).toBe(made.id);
  });

  test("a token without the admin scope may read products but not change them (403 scope_missing), and nothing is written", async () => {
    const before = products();
    const res = await t.api("/api/v1/products", { method: "POST", json: oat });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error.code).toBe("scope_missing");
    expect(body.error.message).toContain("--scopes admin");
    for (const [method, path] of [
      ["PATCH", "/api/v1/products/1"],
      ["PUT", "/api/v1/products/1"],
      ["POST", "/api/v1/products/1/deactivate"],
      ["POST", "/api/v1/products/bulk"],
    ] as const) {
      const r = await t.api(path, { method, json: { version: 1, price: 1, rows: [] } });
      expect([path, r.status, (await r.json()).error.code]).toEqual([path, 403, "scope_missing"]);
    }
    // a token that may only read is told which scope changes products
    const reader = createToken(t.store.db, "Shelf app", t.clock.now().toISOString(), ["read"]).token;
    const read = await call("/api/v1/products", { method: "POST", json: oat }, reader);
    expect(read.status).toBe(403);
    expect((await read.json()).error.message).toContain("admin to change products and stock");
    expect(products()).toEqual(before);
    expect((await t.api("/api/v1/products/1")).status).toBe(200);
  });

  test("fields are refused with the product page's sentences, each named; nothing is written", async () => {
    const before = products();
    const res = await call("/api/v1/products", { method: "POST", json: { sku: "MILK-1L", name: " ", price: -5, tax_class: "LUX", barcode: "4000000000019" } });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_product");
    expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual(["name", "barcode", "price", "tax_class"]);
    expect(error.details.fields[0].message).toBe("The name is empty; type the name the register and the receipts show.");
    expect(error.message).toMatch(/^name: The name is empty/);
    // the SKU and barcode another product has are the database's word, after the fields themselves pass
    const taken = await call("/api/v1/products", { method: "POST", json: { ...oat, sku: "MILK-1L", barcode: codes.bread } });
    expect(taken.status).toBe(422);
    const fields = (await taken.json()).error.details.fields;
    expect(fields).toEqual([
      { field: "sku", message: "SKU MILK-1L is already the SKU of Fresh Milk 1 L; choose another." },
      { field: "barcode", message: `Barcode ${codes.bread} already belongs to Sourdough Bread 800 g (SKU BREAD-SOUR); a scan finds one product only.` },
    ]);
    // a price in cents must be whole, a field must be one of a product's
    expect((await call("/api/v1/products", { method: "POST", json: { ...oat, price: 2.29 } })).status).toBe(400);
    expect((await call("/api/v1/products", { method: "POST", json: { ...oat, colour: "red" } })).status).toBe(400);
    expect(products()).toEqual(before);
  });

  test("other barcodes that pass a card number's check are barcodes, not card data", async () => {
    const cardLike: string[] = [];
    for (let i = 1; cardLike.length < 2; i++) {
      const code = withCheckDigit(`400000001${String(i).padStart(3, "0")}`);
      if (looksLikeCardNumber(code)) cardLike.push(code);
    }
    const res = await call("/api/v1/products", { method: "POST", json: { ...oat, barcode: cardLike[0], barcodes: [cardLike[1]] } });
    expect(res.status).toBe(201);
    expect((await res.json()).barcodes).toEqual([cardLike[1]]);
    // a card number written with spaces in the list is still refused by the text gate
    const spaced = await call("/api/v1/products", { method: "POST", json: { ...oat, sku: "OAT-2", barcode: null, barcodes: ["4111 1111 1111 1111"] } });
    expect(spaced.status).toBe(422);
    expect((await spaced.json()).error.code).toBe("card_data_refused");
  });

  test("Idempotency-Key: a replay answers the same product and adds none; the key with another body is refused", async () => {
    const first = await call("/api/v1/products", { method: "POST", json: oat, headers: { "Idempotency-Key": "erp-item-77" } });
    expect(first.status).toBe(201);
    const made = await first.json();
    const before = products();
    const again = await call("/api/v1/products", { method: "POST", json: oat, headers: { "Idempotency-Key": "erp-item-77" } });
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await again.json()).id).toBe(made.id);
    expect(products()).toEqual(before);
    const other = await call("/api/v1/products", { method: "POST", json: { ...oat, price: 239 }, headers: { "Idempotency-Key": "erp-item-77" } });
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe("idempotency_key_reused");
    // a key that made a product is no key for a sale
    const sale = await call("/api/v1/sales", {
      method: "POST",
      json: { lines: [{ sku: "MILK-1L" }], payments: [{ method: "cash", amount: 500 }] },
      headers: { "Idempotency-Key": "erp-item-77" },
    });
    expect(sale.status).toBe(422);
    expect(products()).toEqual(before);
  });
});

describe("PATCH, PUT and deactivate", () => {
  const milk = () => t.store.catalog.bySku("MILK-1L")!.id;

  test("PATCH changes the fields sent over the version read; a stale version is a 409 naming what changed, writing nothing", async () => {
    const id = milk();
    const read = await (await t.api(`/api/v1/products/${id}`)).json();
    expect(read.version).toBe(1);
    const saved = await call(`/api/v1/products/${id}`, { method: "PATCH", json: { version: 1, price: 129, location: "B1" } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ price: 129, location: "B1", name: "Fresh Milk 1 L", version: 2 });
    const before = products();
    const stale = await call(`/api/v1/products/${id}`, { method: "PATCH", json: { version: 1, name: "Milk" } });
    expect(stale.status).toBe(409);
    const { error } = await stale.json();
    expect(error.code).toBe("product_changed");
    expect(error.message).toBe(
      `Product ${id} was changed since version 1: Price (now 1.29), Location (now B1). Read it again (version 2) and send your change with that version.`,
    );
    expect(error.details).toMatchObject({ version: 2, changed: ["price", "location"], product: { price: 129, version: 2 } });
    expect(products()).toEqual(before);
    // without a version, nothing is changed either
    const none = await call(`/api/v1/products/${id}`, { method: "PATCH", json: { name: "Milk" } });
    expect(none.status).toBe(400);
    expect(products()).toEqual(before);
  });

  test("PUT replaces the whole product: fields left out are emptied (and refused where one must be given)", async () => {
    const id = milk();
    const partial = await call(`/api/v1/products/${id}`, { method: "PUT", json: { version: 1, price: 100 } });
    expect(partial.status).toBe(422);
    expect((await partial.json()).error.details.fields.map((f: { field: string }) => f.field)).toEqual(["name", "sku", "tax_class"]);
    const whole = await call(`/api/v1/products/${id}`, {
      method: "PUT",
      json: { version: 1, sku: "MILK-1L", name: "Whole Milk 1 L", price: 125, tax_class: "RED" },
    });
    expect(whole.status).toBe(200);
    expect(await whole.json()).toMatchObject({ name: "Whole Milk 1 L", price: 125, barcode: null, category: null, version: 2 });
  });

  test("deactivate takes a product off sale, once; a version makes it conditional", async () => {
    const id = milk();
    const res = await call(`/api/v1/products/${id}/deactivate`, { method: "POST", body: "", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: false, version: 2 });
    const again = await call(`/api/v1/products/${id}/deactivate`, { method: "POST", json: {} });
    expect(await again.json()).toMatchObject({ active: false, version: 2 });
    const stale = await call(`/api/v1/products/${milk()}/deactivate`, { method: "POST", json: { version: 1 } });
    expect(stale.status).toBe(409);
    expect((await call("/api/v1/products/99999/deactivate", { method: "POST", json: {} })).status).toBe(404);
    expect((await call(`/api/v1/products/${id}/deactivate`, { method: "POST", body: "{", headers: { "Content-Type": "application/json" } })).status).toBe(400);
  });

  test("a store on head office's catalog: adding and head office's fields refused with the back office's sentences; local fields saved", async () => {
    saveHeadOfficeLink(t.store.db, { url: "https://hq.example.com", storeId: "0190c2a4-7b1e-7c3d-8e5f-0123456789ab", token: "a-store-token-0123" });
    const before = products();
    const add = await call("/api/v1/products", { method: "POST", json: oat });
    expect(add.status).toBe(403);
    expect((await add.json()).error).toMatchObject({ code: "forbidden", message: HEAD_OFFICE_ADDS });
    const id = milk();
    const price = await call(`/api/v1/products/${id}`, { method: "PATCH", json: { version: 1, price: 99, name: "Milk" } });
    expect(price.status).toBe(403);
    expect((await price.json()).error.message).toBe("Head office sets the name and the price in this store; change them there. Nothing was saved.");
    expect(products()).toEqual(before);
    const local = await call(`/api/v1/products/${id}`, {
      method: "PATCH",
      json: { version: 1, reorder_point: 10, reorder_level: 30, location: "C2", cost: 70 },
    });
    expect(local.status).toBe(200);
    expect(await local.json()).toMatchObject({ reorder_point: 10, reorder_level: 30, location: "C2", cost: 70, price: 119 });
  });
});

describe("requests that are not products", () => {
  test("malformed JSON, another media type and an oversize body are 4xx, writing nothing", async () => {
    const before = products();
    const raw = (body: string, type = "application/json") => call("/api/v1/products", { method: "POST", body, headers: { "Content-Type": type } });
    const bad = await raw('{"sku": "X",');
    expect([bad.status, (await bad.json()).error.code]).toEqual([400, "malformed_json"]);
    expect((await raw("sku=X", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await raw("[1, 2]")).status).toBe(400);
    const big = await raw(JSON.stringify({ ...oat, name: "x".repeat(1_100_000) }));
    expect([big.status, (await big.json()).error.code]).toEqual([413, "body_too_large"]);
    expect((await call("/api/v1/products/abc", { method: "PATCH", json: { version: 1 } })).status).toBe(404);
    expect(products()).toEqual(before);
    expect(t.store.ledger.disagreements()).toEqual([]);
  });
});
