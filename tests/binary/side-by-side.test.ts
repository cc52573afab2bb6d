// A store and head office run side by side as a shop runs them: both from the compiled binary, head office on a real
// PostgreSQL, the store's catalog coming down from head office, its sales going up — and head office killed -9 and
// started again while the store sells on.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";
import { buildBinary, type Running, runCommand, startServer } from "../helpers/server.ts";
import { codes } from "../helpers/store.ts";

const work = mkdtempSync(join(tmpdir(), "shopflow-side-"));
const bin = join(work, "shopflow");
const data = join(work, "store-data");
const env = { PATH: "/usr/bin:/bin", SHOPFLOW_DATA: "", SHOPFLOW_HQ_DATABASE_URL: "" };
let pg: TestPostgres;
const running: Running[] = [];

beforeAll(async () => {
  copyFileSync(await buildBinary(), bin);
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const r of running) if (r.proc.exitCode === null) await r.kill();
  await pg?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function shopflow(...args: string[]): Promise<string> {
  const r = await runCommand([bin], args, env);
  if (r.code !== 0) throw new Error(`shopflow ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Ask again until `done` says yes (at most 30 s): head office is eventually complete, not at once. */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 300 && !done(v); i++) {
    await Bun.sleep(100);
    v = await read();
  }
  return v;
}

type Figures = { sales_count: number; total_minor: number; tax_minor: number; by_method: Record<string, number> };
const figures = (s: Figures) => ({ sales_count: s.sales_count, total_minor: s.total_minor, tax_minor: s.tax_minor, by_method: s.by_method });

test("head office's catalog reaches the store, the store's sales reach head office once, through a head-office crash", async () => {
  const url = pg.url;
  const added = (await shopflow("hq", "store", "add", "--name", "Store 12", "--database-url", url)).trim().split("\n");
  const storeId = /store id: (\S+)/.exec(added.join("\n"))![1]!;
  const storeToken = added.at(-1)!;
  const apiToken = (await shopflow("hq", "token", "create", "--name", "Reconciliation", "--database-url", url)).trim().split("\n").at(-1)!;
  const changes = join(work, "catalog.json");
  writeFileSync(
    changes,
    JSON.stringify({
      tax_classes: [
        { code: "RED", name: "Reduced", rate_bp: 1000 },
        { code: "STD", name: "Standard", rate_bp: 2000 },
      ],
      products: [
        { sku: "MILK-1L", barcode: codes.milk, name: "Fresh Milk 1 L", price: 119, tax_class: "RED", category: "Dairy" },
        { sku: "WINE-RED", barcode: codes.wine, name: "Rioja Crianza 0.75 L", price: 1299, tax_class: "STD", category: "Drinks" },
      ],
    }),
  );
  expect(await shopflow("hq", "release", "--file", changes, "--database-url", url)).toContain("catalog release 1 published");

  let hq = await startServer([bin], ["--database-url", url], env, "hq");
  running.push(hq);
  const hqPort = hq.port;
  await shopflow("token", "create", "--name", "Webshop", "--data", data); // makes the store database
  const sellToken = (await shopflow("token", "create", "--name", "Lane API", "--data", data)).trim().split("\n").at(-1)!;
  const store = await startServer([bin], ["--data", data, "--hq-url", hq.url, "--hq-store", storeId, "--hq-token", storeToken], env);
  running.push(store);

  // the catalog came down at start: the store sells head office's products at head office's prices
  const health = await eventually(
    () => json<{ catalog_version: string }>(`${store.url}/healthz`),
    (h) => h.catalog_version === "1",
  );
  expect(health.catalog_version).toBe("1");
  const sell = (barcode: string, method: "cash" | "card", amount: number) =>
    json<{ total: number }>(`${store.url}/api/v1/sales`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sellToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ lines: [{ barcode, qty: 2 }], payments: [{ method, amount }] }),
    });
  expect((await sell(codes.milk, "cash", 500)).total).toBe(238);
  expect((await sell(codes.wine, "card", 2598)).total).toBe(2598);
  expect((await sell(codes.milk, "cash", 238)).total).toBe(238);

  const api = { headers: { Authorization: `Bearer ${apiToken}` } };
  const atHq = () => json<Figures & { last_seq: number }>(`${hq.url}/api/v1/stores/${storeId}/summary`, api);
  const atStore = () => json<Figures>(`${store.url}/api/v1/summary`, { headers: { Authorization: `Bearer ${sellToken}` } });
  expect(figures(await eventually(atHq, (s) => s.sales_count === 3))).toEqual(figures(await atStore()));

  // head office dies hard; the store sells on and keeps what it could not send
  await hq.kill();
  await sell(codes.wine, "cash", 3000);
  await sell(codes.milk, "card", 238);
  const waiting = await json<{ sync: { pending: number } }>(`${store.url}/healthz`);
  expect(waiting.sync.pending).toBeGreaterThanOrEqual(2);

  hq = await startServer([bin], ["--database-url", url], env, "hq", hqPort);
  running.push(hq);
  const after = await eventually(atHq, (s) => s.sales_count === 5);
  expect(figures(after)).toEqual(figures(await atStore()));
  // five sales, and the stock movements they made go up beside them (their own outbox kind, a few seconds later)
  expect(after.last_seq).toBeGreaterThanOrEqual(5);
  const listed = () => json<{ data: { id: string; sales_count: number; total_minor: number; items_waiting: number | null }[] }>(`${hq.url}/api/v1/stores`, api);
  const stores = await eventually(listed, (l) => l.data.some((s) => s.id === storeId && s.items_waiting === 0));
  expect(stores.data.find((s) => s.id === storeId)).toMatchObject({ sales_count: 5, total_minor: after.total_minor, items_waiting: 0 });
  await eventually(
    () => json<{ sync: { pending: number } }>(`${store.url}/healthz`),
    (h) => h.sync.pending === 0,
  );
  await store.stop();
  expect(store.proc.exitCode).toBe(0);
}, 120_000);
