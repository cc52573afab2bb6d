// A store's page runs the store, on a real PostgreSQL through the real app: it shows the store's catalog, its last
// days of sales and refunds in money, its reconciliation and its open dead letters; an admin renames it, retires it
// (its token is refused with a sentence, its history stays, it can be re-activated) and gives it a new token while
// the old one keeps working for its grace; every change is in the audit log, never a token; a viewer reads only.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { STORE_ID_HEADER } from "../../src/sync/contracts.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { TOKEN_GRACE_HOURS } from "../../src/sync/hq/stores/rotate-token.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, item, saleDoc } from "./support.ts";

let hq: Hq;
let admin: Visitor;
let viewer: Visitor;

beforeAll(async () => {
  hq = await startHq();
  admin = await signedIn(hq, "Ana", "admin");
  viewer = await signedIn(hq, "Vic", "viewer");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

/** What the store's server does every 30 s: pull the catalog with its token. */
const pull = (storeId: string, token: string) =>
  hq.app.request(`${ORIGIN}/sync/v1/catalog/changes?since=0`, {
    headers: { Authorization: `Bearer ${token}`, Host: "hq.test", [STORE_ID_HEADER]: storeId },
  });

const auditOf = async (storeId: string) =>
  hq.sql<{ who: string; action: string; before: unknown; after: unknown }[]>`
    SELECT who, action, before, after FROM hq_audit WHERE store_id = ${storeId}::uuid ORDER BY id`;

const today = () => hq.clock.now().toISOString().slice(0, 10);

describe("what the page shows", () => {
  let storeId: string;
  beforeAll(async () => {
    storeId = (await addStore(hq.sql, "Harbour Street")).storeId;
    const sale = saleDoc(1, { day: today(), businessDate: today() });
    // a sale, and an item of a kind head office does not know: a dead letter
    const r = await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, sale), item(2, { id: "x-1" }, "mystery")]));
    expect(r.status).toBe(200);
    await hq.sql`UPDATE stores SET catalog_version = 3, catalog_pending = '{5}' WHERE store_id = ${storeId}::uuid`;
    for (const v of [3, 4, 5]) {
      const changes = { tax_classes: [], products: [] };
      await hq.sql`INSERT INTO catalog_releases (version, effective_at, changes) VALUES (${v}, now(), ${hq.sql.json(changes)})`;
    }
  });

  test("catalog applied and pending, sales of the last days in money, reconciliation and the open dead letter", async () => {
    const { res, html } = await admin.page(`/stores/${storeId}`);
    expect(res.status).toBe(200);
    expect(html).toMatch(/data-testid="store-catalog" data-applied="3" data-latest="5"/);
    expect(html).toContain("release 3 applied; release 5 waiting for their time; latest published 5");
    const [sale] = await hq.sql<{ total_minor: number }[]>`SELECT total_minor FROM sales WHERE store_id = ${storeId}::uuid`;
    expect(sale).toBeDefined();
    const euros = (sale!.total_minor / 100).toFixed(2);
    expect(html).toMatch(new RegExp(`data-testid="period-net">[^<]*${euros.replace(".", "[.,]")}`));
    expect(html).toContain(`data-date="${today()}"`);
    expect(html).toContain('data-testid="reconciliation"');
    expect(html).toContain('data-status="not_reported"');
    const [dl] = await hq.sql<{ id: number }[]>`SELECT id FROM dead_letters WHERE store_id = ${storeId}::uuid`;
    expect(html).toContain(`data-testid="store-dead-letter" data-id="${dl!.id}"`);
    expect(html).toContain(`href="/dead-letters/${dl!.id}"`);
    expect(html).toContain('data-testid="rotate-form"');
  });

  test("a viewer reads the page without the admin's forms, and cannot rename", async () => {
    const { res, html } = await viewer.page(`/stores/${storeId}`);
    expect(res.status).toBe(200);
    expect(html).toContain('data-testid="store-sales"');
    expect(html).not.toContain('data-testid="store-admin"');
    const refused = await viewer.request("POST", `/stores/${storeId}/rename`, { form: { name: "Mine now" } });
    expect(refused.status).toBe(403);
    const [st] = await hq.sql<{ name: string }[]>`SELECT name FROM stores WHERE store_id = ${storeId}::uuid`;
    expect(st!.name).toBe("Harbour Street");
  });
});

