// Price lists: a store's own price, set at head office into the draft and published with a release, is applied at
// that store only — store A sells at its price, store B at the chain's — holds over later chain price changes, goes
// back to the chain's when taken away, reaches a new store in its snapshot, and bad input writes nothing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import type { CatalogReply } from "../../src/sync/catalog-contracts.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { TestClock } from "../helpers/store.ts";
import { csrfOf, errorCode, footprint, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { openingCatalog, product } from "./price-list-support.ts";

let hq: Hq;
let carl: Visitor;
let a: RegisteredStore;
let b: RegisteredStore;
const dirs: string[] = [];
const shops: Shop[] = [];

beforeAll(async () => {
  hq = await startHq();
  await openingCatalog(hq);
  a = await addStore(hq.sql, "Store A");
  b = await addStore(hq.sql, "Store B");
  carl = await signedIn(hq, "Carl", "catalog");
}, 60_000);
afterAll(async () => {
  for (const s of shops) s.close();
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A store server linked to head office, pulling through the head-office app in-process. */
function storeOf(reg: RegisteredStore): Shop {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-price-lists-"));
  dirs.push(dir);
  const shop = openShop({
    dataDir: dir,
    clock: new TestClock(new Date(Date.now() + 1000)),
    fetch: ((input: string | URL | Request, init?: RequestInit) => hq.app.request(String(input), init)) as typeof fetch,
  });
  shops.push(shop);
  writeSetting(shop.db, "hq_url", "http://hq.test");
  writeSetting(shop.db, "hq_store_id", reg.storeId);
  writeSetting(shop.db, "hq_token", reg.token);
  return shop;
}

const changesFor = async (reg: RegisteredStore, since: number) =>
  (await (await hq.app.request(`/sync/v1/catalog/changes?since=${since}`, { headers: { Authorization: `Bearer ${reg.token}` } })).json()) as CatalogReply;

/** Set a store's price through the page, then publish the draft through the draft page, as a person does. */
async function publishStorePrice(reg: RegisteredStore, sku: string, price: string): Promise<number> {
  await carl.page(`/catalog/prices?store=${reg.storeId}`);
  const res = await carl.request("POST", "/catalog/prices", { form: { store_id: reg.storeId, sku, price } });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("is in the draft release");
  const draft = (await carl.page("/catalog/draft")).html;
  expect(draft).toContain(`data-change="store_price:${reg.storeId}/${sku}"`);
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(draft)![1]!;
  const published = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, note: "store prices" }, csrf: csrfOf(draft) });
  expect(published.status).toBe(303);
  return Number(new URL(published.headers.get("Location")!, "http://x").searchParams.get("published"));
}

test("store A's own price reaches store A only; store B sells at the chain's price", async () => {
  const storeA = storeOf(a);
  const storeB = storeOf(b);
  await storeA.catalogReleases.pull();
  await storeB.catalogReleases.pull();
  expect(storeA.catalog.bySku("MILK")?.price).toBe(119);

  const version = await publishStorePrice(a, "MILK", "0.99");
  // head office sends A's price with the release to A, and the same release to B without it
  const forA = (await changesFor(a, version - 1)).releases!.find((r) => r.version === version)!;
  const forB = (await changesFor(b, version - 1)).releases!.find((r) => r.version === version)!;
  expect(forA.changes.store_prices).toEqual([{ sku: "MILK", price: 99 }]);
  expect(forB.changes.store_prices).toBeUndefined();

  await storeA.catalogReleases.pull();
  await storeB.catalogReleases.pull();
  expect(storeA.catalog.bySku("MILK")?.price).toBe(99);
  expect(storeB.catalog.bySku("MILK")?.price).toBe(119);
  expect(storeA.catalog.bySku("BREAD")?.price).toBe(349); // only that product
  expect(storeA.catalogReleases.version()).toBe(version);

  // the page shows A's price beside the chain's
  const page = (await carl.page(`/catalog/prices?store=${a.storeId}`)).html;
  expect(page).toContain("€0.99");
  expect(page).toContain("€1.19");

  // a chain price change later: A keeps its own price, B takes the chain's
  await publishRelease(hq.sql, { products: [product({ sku: "MILK", name: "Fresh Milk 1 L", price: 129 })] }, new Date(Date.now() - 1000), "", "test");
  await storeA.catalogReleases.pull();
  await storeB.catalogReleases.pull();
  expect(storeA.catalog.bySku("MILK")?.price).toBe(99);
  expect(storeB.catalog.bySku("MILK")?.price).toBe(129);

  // A back to the chain's price: the chain's price as it stands now
  await publishStorePrice(a, "MILK", "");
  await storeA.catalogReleases.pull();
  expect(storeA.catalog.bySku("MILK")?.price).toBe(129);
  expect(storeB.catalog.bySku("MILK")?.price).toBe(129);
});

test("a store set up after its price was published gets it in its first snapshot", async () => {
  const c = await addStore(hq.sql, "Store C");
  await publishStorePrice(c, "BREAD", "3.00");
  const snapshot = (await changesFor(c, 0)).snapshot!;
  expect(snapshot.changes.store_prices).toEqual([{ sku: "BREAD", price: 300 }]);
  expect((await changesFor(b, 0)).snapshot!.changes.store_prices).toBeUndefined();
  const storeC = storeOf(c);
  await storeC.catalogReleases.pull();
  expect(storeC.catalog.bySku("BREAD")?.price).toBe(300);
  expect(storeC.catalog.bySku("MILK")?.price).toBe(129);
});

test("a store price that cannot be is refused beside its field, and nothing is written", async () => {
  await carl.page("/catalog/prices");
  const cases: [Record<string, string>, string, string][] = [
    [{ store_id: "not-a-store", sku: "MILK", price: "1.00" }, "store_id", "Choose a store"],
    [{ store_id: b.storeId, sku: "NOPE", price: "1.00" }, "sku", "no product with SKU NOPE"],
    [{ store_id: b.storeId, sku: "MILK", price: "-1" }, "price", "cannot be negative"],
    [{ store_id: b.storeId, sku: "MILK", price: "1.999" }, "price", "at most 2 decimals"],
    [{ store_id: b.storeId, sku: "MILK", price: "" }, "price", "sells MILK at the chain"],
  ];
  for (const [form, , sentence] of cases) {
    const before = await footprint(hq.sql);
    const res = await carl.request("POST", "/catalog/prices", { form });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBeNull(); // the form again, not an error page
    expect(await res.text()).toContain(sentence);
    expect(await footprint(hq.sql)).toEqual(before);
  }
  const [drafted] = await hq.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM catalog_draft_changes`;
  expect(drafted!.n).toBe(0);
  // a viewer reads price lists but cannot change them
  const vera = await signedIn(hq, "Vera", "viewer");
  expect((await vera.page(`/catalog/prices?store=${a.storeId}`)).res.status).toBe(200);
  expect((await vera.request("POST", "/catalog/prices", { form: { store_id: b.storeId, sku: "MILK", price: "1.00" } })).status).toBe(403);
});
