// Prices that come from head office mark their products for new shelf labels like a manager's save does: a real head
// office on a real PostgreSQL publishes two catalog releases, the store pulls them on two days, and "prices changed
// since" the second day finds exactly the product whose price the second release changed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/server/app.ts";
import { openShop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { type HqSql, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";
import { signIn, TestClock } from "../helpers/store.ts";
import { readLabelsPdf } from "./labels-pdf.ts";

let pg: TestPostgres;
let sql: HqSql;
let hq: ReturnType<typeof Bun.serve>;
const dir = mkdtempSync(join(tmpdir(), "shopflow-labels-hq-"));

beforeAll(async () => {
  pg = await startPostgres();
  sql = openHq(pg.url);
  await migrateHq(sql);
  hq = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createHqApp(sql, "test").fetch });
}, 60_000);
afterAll(async () => {
  await hq?.stop(true);
  await sql?.end({ timeout: 5 });
  await pg?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const product = (sku: string, barcode: string, name: string, price: number) => ({ sku, barcode, name, price, tax_class: "RED", category: "Dairy" });

test("a head-office price change is a price change: its product, and only it, gets a label for that day", async () => {
  const reg = await addStore(sql, "Store 9");
  const setup = openShop({ dataDir: dir });
  writeSetting(setup.db, "hq_url", `http://127.0.0.1:${hq.port}`);
  writeSetting(setup.db, "hq_store_id", reg.storeId);
  writeSetting(setup.db, "hq_token", reg.token);
  setup.close();

  // in effect before the store's days (a store applies a release once its own clock reaches it)
  const released = new Date("2026-11-01T00:00:00.000Z");
  await publishRelease(
    sql,
    {
      tax_classes: [{ code: "RED", name: "Reduced", rate_bp: 1000 }],
      products: [product("MILK", "4000000000017", "Milk 1 L", 119), product("BUTTER", "4000000000024", "Butter 250 g", 229)],
    },
    released,
  );
  const clock = new TestClock(new Date("2026-11-25T10:00:00.000Z"));
  const store = openShop({ dataDir: dir, clock });
  try {
    expect(await store.catalogReleases.pull()).toBe(1);
    // the next day head office changes the butter's price and sends the milk again as it was
    clock.current = new Date("2026-11-26T07:00:00.000Z");
    await publishRelease(
      sql,
      { products: [product("MILK", "4000000000017", "Milk 1 L", 119), product("BUTTER", "4000000000024", "Butter 250 g", 249)] },
      released,
    );
    expect(await store.catalogReleases.pull()).toBe(1);
    expect(store.catalog.bySku("BUTTER")!.price).toBe(249);

    const changedAt = (sku: string) => store.db.query<{ at: string }, [string]>("SELECT price_changed_at AS at FROM products WHERE sku = ?").get(sku)!.at;
    expect(changedAt("BUTTER")).toBe("2026-11-26T07:00:00.000Z");
    expect(changedAt("MILK")).toBe("2026-11-25T10:00:00.000Z");

    const supervisor = await signIn(store, 1, { role: "supervisor", shift: false });
    const app = createApp(store);
    const res = await app.request("/stock/labels", {
      method: "POST",
      headers: { ...supervisor.headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ step: "pdf", barcodes: "", since: "2026-11-26" }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    const text = (await readLabelsPdf(new Uint8Array(await res.arrayBuffer()))).flatMap((p) => p.text);
    expect(text).toContain("Butter 250 g");
    expect(text).toContain("€2.49");
    expect(text).not.toContain("Milk 1 L");
    const both = await app.request("/stock/labels/pdf?since=2026-11-25", { headers: supervisor.headers });
    const all = (await readLabelsPdf(new Uint8Array(await both.arrayBuffer()))).flatMap((p) => p.text);
    expect(all).toContain("Butter 250 g");
    expect(all).toContain("Milk 1 L");
  } finally {
    store.close();
  }
}, 60_000);