describe("an admin runs the store", () => {
  let storeId: string;
  let token: string;
  beforeAll(async () => {
    ({ storeId, token } = await addStore(hq.sql, "Mill Lane"));
  });

  test("rename: the new name on the page, the old and new in the audit log; an empty name is refused", async () => {
    await admin.page(`/stores/${storeId}`);
    const res = await admin.request("POST", `/stores/${storeId}/rename`, { form: { name: "Mill Lane (North)" } });
    expect(res.status).toBe(303);
    expect((await admin.page(`/stores/${storeId}`)).html).toContain("<h1>Mill Lane (North)");
    const bad = await admin.request("POST", `/stores/${storeId}/rename`, { form: { name: "  " } });
    expect(bad.status).toBe(422);
    expect([...(await auditOf(storeId))]).toEqual([
      { who: "Ana", action: "store.renamed", before: { name: "Mill Lane" }, after: { name: "Mill Lane (North)" } },
    ]);
  });

  test("retire: the token is refused with 401 and a sentence, the store leaves no error on its row; re-activated, it works again", async () => {
    expect((await pull(storeId, token)).status).toBe(200);
    await admin.page(`/stores/${storeId}`);
    const unticked = await admin.request("POST", `/stores/${storeId}/retire`, { form: {} });
    expect(unticked.status).toBe(422);
    expect((await pull(storeId, token)).status).toBe(200);

    const res = await admin.request("POST", `/stores/${storeId}/retire`, { form: { confirm: "1" } });
    expect(res.status).toBe(303);
    const refused = await pull(storeId, token);
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe("store_token_invalid");
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("retired at head office");
    const [row] = await hq.sql<{ last_error: string | null; retired_by: string }[]>`
      SELECT last_error, retired_by FROM stores WHERE store_id = ${storeId}::uuid`;
    expect(row).toEqual({ last_error: null, retired_by: "Ana" });
    const page = (await admin.page(`/stores/${storeId}`)).html;
    expect(page).toContain('data-testid="store-retired"');
    expect(page).toContain('data-testid="reactivate-form"');
    expect(page).not.toContain('data-testid="rotate-form"');
    // a retired store gets no new token: re-activate first
    const rotate = await admin.request("POST", `/stores/${storeId}/rotate-token`, { form: {} });
    expect(rotate.status).toBe(409);

    expect((await admin.request("POST", `/stores/${storeId}/reactivate`, { form: {} })).status).toBe(303);
    expect((await pull(storeId, token)).status).toBe(200);
    expect((await auditOf(storeId)).map((a) => a.action)).toEqual(["store.renamed", "store.retired", "store.reactivated"]);
  });

  test("rotate: a new token shown once; the old one works within the grace, not after; the audit line holds no token", async () => {
    await admin.page(`/stores/${storeId}`);
    const res = await admin.request("POST", `/stores/${storeId}/rotate-token`, { form: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    const fresh = /data-testid="token">([^<]+)</.exec(html)?.[1];
    expect(fresh).toMatch(/^sfhq_/);
    expect(fresh).not.toBe(token);
    // shown once: the page read again does not hold it
    expect((await admin.page(`/stores/${storeId}`)).html).not.toContain(fresh!);

    expect((await pull(storeId, token)).status).toBe(200);
    expect((await pull(storeId, fresh!)).status).toBe(200);
    hq.clock.advance((TOKEN_GRACE_HOURS - 1) * 3_600_000);
    expect((await pull(storeId, token)).status).toBe(200);
    hq.clock.advance(2 * 3_600_000);
    const old = await pull(storeId, token);
    expect(old.status).toBe(401);
    expect(await errorCode(old)).toBe("store_token_invalid");
    expect((await pull(storeId, fresh!)).status).toBe(200);

    const audit = await auditOf(storeId);
    expect(audit.at(-1)!.action).toBe("store.token_rotated");
    expect(audit.at(-1)!.who).toBe("Ana");
    expect(JSON.stringify(audit)).not.toContain(fresh!.slice(5));
    expect(JSON.stringify(audit)).not.toContain(token.slice(5));
  });
});
