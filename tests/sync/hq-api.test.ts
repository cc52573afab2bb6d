// Head office's per-store summary reconciles with the store's own, the store list gives the same figures, the API
// answers only with a token, and the dashboard (behind sign-in) lists the stores.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { isCalendarDate } from "../../src/domain/kernel/calendar.ts";
import type { Shop } from "../../src/server/compose.ts";
import { storeSummary } from "../../src/sync/hq/api/summary.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { type HqSql, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addUser } from "../../src/sync/hq/people/users.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";
import { codes } from "../helpers/store.ts";
import { Visitor } from "./hq-support.ts";
import { batch, connectedStore, items } from "./support.ts";

let pg: TestPostgres;
let sql: HqSql;
let hq: ReturnType<typeof Bun.serve>;
let app: ReturnType<typeof createHqApp>;
let base: string;
let apiToken: string;
const dirs: string[] = [];
const stores: Shop[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  sql = openHq(pg.url);
  await migrateHq(sql);
  app = createHqApp(sql, "test", { allowedHosts: ["hq.test"] });
  hq = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
  base = `http://127.0.0.1:${hq.port}`;
  apiToken = (await createApiToken(sql, "tests", "test")).secret;
}, 60_000);

afterAll(async () => {
  await hq?.stop(true);
  for (const s of stores) s.close();
  await sql?.end({ timeout: 5 });
  await pg?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function newStore(link: { storeId: string; token: string }): Shop {
  const store = connectedStore({ url: base, ...link }, dirs);
  stores.push(store);
  return store;
}

function sell(store: Shop, n: number): void {
  const registerId = store.db.query<{ id: number }, []>("SELECT id FROM registers WHERE name = 'Lane 1'").get()!.id;
  for (let i = 0; i < n; i++) {
    const lines = [{ barcode: codes.milk, qty: 1 + (i % 3) }, { barcode: codes.bread }];
    // cash with change, and card and cash together, so by_method has both and cash is net of change
    const payments =
      i % 2 === 0
        ? [{ method: "cash" as const, amount: 2000 }]
        : [
            { method: "card" as const, amount: 150 },
            { method: "cash" as const, amount: 2000 },
          ];
    store.checkout.sell(registerId, lines, payments);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies of many shapes
async function getJson(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { headers: { Authorization: `Bearer ${apiToken}` } });
  return { status: res.status, body: await res.json() };
}

test("head office's summary of a store equals the store's own for the same day", async () => {
  const reg = await addStore(sql, "Store 21");
  const store = newStore(reg);
  sell(store, 12);
  await store.sync.tick();
  expect(store.sync.status()).toMatchObject({ pending: 0, lastError: null });

  const days = store.db
    .query<{ d: string }, []>("SELECT DISTINCT business_date AS d FROM sales WHERE status = 'completed'")
    .all()
    .map((r) => r.d);
  expect(days.length).toBeGreaterThan(0);
  for (const d of days) {
    const mine = store.reports.summary({ kind: "date", from: d, to: d });
    const { status, body } = await getJson(`/api/v1/stores/${reg.storeId}/summary?from=${d}&to=${d}`);
    expect(status).toBe(200);
    const pick = (s: { sales_count: number; total_minor: number; tax_minor: number; by_method: Record<string, number> }) => ({
      sales_count: s.sales_count,
      total_minor: s.total_minor,
      tax_minor: s.tax_minor,
      by_method: s.by_method,
    });
    expect(pick(body)).toEqual(pick(mine));
    expect(body.by_method.cash).toBeDefined();
    expect(body.by_method.card).toBe(6 * 150);
    expect(body).toMatchObject({
      store_id: reg.storeId,
      from: d,
      to: d,
      last_seq: 12,
      discount_minor: mine.discount_minor,
      rounding_minor: mine.rounding_minor,
    });
    expect(body.lag).toBeGreaterThanOrEqual(0);
    expect(body.lag).toBeLessThan(60);
  }
  // open-ended: everything head office holds
  const all = await storeSummary(sql, reg.storeId, { from: null, to: null });
  expect(all!.sales_count).toBe(12);
});

test("a store never heard from has lag null and zero sales", async () => {
  const reg = await addStore(sql, "Store 22");
  const { status, body } = await getJson(`/api/v1/stores/${reg.storeId}/summary`);
  expect(status).toBe(200);
  expect(body).toMatchObject({ sales_count: 0, total_minor: 0, tax_minor: 0, by_method: {}, last_seq: 0, lag: null });
});

test("unknown or malformed store ids are 404, bad dates 400, never a 5xx", async () => {
  const unknown = await getJson("/api/v1/stores/0190f4f2-0000-7000-8000-000000000000/summary");
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe("store_not_found");
  for (const id of ["not-a-uuid", "0190f4f2-0000-7000-8000-00000000000", "%00", "'; DROP TABLE stores; --"]) {
    expect((await getJson(`/api/v1/stores/${encodeURIComponent(id)}/summary`)).status).toBe(404);
  }
  const reg = await addStore(sql, "Store 23");
  for (const q of [
    "from=2026-02-30",
    "to=yesterday",
    "from=0000-01-01",
    "from=2026-11-25T09:00:00Z",
    "from=2026-11-26&to=2026-11-25",
    "from=99999-01-01",
    "to=2026-13-01",
  ]) {
    const r = await getJson(`/api/v1/stores/${reg.storeId}/summary?${q}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_period");
  }
  expect(isCalendarDate("2024-02-29")).toBe(true);
  expect(isCalendarDate("2025-02-29")).toBe(false);
  expect(isCalendarDate("1900-02-29")).toBe(false);
  expect((await getJson(`/api/v1/stores/${reg.storeId}/summary?from=2024-02-29&to=9999-12-31`)).status).toBe(200);
});

test("the store list gives each store the same figures as its own summary, for any period", async () => {
  const reg = await addStore(sql, "Store 24");
  const store = newStore(reg);
  sell(store, 5);
  await store.sync.tick();
  const days = store.db
    .query<{ d: string }, []>("SELECT DISTINCT business_date AS d FROM sales WHERE status = 'completed'")
    .all()
    .map((r) => r.d);
  const periods = ["", ...days.map((d) => `from=${d}&to=${d}`), `from=${days[0]}`, `to=${days[0]}`, "from=2001-01-01&to=2001-01-31"];
  for (const q of periods) {
    const list = await getJson(`/api/v1/stores${q ? `?${q}` : ""}`);
    expect(list.status).toBe(200);
    const ids = new Set<string>();
    for (const s of list.body.data as {
      id: string;
      name: string;
      sales_count: number;
      total_minor: number;
      last_seq: number;
      lag: number | null;
      last_contact_at: string | null;
      restored_epoch_reported: boolean;
    }[]) {
      ids.add(s.id);
      expect(Object.keys(s).sort()).toEqual([
        "id",
        "items_waiting",
        "lag",
        "last_contact_at",
        "last_seq",
        "name",
        "net_minor",
        "refund_minor",
        "restored_epoch_reported",
        "returns_count",
        "sales_count",
        "total_minor",
      ]);
      const one = await getJson(`/api/v1/stores/${s.id}/summary${q ? `?${q}` : ""}`);
      expect([q, s.name, s.sales_count, s.total_minor, s.last_seq, (s as { items_waiting?: unknown }).items_waiting]).toEqual([
        q,
        s.name,
        one.body.sales_count,
        one.body.total_minor,
        one.body.last_seq,
        one.body.items_waiting,
      ]);
      expect(s.lag === null).toBe(one.body.lag === null);
      expect(s.lag === null).toBe(s.last_contact_at === null);
      expect(s.restored_epoch_reported).toBe(false);
    }
    expect(ids.has(reg.storeId)).toBe(true);
  }
  const mine = (await getJson("/api/v1/stores")).body.data.find((s: { id: string }) => s.id === reg.storeId);
  expect(mine).toMatchObject({ name: "Store 24", sales_count: 5, last_seq: 5 });
  expect(mine.total_minor).toBeGreaterThan(0);
  expect(mine.lag).toBeGreaterThanOrEqual(0);
  const quiet = (await getJson("/api/v1/stores")).body.data.find((s: { name: string }) => s.name === "Store 22");
  expect(quiet).toMatchObject({ sales_count: 0, total_minor: 0, last_seq: 0, lag: null, last_contact_at: null });
  // one day only: the figures of that day alone, never another's
  const none = (await getJson("/api/v1/stores?from=2001-01-01&to=2001-01-31")).body.data.find((s: { id: string }) => s.id === reg.storeId);
  expect(none).toMatchObject({ sales_count: 0, total_minor: 0, last_seq: 5 });
  for (const q of ["from=2026-02-30", "to=yesterday", "from=2026-11-26&to=2026-11-25", "from=2026-11-25T09:00:00Z"]) {
    const r = await getJson(`/api/v1/stores?${q}`);
    expect([q, r.status, r.body.error.code]).toEqual([q, 400, "invalid_period"]);
    expect(r.body.error.message.length).toBeGreaterThan(10);
  }
});

test("the API answers nobody without a token", async () => {
  for (const path of ["/api/v1/stores", `/api/v1/stores/0190f4f2-0000-7000-8000-000000000000/summary`]) {
    const res = await fetch(base + path);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("api_token_required");
  }
});

test("the dashboard, after sign-in, lists the stores with their last contact, last_seq and today's sales", async () => {
  const v = new Visitor({ app });
  expect((await v.request("GET", "/")).headers.get("Location")).toBe("/setup");
  await addUser(sql, { name: "Viewer", role: "viewer", password: "viewer-password", createdBy: "test" });
  expect((await v.request("GET", "/")).headers.get("Location")).toBe("/login?next=%2F");
  expect((await v.signIn("Viewer", "viewer-password")).status).toBe(303);
  const { res, html } = await v.page("/");
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("text/html");
  expect(html).toContain("Store 21");
  expect(html).toContain("Store 22");
  expect(html).toContain('data-testid="dead-letters"');
  expect(html).toContain("Sales by day and store");
  expect(html).toContain('href="/reconciliation"');
  expect(html).not.toContain("Register a store"); // a viewer does not register stores
  expect(html).not.toMatch(/<script>|\sstyle=/);
  const [row] = await sql<{ store_id: string }[]>`SELECT store_id::text FROM stores WHERE name = 'Store 21'`;
  const storeRow = html.slice(html.indexOf(`data-store-id="${row!.store_id}"`));
  expect(storeRow.slice(0, storeRow.indexOf("</tr>"))).toContain(">12<"); // last_seq
});

test("head office shows how many items wait at a store, from what the store says it holds with each batch", async () => {
  const reg = await addStore(sql, "Store waiting");
  const api = async () =>
    (
      (await (await fetch(`${base}/api/v1/stores`, { headers: { Authorization: `Bearer ${apiToken}` } })).json()) as {
        data: { id: string; items_waiting: number | null }[];
      }
    ).data.find((s) => s.id === reg.storeId)!.items_waiting;
  expect(await api()).toBeNull(); // never heard of
  const list = items(1, 10);
  const send = (from: number, to: number, top: number) =>
    receiveBatch(sql, reg.storeId, { ...batch(reg.storeId, "E1", list.slice(from - 1, to)), outbox_top: top });
  expect((await send(1, 4, 10)).status).toBe(200);
  expect(await api()).toBe(6);
  expect((await storeSummary(sql, reg.storeId, { from: null, to: null }))!.items_waiting).toBe(6);
  expect((await send(5, 10, 10)).status).toBe(200);
  expect(await api()).toBe(0);
  // a top below what the batch carries is not believed
  const bad = await send(1, 10, 3);
  expect(bad.status).toBe(422);
});

test("the dashboard's 'today' is head office's own calendar day, in its time zone", async () => {
  const late = createHqApp(sql, "test", { clock: { now: () => new Date("2026-11-25T20:30:00Z") }, timeZone: "Pacific/Auckland", allowedHosts: ["hq.test"] });
  await addUser(sql, { name: "Kiri", role: "viewer", password: "kiri-password-1", createdBy: "test" });
  const v = new Visitor({ app: late });
  expect((await v.signIn("Kiri", "kiri-password-1")).status).toBe(303);
  const { html } = await v.page("/");
  expect(html).toContain("Today&quot; is 2026-11-26 (Pacific/Auckland)");
});
