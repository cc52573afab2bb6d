// Price lists by region: a region's price reaches every store of the region and no other; a store's own price holds
// over its region's whatever the order of their releases in time; a store moved to another region takes that
// region's prices and leaves the old one's; a new store gets its region's prices in its snapshot; a move that could
// let a scheduled price land after it is refused; bad input writes nothing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { Shop } from "../../src/server/compose.ts";
import type { CatalogReply } from "../../src/sync/catalog-contracts.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, footprint, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { linkedStore, openingCatalog, pricePages, product } from "./price-list-support.ts";

let hq: Hq;
let carl: Visitor;
let addRegionByPage: (name: string) => Promise<number>;
let draft: (path: string, form: Record<string, string>) => Promise<void>;
let publishAt: (at?: Date) => Promise<number | string>;
let north: number;
let south: number;
const dirs: string[] = [];
const shops: Shop[] = [];
const HOUR = 3_600_000;

beforeAll(async () => {
  hq = await startHq();
  await openingCatalog(hq);
  carl = await signedIn(hq, "Carl", "catalog");
  ({ addRegion: addRegionByPage, draft, publish: publishAt } = pricePages(carl));
  north = await addRegionByPage("North");
  south = await addRegionByPage("South");
}, 60_000);
afterAll(async () => {
  for (const s of shops) s.close();
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const storeOf = (reg: RegisteredStore) => linkedStore(hq, reg, { dirs, shops });
/** Publish now, or at a typed local time (as the draft page's field takes it). */
const publish = (effective_at = "") => publishAt(effective_at ? new Date(effective_at) : undefined);

const changesFor = async (reg: RegisteredStore, since: number) =>
  (await (await hq.app.request(`/sync/v1/catalog/changes?since=${since}`, { headers: { Authorization: `Bearer ${reg.token}` } })).json()) as CatalogReply;

test("a region's price reaches its stores only, a store's own price holds over it, and each goes back to what is under it", async () => {
  const a = await addStore(hq.sql, "Region A");
  const b = await addStore(hq.sql, "Region B");
  const c = await addStore(hq.sql, "Elsewhere C");
  const [sa, sb, sc] = [storeOf(a), storeOf(b), storeOf(c)];
  for (const s of [a, b]) await draft(`/catalog/regions/${north}/stores`, { store_id: s.storeId });
  await draft(`/catalog/regions/${north}/prices`, { sku: "MILK", price: "1.09" });
  const version = await publish();
  expect(typeof version).toBe("number");
  // head office sends the region's row to its stores, and the same release to the other store without it
  const forC = (await changesFor(c, (version as number) - 1)).releases!.find((r) => r.version === version)!;
  expect(forC.changes.region_prices).toBeUndefined();
  expect(await sa.price("MILK")).toBe(109);
  expect(await sb.price("MILK")).toBe(109);
  expect(await sc.price("MILK")).toBe(119);
  expect(await sa.price("BREAD")).toBe(349);

  // A's own price over the region's; the region's page lists its stores and price beside the chain's
  await carl.page(`/catalog/prices?store=${a.storeId}`);
  expect((await carl.request("POST", "/catalog/prices", { form: { store_id: a.storeId, sku: "MILK", price: "0.99" } })).status).toBe(200);
  await publish();
  expect(await sa.price("MILK")).toBe(99);
  expect(await sb.price("MILK")).toBe(109);
  const page = (await carl.page(`/catalog/regions/${north}`)).html;
  expect(page).toContain("Region A");
  expect(page).toContain("€1.09");
  expect(page).toContain("€1.19");

  // a chain price change: the region's stores keep the region's price, the other takes the chain's
  await publishRelease(hq.sql, { products: [product({ sku: "MILK", name: "Fresh Milk 1 L", price: 129 })] }, new Date(Date.now() - 1000), "", "test");
  expect(await sa.price("MILK")).toBe(99);
  expect(await sb.price("MILK")).toBe(109);
  expect(await sc.price("MILK")).toBe(129);

  // A back to the chain's own: the region's price, not the chain's
  expect((await carl.request("POST", "/catalog/prices", { form: { store_id: a.storeId, sku: "MILK", price: "" } })).status).toBe(200);
  await publish();
  expect(await sa.price("MILK")).toBe(109);
  // the region back to the chain's price: the chain's price as it stands now
  await draft(`/catalog/regions/${north}/prices`, { sku: "MILK", price: "" });
  await publish();
  expect(await sa.price("MILK")).toBe(129);
  expect(await sb.price("MILK")).toBe(129);
});

test("a store's own price published now holds over its region's price scheduled earlier for a later time", async () => {
  const d = await addStore(hq.sql, "Region D");
  const sd = storeOf(d);
  await draft(`/catalog/regions/${south}/stores`, { store_id: d.storeId });
  await publish();
  // South's bread from tomorrow, then D's own bread price from now
  const tomorrow = new Date(Date.now() + 24 * HOUR);
  await draft(`/catalog/regions/${south}/prices`, { sku: "BREAD", price: "3.29" });
  expect(typeof (await publish(tomorrow.toISOString().slice(0, 16)))).toBe("number");
  await carl.page(`/catalog/prices?store=${d.storeId}`);
  expect((await carl.request("POST", "/catalog/prices", { form: { store_id: d.storeId, sku: "BREAD", price: "2.99" } })).status).toBe(200);
  await publish();
  expect(await sd.price("BREAD")).toBe(299);
  // tomorrow at the store: the region's price takes effect under D's own, which still holds
  sd.clock.current = new Date(tomorrow.getTime() + HOUR);
  expect(await sd.price("BREAD")).toBe(299);
  // and with D's own taken away, the region's price shows
  expect((await carl.request("POST", "/catalog/prices", { form: { store_id: d.storeId, sku: "BREAD", price: "" } })).status).toBe(200);
  await publish();
  expect(await sd.price("BREAD")).toBe(329);
});

test("a store moved to another region takes its prices and leaves the old one's; a new store gets its region's in its snapshot", async () => {
  const e = await addStore(hq.sql, "Region E");
  const se = storeOf(e);
  await draft(`/catalog/regions/${north}/stores`, { store_id: e.storeId });
  await draft(`/catalog/regions/${north}/prices`, { sku: "MILK", price: "1.15" });
  await publish();
  expect(await se.price("MILK")).toBe(115);
  // West has its own bread price and none for milk
  const west = await addRegionByPage("West");
  await draft(`/catalog/regions/${west}/prices`, { sku: "BREAD", price: "3.19" });
  await publish();
  expect(await se.price("BREAD")).toBe(349);
  await draft(`/catalog/regions/${west}/stores`, { store_id: e.storeId });
  await publish();
  expect(await se.price("MILK")).toBe(129);
  expect(await se.price("BREAD")).toBe(319);
  // a store registered into West later: West's prices come with its first catalog
  const f = await addStore(hq.sql, "Region F");
  await draft(`/catalog/regions/${west}/stores`, { store_id: f.storeId });
  await publish();
  const snapshot = (await changesFor(f, 0)).snapshot!;
  expect(snapshot.changes.region_prices).toEqual([{ sku: "BREAD", price: 319 }]);
  expect(await storeOf(f).price("BREAD")).toBe(319);
  // out of every region: the chain's prices
  await draft(`/catalog/regions/${west}/stores`, { store_id: e.storeId, out: "1" });
  await publish();
  expect(await se.price("BREAD")).toBe(349);
});

test("a move that a scheduled price could land after is refused with its reason, and nothing is published", async () => {
  const g = await addStore(hq.sql, "Region G");
  const east = await addRegionByPage("East");
  await draft(`/catalog/regions/${east}/prices`, { sku: "MILK", price: "1.05" });
  const later = new Date(Date.now() + 48 * HOUR).toISOString().slice(0, 16);
  expect(typeof (await publish(later))).toBe("number");
  await draft(`/catalog/regions/${east}/stores`, { store_id: g.storeId });
  const before = await footprint(hq.sql);
  expect(await publish()).toContain("East has prices scheduled for");
  expect(await footprint(hq.sql)).toEqual(before);
  // a move scheduled for later is refused too: moves take effect when published
  expect(await publish(later)).toContain("publish the moves without an effective time");
  expect(await footprint(hq.sql)).toEqual(before);
  await hq.sql`DELETE FROM catalog_draft_changes`;
});

test("a region or a region change that cannot be is refused beside its field, and nothing is written", async () => {
  const page = await carl.page("/catalog/regions");
  expect(page.res.status).toBe(200);
  const refusals: [string, Record<string, string>, string][] = [
    ["/catalog/regions", { name: "" }, "name, such as North"],
    ["/catalog/regions", { name: "north" }, "There is a region North already"],
    ["/catalog/regions", { name: "x".repeat(61) }, "longer than 60 characters"],
    [`/catalog/regions/${north}/prices`, { sku: "NOPE", price: "1.00" }, "no product with SKU NOPE"],
    [`/catalog/regions/${north}/prices`, { sku: "MILK", price: "-1" }, "cannot be negative"],
    [`/catalog/regions/${north}/prices`, { sku: "BREAD", price: "" }, "sells BREAD at the chain"],
    [`/catalog/regions/${north}/stores`, { store_id: "not-a-store" }, "Choose a store"],
  ];
  for (const [path, form, sentence] of refusals) {
    const before = await footprint(hq.sql);
    const res = await carl.request("POST", path, { form });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBeNull(); // the form again, not an error page
    expect(await res.text()).toContain(sentence);
    expect(await footprint(hq.sql)).toEqual(before);
  }
  // a region that is not there is a 404 with a sentence; a viewer reads regions but cannot change them
  const missing = await carl.request("GET", "/catalog/regions/999999");
  expect(missing.status).toBe(404);
  expect(await errorCode(missing)).toBe("region_not_found");
  const vera = await signedIn(hq, "Vera", "viewer");
  expect((await vera.page(`/catalog/regions/${north}`)).res.status).toBe(200);
  expect((await vera.request("POST", "/catalog/regions", { form: { name: "Ghost" } })).status).toBe(403);
  expect((await vera.request("POST", `/catalog/regions/${north}/prices`, { form: { sku: "MILK", price: "1.00" } })).status).toBe(403);
});
