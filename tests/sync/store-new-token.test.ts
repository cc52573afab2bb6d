// A store takes the new token head office gave it, without stopping: head office rotates the token, the store sells
// and sends on with the old one during the grace, its manager types the new one on the Devices page (address and
// store id stay) or runs 'shopflow sync set-token', and after the grace only the new one is taken. Real PostgreSQL,
// real SQLite, real TCP between them.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/server/cli/index.ts";
import { openShop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { TOKEN_GRACE_HOURS } from "../../src/sync/hq/stores/rotate-token.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { codes, makeTestStore, signIn } from "../helpers/store.ts";
import { type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";

let hq: Hq;
let admin: Visitor;
let server: ReturnType<typeof Bun.serve>;
let url: string;
const dirs: string[] = [];

beforeAll(async () => {
  hq = await startHq();
  admin = await signedIn(hq, "Ana", "admin");
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: hq.app.fetch });
  url = `http://127.0.0.1:${server.port}`;
}, 60_000);
afterAll(async () => {
  server?.stop(true);
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The admin gives the store a new token on its page; what the page showed once. */
async function rotate(storeId: string): Promise<string> {
  await admin.page(`/stores/${storeId}`);
  const res = await admin.request("POST", `/stores/${storeId}/rotate-token`, { form: {} });
  expect(res.status).toBe(200);
  return /data-testid="token">([^<]+)</.exec(await res.text())![1]!;
}

const held = async (storeId: string) => (await hq.sql<{ n: number }[]>`SELECT count(*)::int8 AS n FROM sales WHERE store_id = ${storeId}::uuid`)[0]!.n;

test("rotated at head office: the store sends on with the old token, takes the new one on its Devices page, and keeps sending after the grace", async () => {
  const t = makeTestStore();
  try {
    const { storeId, token } = await addStore(hq.sql, "Quay Road");
    const manager = await signIn(t.store, 9, { role: "manager", shift: false });
    const post = (fields: Record<string, string>) =>
      t.app.request("/devices/head-office", {
        method: "POST",
        headers: { ...manager.headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    const sellAndSend = async () => {
      t.store.checkout.sell(t.registerId, [{ barcode: codes.milk }], [{ method: "cash", amount: 500 }]);
      await t.store.sync.tick();
      return t.store.sync.status();
    };
    expect((await post({ hq_url: url, hq_store_id: storeId, hq_token: token })).status).toBe(303);
    expect((await sellAndSend()).pending).toBe(0);

    const fresh = await rotate(storeId);
    // the store has not been told yet: it sells and sends with the old token
    expect((await sellAndSend()).pending).toBe(0);
    expect(await held(storeId)).toBe(2);

    // the manager types only the token; the page says how, and the address and store id stay
    const devices = await (await t.app.request("/devices", { headers: manager.headers })).text();
    expect(devices).toContain('data-testid="new-token-hint"');
    expect((await post({ hq_url: url, hq_store_id: storeId, hq_token: fresh })).status).toBe(303);
    expect(t.store.headOffice()).toEqual({ url, storeId, token: fresh });
    const audit = t.store.db.query<{ detail: string }, []>("SELECT detail FROM audit_log WHERE action = 'settings.changed'").all();
    expect(audit.map((a) => a.detail).join()).not.toContain(fresh);

    hq.clock.advance((TOKEN_GRACE_HOURS + 1) * 3_600_000);
    const after = await sellAndSend();
    expect(after.pending).toBe(0);
    expect(after.lastError).toBeNull();
    expect(await held(storeId)).toBe(3);
  } finally {
    t.close();
  }
});

test("'shopflow sync set-token' gives the store the new token; a store left on the old one is refused after the grace", async () => {
  const { storeId, token } = await addStore(hq.sql, "Station Square");
  const dir = mkdtempSync(join(tmpdir(), "shopflow-token-"));
  dirs.push(dir);
  const first = openShop({ dataDir: dir });
  writeSetting(first.db, "hq_url", url);
  writeSetting(first.db, "hq_store_id", storeId);
  writeSetting(first.db, "hq_token", token);
  first.close();

  // the first test moved head office's clock past the admin's session: sign in again
  admin = await signedIn(hq, "Bea", "admin");
  const fresh = await rotate(storeId);
  hq.clock.advance((TOKEN_GRACE_HOURS + 1) * 3_600_000);
  // the store's next exchange with the old token, as its catalog puller makes it
  const stale = await fetch(`${url}/sync/v1/catalog/changes?since=0`, { headers: { Authorization: `Bearer ${token}` } });
  expect(stale.status).toBe(401);

  expect(await runCli(["sync", "set-token", "--data", dir])).toBe(2);
  expect(await runCli(["sync", "set-token", fresh, "--data", dir])).toBe(0);
  const store = openShop({ dataDir: dir });
  try {
    expect(store.headOffice()).toEqual({ url, storeId, token: fresh });
    const [log] = store.db
      .query<{ register: string | null; detail: string }, []>("SELECT register, detail FROM audit_log WHERE action = 'settings.changed'")
      .all();
    expect(log!.register).toBe("command line");
    expect(log!.detail).not.toContain(fresh);
  } finally {
    store.close();
  }
});
