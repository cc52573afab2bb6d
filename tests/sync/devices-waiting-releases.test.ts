// The store's Devices page lists the catalog releases it keeps until their effective time: version, when it takes
// effect in the store's time zone, and what it changes; "none waiting" once they are applied. A store with a test
// clock pulling from head office on a real PostgreSQL, the page asked for in-process.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/server/app.ts";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { type CatalogProduct, publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { signIn, TestClock } from "../helpers/store.ts";
import { type Hq, startHq } from "./hq-support.ts";

let hq: Hq;
let dir: string;
let store: Shop;
const clock = new TestClock(new Date());

const product = (sku: string, price: number): CatalogProduct => ({
  sku,
  barcode: null,
  name: `Product ${sku}`,
  price,
  tax_class: "STD",
  category: null,
  weighed: false,
  active: true,
});

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(
    hq.sql,
    { tax_classes: [{ code: "STD", name: "Standard", rate_bp: 2000 }], products: [product("A", 100)] },
    new Date(Date.now() - 60_000),
  );
  const link = await addStore(hq.sql, "Canal Street");
  dir = mkdtempSync(join(tmpdir(), "shopflow-waiting-"));
  store = openShop({
    dataDir: dir,
    clock,
    fetch: ((input: string | URL | Request, init?: RequestInit) => hq.app.request(String(input), init)) as typeof fetch,
  });
  writeSetting(store.db, "hq_url", "http://hq.test");
  writeSetting(store.db, "hq_store_id", link.storeId);
  writeSetting(store.db, "hq_token", link.token);
  writeSetting(store.db, "time_zone", "Europe/Berlin");
  store.reloadSettings();
}, 60_000);
afterAll(async () => {
  store?.close();
  await hq?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a release kept for later is on the Devices page with its time and what it changes; applied, it is gone", async () => {
  const app = createApp(store);
  let manager = await signIn(store, 1, { role: "manager", shift: false });
  const devices = async (path = "/devices") => {
    const res = await app.request(path, { headers: manager.headers });
    expect(res.status).toBe(200);
    return res.text();
  };
  await store.catalogReleases.pull();
  expect(await devices()).toContain("none waiting");

  // 1 June next year, 04:00 UTC: 06:00 in Berlin (summer time)
  const year = new Date().getUTCFullYear() + 1;
  const at = new Date(`${year}-06-01T04:00:00Z`);
  const changes = { tax_classes: [{ code: "RED", name: "Reduced", rate_bp: 700 }], products: [product("A", 120), product("B", 250)] };
  const r = await publishRelease(hq.sql, changes, at, "summer prices");
  await store.catalogReleases.pull();

  for (const html of [await devices(), await devices("/devices/head-office")]) {
    const row = new RegExp(`data-testid="waiting-release" data-version="${r.version}">(.*?)</tr>`, "s").exec(html)?.[1] ?? "";
    expect(row).toContain(`01/06/${year}, 06:00`);
    expect(row).toContain("2 products, 1 tax class");
    expect(html).toContain("Europe/Berlin");
    expect(html).not.toContain("none waiting");
  }
  expect(store.catalog.bySku("A")!.price).toBe(100);

  clock.current = new Date(at.getTime() + 60_000);
  await store.catalogReleases.pull();
  expect(store.catalog.bySku("A")!.price).toBe(120);
  // months later: the manager's session has ended
  manager = await signIn(store, 1, { role: "manager", shift: false });
  const after = await devices();
  expect(after).not.toContain('data-testid="waiting-release"');
  expect(after).toContain("none waiting");
});
