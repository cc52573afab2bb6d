// Catalog and prices from head office: releases with gapless versions, pulled and applied atomically by the store.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/server/app.ts";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { publishRelease, ReleaseRefused } from "../../src/sync/hq/catalog/releases.ts";
import { type HqSql, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";
import { signIn, TestClock } from "../helpers/store.ts";

let pg: TestPostgres;
let sql: HqSql;
let hq: ReturnType<typeof Bun.serve>;
let link: { url: string; storeId: string; token: string };
const dirs: string[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  sql = openHq(pg.url);
  await migrateHq(sql);
  hq = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createHqApp(sql, "test").fetch });
  const reg = await addStore(sql, "Store 7");
  link = { url: `http://127.0.0.1:${hq.port}`, storeId: reg.storeId, token: reg.token };
});
afterAll(async () => {
  await hq?.stop(true);
  await sql?.end({ timeout: 5 });
  await pg?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function newStoreDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-catalog-"));
  dirs.push(dir);
  const store = openShop({ dataDir: dir });
  writeSetting(store.db, "hq_url", link.url);
  writeSetting(store.db, "hq_store_id", link.storeId);
  writeSetting(store.db, "hq_token", link.token);
  store.close();
  return dir;
}

const price = (store: Shop, sku: string) => store.catalog.bySku(sku)?.price ?? null;

test("a store takes the catalog, then a price change at its effective time, and shows its catalog version", async () => {
  await publishRelease(
    sql,
    {
      tax_classes: [
        { code: "STD", name: "Standard", rate_bp: 2000 },
        { code: "RED", name: "Reduced", rate_bp: 1000 },
      ],
      products: [
        { sku: "MILK", barcode: "4000000000017", name: "Milk 1 L", price: 119, tax_class: "RED", category: "Dairy" },
        { sku: "WINE", barcode: "4000000000031", name: "Rioja", price: 1299, tax_class: "STD", category: "Drinks" },
      ],
    },
    new Date(Date.now() - 1000),
  );
  const clock = new TestClock(new Date());
  const store = openShop({ dataDir: newStoreDir(), clock });
  try {
    expect(await store.catalogReleases.pull()).toBe(1);
    const v1 = store.catalogReleases.version();
    expect(price(store, "MILK")).toBe(119);
    expect(store.settings().catalogVersion).toBe(String(v1));

    const tomorrow = new Date(Date.now() + 86_400_000);
    const release = await publishRelease(
      sql,
      { products: [{ sku: "MILK", barcode: "4000000000017", name: "Milk 1 L", price: 129, tax_class: "RED", category: "Dairy" }] },
      tomorrow,
    );
    expect(release.version).toBe(v1 + 1);
    expect(await store.catalogReleases.pull()).toBe(0); // kept, not yet due
    expect(price(store, "MILK")).toBe(119);
    clock.advance(86_400_000 + 1000);
    expect(await store.catalogReleases.pull()).toBe(1);
    expect(price(store, "MILK")).toBe(129);
    expect(store.settings().catalogVersion).toBe(String(v1 + 1));
  } finally {
    store.close();
  }
});

test("releases that break the catalog are refused at head office; publishers at once still get gapless versions", async () => {
  await expect(publishRelease(sql, { products: [{ sku: "X", name: "X", price: 1, tax_class: "NOPE" }] }, new Date())).rejects.toThrow(ReleaseRefused);
  await expect(publishRelease(sql, { products: [{ sku: "X", name: "X", price: -1, tax_class: "STD" }] }, new Date())).rejects.toThrow(ReleaseRefused);
  const before = (await sql<{ v: number }[]>`SELECT coalesce(max(version), 0) AS v FROM catalog_releases`)[0]!.v;
  const many = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      publishRelease(sql, { products: [{ sku: `P${i}`, name: `Product ${i}`, price: 100 + i, tax_class: "STD" }] }, new Date(Date.now() - 1000)),
    ),
  );
  expect(many.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 6 }, (_, i) => before + 1 + i));
});

test("a store killed while applying a big release ends on the old version or the new, never between", async () => {
  // the price change scheduled by the first test has come (a new store gets everything in one snapshot then)
  await sql`UPDATE catalog_releases SET effective_at = now() - interval '1 second' WHERE effective_at > now()`;
  const products = Array.from({ length: 40_000 }, (_, i) => ({
    sku: `BULK-${i}`,
    name: `Bulk item ${i}`,
    price: 100 + (i % 500),
    tax_class: "STD",
    category: `Aisle ${i % 20}`,
  }));
  const big = await publishRelease(sql, { products }, new Date(Date.now() - 1000));
  let sawOld = 0;
  let sawNew = 0;
  for (const walBytes of [64 * 1024, 512 * 1024, 2 * 1024 * 1024, Number.POSITIVE_INFINITY]) {
    const dir = newStoreDir();
    const wal = join(dir, "shopflow.db-wal");
    // (the WAL may come and go between two looks: a store closing cleanly removes it)
    const walSize = () => statSync(wal, { throwIfNoEntry: false })?.size ?? 0;
    const before = walSize();
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures/pull-catalog.ts"), dir], { stdout: "pipe", stderr: "pipe" });
    // kill once the release's transaction is writing (the WAL grows), i.e. in the middle of applying it
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && child.exitCode === null && walSize() - before < walBytes) await Bun.sleep(2);
    child.kill(9);
    await child.exited;
    const store = openShop({ dataDir: dir });
    try {
      const version = store.catalogReleases.version();
      const bulk = store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM products WHERE sku LIKE 'BULK-%'").get()!.n;
      if (version >= big.version) {
        expect(bulk).toBe(products.length);
        sawNew++;
      } else {
        expect(bulk).toBe(0);
        sawOld++;
      }
      // and the next pull brings it to the newest, whole
      await store.catalogReleases.pull();
      expect(store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM products WHERE sku LIKE 'BULK-%'").get()!.n).toBe(products.length);
    } finally {
      store.close();
    }
  }
  expect(sawOld + sawNew).toBe(4);
  expect(sawOld).toBeGreaterThanOrEqual(1); // killed mid-transaction: nothing of it stayed
  expect(sawNew).toBeGreaterThanOrEqual(1); // the run left to finish: all of it
}, 120_000);

