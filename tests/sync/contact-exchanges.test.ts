// How head office hears from a store: every exchange counts (a catalog pull, not only a batch of sales), a refused one
// leaves its reason on the store's row (a wrong token shows before the store's next sale), and lag is what waits at
// the store, not the time since its last sale. Real stores over real HTTP, against a real PostgreSQL.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { type Hq, signedIn } from "./hq-support.ts";
import { sell as sellAtLane1, withLinkedStores } from "./linked-stores.ts";

const open: Shop[] = [];
afterAll(() => {
  for (const s of open) s.close();
});
const linked = withLinkedStores();
let hq: Hq;
beforeAll(() => {
  hq = linked.hq;
});

/** A store registered at head office and connected to it, with the token it was given unless `token` says another. */
async function store(name: string, token?: string) {
  const link = await linked.registered(name);
  const shop = linked.connected({ ...link, token: token ?? link.token });
  open.push(shop);
  return { ...link, shop };
}

type Link = {
  last_contact_at: Date | null;
  last_error_code: string | null;
  last_error: string | null;
  last_error_at: Date | null;
  last_error_resolved_at: Date | null;
  sales_blocked_at: Date | null;
};
const linkOf = async (storeId: string) =>
  (
    await hq.sql<Link[]>`SELECT last_contact_at, last_error_code, last_error, last_error_at, last_error_resolved_at, sales_blocked_at
      FROM stores WHERE store_id = ${storeId}::uuid`
  )[0]!;

/** The store as head office's API gives it: lag and items waiting. */
async function apiStore(storeId: string): Promise<{ lag: number | null; items_waiting: number | null; last_contact_at: string | null }> {
  const { secret } = await createApiToken(hq.sql, `contact ${storeId.slice(0, 8)}`, "test");
  const res = await hq.app.request(`/api/v1/stores/${storeId}/summary`, { headers: { Authorization: `Bearer ${secret}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { lag: number | null; items_waiting: number | null; last_contact_at: string | null };
}

/** One milk a sale. */
const sell = (shop: Shop, n: number): void => void sellAtLane1(shop, n, () => 1);

test("a connected idle store that only pulls its catalog is heard from, and is not behind", async () => {
  const { storeId, shop } = await store("Idle 1");
  expect((await linkOf(storeId)).last_contact_at).toBeNull();
  await shop.catalogReleases.pull();

  expect((await linkOf(storeId)).last_contact_at).not.toBeNull();
  const api = await apiStore(storeId);
  expect(api).toMatchObject({ lag: 0, items_waiting: 0 });
  const viewer = await signedIn(hq, "Vic", "viewer");
  const { html } = await viewer.page("/");
  const row = new RegExp(`<tr data-store-id="${storeId}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";
  expect(row).toContain('<time datetime="');
  expect(row).not.toMatch(/>never</);
});

test("a store with a wrong token: head office says so on its row before it sells, and again when it is fine", async () => {
  // the manager mistyped the token on the store's Devices page
  const { storeId, token: rightToken, shop } = await store("Wrong token 1", "sfhq_not-the-token-at-all");

  await shop.catalogReleases.pull();
  const refused = await linkOf(storeId);
  expect(refused).toMatchObject({ last_contact_at: null, last_error_code: "store_token_invalid", last_error_resolved_at: null });
  expect(refused.last_error).toContain("token head office does not know");
  expect(refused.last_error_at).not.toBeNull();
  expect(refused.sales_blocked_at).not.toBeNull(); // nothing it sells can arrive

  // a token for an id that is not a store, or no id at all, writes nothing anywhere
  const before = await hq.sql`SELECT count(*)::int AS n FROM stores WHERE last_error_at IS NOT NULL`;
  for (const id of ["00000000-0000-7000-8000-000000000000", "not-an-id"]) {
    const res = await hq.app.request("/sync/v1/catalog/changes?since=0", { headers: { Authorization: "Bearer sfhq_wrong", "ShopFlow-Store": id } });
    expect(res.status).toBe(401);
  }
  expect(await hq.sql`SELECT count(*)::int AS n FROM stores WHERE last_error_at IS NOT NULL`).toEqual(before);

  // the manager types the right token: the next pull is contact, and the error is kept as resolved
  writeSetting(shop.db, "hq_token", rightToken);
  await shop.catalogReleases.pull();
  const fine = await linkOf(storeId);
  expect(fine.last_contact_at).not.toBeNull();
  expect(fine.last_error_code).toBe("store_token_invalid");
  expect(fine.last_error_resolved_at).not.toBeNull();
  expect(fine.sales_blocked_at).toBeNull();
});

test("a refused batch is the store's last error, with its reason, until a batch is taken again", async () => {
  const { storeId, token } = await store("Refused 1");
  const res = await hq.app.request("/sync/v1/batches", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ store_id: storeId, epoch: "E1", from_seq: 1, to_seq: 1, items: "nothing" }),
  });
  expect(res.status).toBe(422);
  const l = await linkOf(storeId);
  expect(l).toMatchObject({ last_error_code: "invalid_batch", last_error: "items must be an array.", last_error_resolved_at: null });
  expect(l.last_contact_at).not.toBeNull();
  expect(l.sales_blocked_at).not.toBeNull();
  // a catalog pull going through does not make the batches fine
  await hq.app.request("/sync/v1/catalog/changes?since=0", { headers: { Authorization: `Bearer ${token}` } });
  expect((await linkOf(storeId)).last_error_resolved_at).toBeNull();
});

test("lag is what waits at the store, said with every exchange, not the time since its last sale", async () => {
  const { storeId, shop } = await store("Lagging 1");
  sell(shop, 3);
  // the sales were made ten minutes ago and not sent yet (the link was down); now only the catalog pull gets through
  const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString();
  shop.db.query("UPDATE outbox SET created_at = ?").run(tenMinutesAgo);
  await shop.catalogReleases.pull();
  const behind = await apiStore(storeId);
  expect(behind.items_waiting).toBe(3);
  expect(behind.lag).toBeGreaterThanOrEqual(600);

  // everything sent: nothing waits, head office is not behind however long ago the last sale was
  for (let i = 0; i < 10 && shop.sync.status().pending > 0; i++) await shop.sync.sendNow();
  expect(shop.sync.status().pending).toBe(0);
  expect(await apiStore(storeId)).toMatchObject({ lag: 0, items_waiting: 0 });
  await shop.catalogReleases.pull();
  expect(await apiStore(storeId)).toMatchObject({ lag: 0, items_waiting: 0 });
});
