// Catalog releases take effect at their own effective times (issue 15, bug 1): a price fix published today is not held
// back by a release scheduled for Monday. The rule, field by field: the release in effect with the latest effective
// time wins, at equal times the higher version. Stores with a test clock, head office on a real PostgreSQL.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { catalogInEffect } from "../../src/sync/hq/catalog/schedule.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { TestClock } from "../helpers/store.ts";
import { type Hq, signedIn, startHq } from "./hq-support.ts";
import { catalogProduct as product } from "./support.ts";

const DAY = 86_400_000;
let hq: Hq;
let link: { storeId: string; token: string };
const dirs: string[] = [];
const opened: Shop[] = [];

const ORDERS = ["scheduled first, store pulls between", "scheduled first, store pulls after", "now first, store pulls between", "now first, store pulls after"];

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(
    hq.sql,
    {
      tax_classes: [{ code: "STD", name: "Standard", rate_bp: 2000 }],
      products: [
        ...ORDERS.flatMap((_, i) => [product({ sku: `X${i}`, name: `Coffee ${i}`, price: 500 }), product({ sku: `Y${i}`, name: `Tea ${i}`, price: 300 })]),
        product({ sku: "Z", name: "Jam", price: 400 }),
      ],
    },
    new Date(Date.now() - DAY),
    "opening catalog",
  );
  link = await addStore(hq.sql, "Store 7");
}, 60_000);
afterAll(async () => {
  for (const s of opened) s.close();
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A store linked to head office, on its own test clock from now on. */
function newStore(): { store: Shop; clock: TestClock } {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-schedule-"));
  dirs.push(dir);
  const clock = new TestClock(new Date());
  const store = openShop({
    dataDir: dir,
    clock,
    fetch: ((input: string | URL | Request, init?: RequestInit) => hq.app.request(String(input), init)) as typeof fetch,
  });
  opened.push(store);
  writeSetting(store.db, "hq_url", "http://hq.test");
  writeSetting(store.db, "hq_store_id", link.storeId);
  writeSetting(store.db, "hq_token", link.token);
  return { store, clock };
}

/** Pull with the store's clock at least at the real now (head office stamps "now" releases with the real time). */
async function pull(store: Shop, clock: TestClock): Promise<void> {
  if (clock.current.getTime() < Date.now()) clock.current = new Date();
  await store.catalogReleases.pull();
}
const item = (store: Shop, sku: string) => {
  const p = store.catalog.bySku(sku);
  return p ? { name: p.name, price: p.price } : null;
};

test("scheduled and immediate releases in every order reach the store at their own times", async () => {
  for (const [i, order] of ORDERS.entries()) {
    const { store, clock } = newStore();
    await pull(store, clock);
    const monday = new Date(Date.now() + 3 * DAY);
    // Monday: coffee costs more. Now: tea is cheaper, and coffee gets its right name (the same product, another field)
    // each edited as the draft would have it: from the product as published last (the other release, when it came first)
    const scheduled = () => {
      const name = order.startsWith("scheduled") ? `Coffee ${i}` : `Coffee beans ${i}`;
      return publishRelease(hq.sql, { products: [product({ sku: `X${i}`, name, price: 550 })] }, monday, "Monday");
    };
    const now = async () => {
      const coffee = order.startsWith("scheduled") ? 550 : 500;
      return publishRelease(
        hq.sql,
        { products: [product({ sku: `Y${i}`, name: `Tea ${i}`, price: 250 }), product({ sku: `X${i}`, name: `Coffee beans ${i}`, price: coffee })] },
        new Date(Date.now() - 1000),
        "fix",
      );
    };
    const pullsBetween = order.endsWith("between");
    const [first, second] = order.startsWith("scheduled") ? [scheduled, now] : [now, scheduled];
    await first();
    if (pullsBetween) await pull(store, clock);
    const last = await second();
    await pull(store, clock);

    // today: the fix is in, Monday's price is not
    expect({ order, tea: item(store, `Y${i}`), coffee: item(store, `X${i}`) }).toEqual({
      order,
      tea: { name: `Tea ${i}`, price: 250 },
      coffee: { name: `Coffee beans ${i}`, price: 500 },
    });
    // the store says what it has and what waits: every release received, Monday's pending
    const monday_ = store.catalogReleases.health().pending.map((p) => p.effectiveAt);
    expect(monday_).toContain(monday.toISOString());
    expect(store.catalogReleases.version()).toBe(last.version);
    const [told] = await hq.sql<{ catalog_version: number; catalog_pending: number[] }[]>`
      SELECT catalog_version, catalog_pending FROM stores WHERE store_id = ${link.storeId}::uuid`;
    expect(told!.catalog_version).toBe(last.version);
    expect(told!.catalog_pending.length).toBeGreaterThanOrEqual(1);

    // Monday: the new price, and the name fixed today stays
    clock.current = new Date(monday.getTime() + 60_000);
    await store.catalogReleases.pull();
    expect({ order, coffee: item(store, `X${i}`), tea: item(store, `Y${i}`) }).toEqual({
      order,
      coffee: { name: `Coffee beans ${i}`, price: 550 },
      tea: { name: `Tea ${i}`, price: 250 },
    });
    expect(store.catalogReleases.health().pending.filter((p) => p.effectiveAt <= clock.now().toISOString())).toEqual([]);
  }
}, 60_000);

test("a release published later for an earlier time never undoes one that took effect after it; one for the same time replaces it", async () => {
  const early = newStore(); // pulls everything as soon as it is published
  const late = newStore(); // hears of the Sunday release only after Monday's took effect
  await pull(early.store, early.clock);
  await pull(late.store, late.clock);
  const sunday = new Date(Date.now() + 2 * DAY);
  const monday = new Date(Date.now() + 3 * DAY);
  await publishRelease(hq.sql, { products: [product({ sku: "Z", name: "Jam", price: 500 })] }, monday, "Monday");
  await pull(late.store, late.clock);
  late.clock.current = new Date(monday.getTime() + 60_000);
  // the link is down: Monday's price from what the store kept (with the Monday releases of the test before)
  expect(late.store.catalogReleases.applyDue()).toBeGreaterThanOrEqual(1);
  expect(item(late.store, "Z")?.price).toBe(500);

  await publishRelease(hq.sql, { products: [product({ sku: "Z", name: "Jam", price: 450 })] }, sunday, "Sunday");
  await pull(early.store, early.clock);
  early.clock.current = new Date(sunday.getTime() + 60_000);
  await early.store.catalogReleases.pull();
  expect(item(early.store, "Z")?.price).toBe(450); // Sunday
  early.clock.current = new Date(monday.getTime() + 60_000);
  await early.store.catalogReleases.pull();
  expect(item(early.store, "Z")?.price).toBe(500); // Monday's is later

  await late.store.catalogReleases.pull(); // Sunday's arrives after Monday's took effect: it changes nothing here
  expect(item(late.store, "Z")?.price).toBe(500);
  expect(late.store.catalogReleases.health().pending).toEqual([]);
  const [told] = await hq.sql<{ catalog_pending: number[] }[]>`SELECT catalog_pending FROM stores WHERE store_id = ${link.storeId}::uuid`;
  expect(told!.catalog_pending).toEqual([]); // and head office was told nothing waits there now

  // a later release for the same time as Monday's changes what Monday does, at both stores
  const again = await publishRelease(hq.sql, { products: [product({ sku: "Z", name: "Jam", price: 520 })] }, monday, "Monday, corrected");
  await early.store.catalogReleases.pull();
  await late.store.catalogReleases.pull();
  expect([item(early.store, "Z")?.price, item(late.store, "Z")?.price]).toEqual([520, 520]);
  expect([early.store.catalogReleases.version(), late.store.catalogReleases.version()]).toEqual([again.version, again.version]);

  // and a store joining now gets the same catalog from head office's snapshot
  const joining = newStore();
  joining.clock.current = new Date(monday.getTime() + 60_000);
  await joining.store.catalogReleases.pull();
  expect(item(joining.store, "Z")?.price).toBe(520);
}, 60_000);

test("an edit of a product scheduled to appear on Monday does not bring it in early, and Monday's release sets it whole", async () => {
  const { store, clock } = newStore();
  const monday = new Date(Date.now() + 3 * DAY);
  await publishRelease(hq.sql, { products: [product({ sku: "NEW", name: "Granola", price: 650 })] }, monday, "new for Monday");
  await publishRelease(hq.sql, { products: [product({ sku: "NEW", name: "Granola 500 g", price: 650 })] }, new Date(Date.now() - 1000), "rename");
  await pull(store, clock);
  expect(item(store, "NEW")).toBeNull();
  clock.current = new Date(monday.getTime() + 60_000);
  await store.catalogReleases.pull();
  // by the rule, Monday's release (it makes the product: every field) is the later one for every field; a rename
  // meant for Monday's product is published for Monday
  expect(item(store, "NEW")).toEqual({ name: "Granola", price: 650 });
}, 60_000);

test("head office folds the catalog in effect by the same rule", () => {
  const at = (d: number) => new Date(Date.UTC(2026, 11, d, 6));
  const p = (price: number, name = "Jam") => product({ sku: "J", name, price });
  const releases = [
    { version: 1, effective_at: at(1), changes: { tax_classes: [], products: [p(400)] }, changed: null },
    { version: 2, effective_at: at(7), changes: { tax_classes: [], products: [p(500)] }, changed: { products: { J: ["price"] }, tax_classes: {} } },
    { version: 3, effective_at: at(5), changes: { tax_classes: [], products: [p(500, "Jam jar")] }, changed: { products: { J: ["name"] }, tax_classes: {} } },
    { version: 4, effective_at: at(6), changes: { tax_classes: [], products: [p(450, "Jam jar")] }, changed: { products: { J: ["price"] }, tax_classes: {} } },
  ];
  const on = (d: number) => catalogInEffect(releases, at(d)).products.map((x) => ({ name: x.name, price: x.price }));
  expect(on(4)).toEqual([{ name: "Jam", price: 400 }]);
  expect(on(5)).toEqual([{ name: "Jam jar", price: 400 }]); // the name only: the price it carried was Monday's, not yet in effect
  expect(on(6)).toEqual([{ name: "Jam jar", price: 450 }]);
  expect(on(7)).toEqual([{ name: "Jam jar", price: 500 }]); // published before the 450, effective after it
});

test("publishing for a time in the past needs a tick that says it is meant", async () => {
  const carl = await signedIn(hq, "Carl", "catalog");
  await carl.page("/catalog");
  expect((await carl.request("POST", "/catalog/products/Z/price", { form: { price: "4.10" } })).status).toBe(303);
  const page = await carl.page("/catalog/draft");
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page.html)![1]!;
  const yesterday = new Date(hq.clock.now().getTime() - DAY).toISOString().slice(0, 16);
  const count = async () => (await hq.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM catalog_releases`)[0]!.n;
  const before = await count();
  const refused = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: yesterday, note: "late" } });
  expect(refused.status).toBe(422);
  const html = await refused.text();
  expect(html).toContain('data-testid="effective_at-error"');
  expect(html).toContain("That time is in the past");
  expect(await count()).toBe(before);
  const ok = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: yesterday, confirm_past: "1", note: "late" } });
  expect(ok.status).toBe(303);
  expect(await count()).toBe(before + 1);
}, 60_000);