test("a release giving a product a barcode the store holds for its own product is applied without it, shown, and later releases still come in", async () => {
  // a store with a local product on barcode 4006381333931, then head office publishes another product with that barcode
  const dir = newStoreDir();
  const store = openShop({ dataDir: dir }); // the real clock: releases below take effect "now"
  try {
    await store.catalogReleases.pull();
    store.db
      .query("INSERT INTO products(sku, barcode, name, price, tax_class, updated_at) VALUES ('LOCAL-PEN', '4006381333931', 'Local pen', 150, 'STD', ?)")
      .run(new Date().toISOString());
    const clash = await publishRelease(
      sql,
      {
        products: [
          { sku: "HQ-PEN", barcode: "4006381333931", name: "Stabilo pen", price: 199, tax_class: "STD", category: "Office" },
          { sku: "HQ-PAD", barcode: "4006381333948", name: "Notepad", price: 249, tax_class: "STD", category: "Office" },
        ],
      },
      new Date(Date.now() - 1000),
    );
    await store.catalogReleases.pull();
    expect({ version: store.catalogReleases.version(), error: store.catalogReleases.lastError() }).toEqual({ version: clash.version, error: null });
    // the store's own product keeps its barcode; head office's product is there, without it; the rest of the release is in
    expect(store.catalog.bySku("LOCAL-PEN")?.barcode).toBe("4006381333931");
    expect(store.catalog.bySku("HQ-PEN")).toMatchObject({ barcode: null, price: 199 });
    expect(store.catalog.bySku("HQ-PAD")?.barcode).toBe("4006381333948");
    expect(store.catalogReleases.health().problems).toMatchObject([
      { sku: "HQ-PEN", barcode: "4006381333931", heldBySku: "LOCAL-PEN", version: clash.version },
    ]);
    // and head office was told, for its dashboard
    const [told] = await sql<{ catalog_version: number; catalog_problems: { sku: string; held_by_sku: string }[] }[]>`
      SELECT catalog_version::int AS catalog_version, catalog_problems FROM stores WHERE store_id = ${link.storeId}::uuid`;
    expect(told).toMatchObject({ catalog_version: clash.version, catalog_problems: [{ sku: "HQ-PEN", held_by_sku: "LOCAL-PEN" }] });

    // a price fix published now still comes in
    const fix = await publishRelease(
      sql,
      { products: [{ sku: "HQ-PAD", barcode: "4006381333948", name: "Notepad", price: 229, tax_class: "STD", category: "Office" }] },
      new Date(Date.now() - 1000),
    );
    expect(await store.catalogReleases.pull()).toBe(1);
    expect(store.catalogReleases.version()).toBe(fix.version);
    expect(store.catalog.bySku("HQ-PAD")?.price).toBe(229);

    // said on /healthz, on Devices and on the register
    const app = createApp(store);
    const health = (await (await app.request("/healthz")).json()) as { catalog: { problems: number } };
    expect(health.catalog.problems).toBe(1);
    const boss = await signIn(store, 9, { role: "manager", shift: false });
    expect(await (await app.request("/devices/head-office", { headers: boss.headers })).text()).toContain("4006381333931: head office&#39;s HQ-PEN");
    const cashier = await signIn(store, 1);
    expect(await (await app.request("/", { headers: cashier.headers })).text()).toContain('data-testid="catalog-trouble"');

    // once the store's product gives the barcode up, the next release of head office's product takes it
    store.db.query("UPDATE products SET barcode = NULL WHERE sku = 'LOCAL-PEN'").run();
    await publishRelease(
      sql,
      { products: [{ sku: "HQ-PEN", barcode: "4006381333931", name: "Stabilo pen", price: 199, tax_class: "STD", category: "Office" }] },
      new Date(Date.now() - 1000),
    );
    await store.catalogReleases.pull();
    expect(store.catalog.bySku("HQ-PEN")?.barcode).toBe("4006381333931");
    expect(store.catalogReleases.health().problems).toEqual([]);
  } finally {
    store.close();
  }
});
