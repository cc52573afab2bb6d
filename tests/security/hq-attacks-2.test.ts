// Head office's newest parts attacked (issue 15): price lists by region, store limits on people and API tokens, the old
// store tokens' grace, and a store applying region prices. As an intruder on the shop's network, a store with another's
// token, or a person with a low role or limited to some stores: nothing of another store is seen or changed, no role is
// gained, no old token works past its grace, no odd input gets a 5xx, and every price a store sells at is the one its
// own price, its region's and the chain's say — also when a store leaves a region in the release that takes one of the
// region's prices back, or when its move was drafted while another publish moved it. Real PostgreSQL, the real app
// in-process, real stores on SQLite pulling through it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { Shop } from "../../src/server/compose.ts";
import { STORE_ID_HEADER } from "../../src/sync/contracts.ts";
import { TOKEN_GRACE_HOURS } from "../../src/sync/hq/stores/rotate-token.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, footprint, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "../sync/hq-support.ts";
import { linkedStore, openingCatalog, pricePages } from "../sync/price-list-support.ts";
import { batch, item, saleDoc } from "../sync/support.ts";

let hq: Hq;
let admin: Visitor;
/** Carl: the catalog role, every store. */
let carl: Visitor;
/** Lena: the catalog role, limited to North. */
let lena: Visitor;
/** Vera: a viewer. */
let vera: Visitor;
let north: RegisteredStore;
let south: RegisteredStore;
/** A region South is in, which Lena may read but whose store she may not see. */
let coast = 0;
let addRegion: (name: string) => Promise<number>;
let draft: (path: string, form: Record<string, string>) => Promise<void>;
let publish: (at?: Date) => Promise<number | string>;
const dirs: string[] = [];
const shops: Shop[] = [];

beforeAll(async () => {
  hq = await startHq();
  await openingCatalog(hq);
  north = await addStore(hq.sql, "North Street");
  south = await addStore(hq.sql, "South Quay");
  admin = await signedIn(hq, "Ada", "admin");
  carl = await signedIn(hq, "Carl", "catalog");
  ({ addRegion, draft, publish } = pricePages(carl));
  lena = await signedIn(hq, "Lena", "catalog");
  vera = await signedIn(hq, "Vera", "viewer");
  const lenaId = (await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Lena'`)[0]!.id;
  await admin.page(`/users/${lenaId}`);
  expect((await admin.request("POST", `/users/${lenaId}/stores`, { form: { which: "some", [`store:${north.storeId}`]: "on" } })).status).toBe(200);
  coast = await addRegion("Coast");
  await draft(`/catalog/regions/${coast}/stores`, { store_id: south.storeId });
  expect(typeof (await publish())).toBe("number");
}, 60_000);
afterAll(async () => {
  for (const s of shops) s.close();
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A real store of head office's: what its till sells a product at after taking what head office has. */
const storeOf = (reg: RegisteredStore) => linkedStore(hq, reg, { dirs, shops }).price;

describe("a store's region prices at the store", () => {
  test("a store leaving a region in the release that takes the region's price back to the chain's sells at the chain's price", async () => {
    const hills = await addRegion("Hills");
    const plain = await addRegion("Plain");
    const reg = await addStore(hq.sql, "Hill Farm");
    const price = storeOf(reg);
    await draft(`/catalog/regions/${hills}/stores`, { store_id: reg.storeId });
    await draft(`/catalog/regions/${hills}/prices`, { sku: "MILK", price: "1.09" });
    await publish();
    expect(await price("MILK")).toBe(109);
    // one release: Hills' milk back to the chain's price, and the store off to Plain, which has no milk price
    await draft(`/catalog/regions/${hills}/prices`, { sku: "MILK", price: "" });
    await draft(`/catalog/regions/${plain}/stores`, { store_id: reg.storeId });
    expect(typeof (await publish())).toBe("number");
    expect(await price("MILK")).toBe(119);
    // a store of the same installation starting again from nothing is told the same
    const snapshot = await (await hq.app.request(`${ORIGIN}/sync/v1/catalog/changes?since=0`, { headers: { Authorization: `Bearer ${reg.token}` } })).json();
    expect(snapshot.snapshot.changes.region_prices ?? []).toEqual([]);
  });

  test("a move drafted while another publish moved the store leaves none of the region it is really in", async () => {
    const lakes = await addRegion("Lakes");
    const vale = await addRegion("Vale");
    const moor = await addRegion("Moor");
    const reg = await addStore(hq.sql, "Lake Side");
    const price = storeOf(reg);
    await draft(`/catalog/regions/${vale}/prices`, { sku: "BREAD", price: "3.19" });
    await draft(`/catalog/regions/${lakes}/stores`, { store_id: reg.storeId });
    await publish();
    await draft(`/catalog/regions/${vale}/stores`, { store_id: reg.storeId });
    await publish();
    expect(await price("BREAD")).toBe(319);
    // Carl drafted the move to Moor as the move to Vale committed: his draft row (what draftStoreRegion writes after
    // reading the store) still says the store is in Lakes
    const stale = { store_id: reg.storeId, store_name: "Lake Side", region_id: moor, region_name: "Moor", was_id: lakes, was_name: "Lakes" };
    await hq.sql`
      INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at)
      VALUES ('store_region', ${reg.storeId}, ${hq.sql.json(stale)}, 'Carl', now())`;
    expect(typeof (await publish())).toBe("number");
    expect(await price("BREAD")).toBe(349);
    const [row] = await hq.sql<{ region_id: number }[]>`SELECT region_id::int FROM stores WHERE store_id = ${reg.storeId}::uuid`;
    expect(row!.region_id).toBe(moor);
  });

  test("a region price back-dated before a store's move into the region is refused: the region would sell at two prices", async () => {
    const dale = await addRegion("Dale");
    const [first, moved] = [await addStore(hq.sql, "Dale End"), await addStore(hq.sql, "Dale Cross")];
    const [atFirst, atMoved] = [storeOf(first), storeOf(moved)];
    await draft(`/catalog/regions/${dale}/stores`, { store_id: first.storeId });
    await draft(`/catalog/regions/${dale}/prices`, { sku: "MILK", price: "1.05" });
    await publish();
    await draft(`/catalog/regions/${dale}/stores`, { store_id: moved.storeId });
    await publish();
    expect([await atFirst("MILK"), await atMoved("MILK")]).toEqual([105, 105]);
    // Dale's milk at 0.95 from two hours ago, before Dale Cross moved in
    await draft(`/catalog/regions/${dale}/prices`, { sku: "MILK", price: "0.95" });
    const before = await footprint(hq.sql);
    expect(await publish(new Date(hq.clock.now().getTime() - 2 * 3_600_000))).toContain("moved into Dale at");
    expect(await footprint(hq.sql)).toEqual(before);
    // at a time after the move it is published, and both stores sell at it
    expect(typeof (await publish())).toBe("number");
    expect([await atFirst("MILK"), await atMoved("MILK")]).toEqual([95, 95]);
  });
});

describe("people limited to some stores", () => {
  test("a region's page and list show a limited person none of the stores she may not see", async () => {
    const admins = (await admin.page(`/catalog/regions/${coast}`)).html;
    expect(admins).toContain("South Quay");
    const page = await lena.page(`/catalog/regions/${coast}`);
    expect(page.res.status).toBe(200);
    expect(page.html).not.toContain("South Quay");
    expect(page.html).not.toContain(south.storeId);
    const list = (await lena.page("/catalog/regions")).html;
    expect(/data-region="Coast"[\s\S]*?<td class="num">(\d+)<\/td>/.exec(list)![1]).toBe("0");
  });

  test("a limited person cannot move another store into or out of a region, in any spelling of its id", async () => {
    await lena.page(`/catalog/regions/${coast}`);
    const before = await footprint(hq.sql);
    for (const id of [south.storeId, south.storeId.toUpperCase(), ` ${south.storeId} `]) {
      for (const form of [{ store_id: id }, { store_id: id, out: "1" }] as Record<string, string>[]) {
        const res = await lena.request("POST", `/catalog/regions/${coast}/stores`, { form });
        expect(res.status).toBe(422);
        expect(await res.text()).toContain("Choose a store from the list.");
      }
    }
    expect(await footprint(hq.sql)).toEqual(before);
  });

  test("lower roles cannot name regions, price them, publish, give themselves a role or make a token", async () => {
    const lenaId = (await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Lena'`)[0]!.id;
    await vera.page("/catalog/regions");
    const before = await footprint(hq.sql);
    const asks: [Visitor, string, Record<string, string>][] = [
      [vera, "/catalog/regions", { name: "Ghost" }],
      [vera, `/catalog/regions/${coast}/prices`, { sku: "MILK", price: "0.01" }],
      [vera, `/catalog/regions/${coast}/stores`, { store_id: north.storeId }],
      [vera, "/catalog/draft/publish", { note: "x" }],
      [lena, `/users/${lenaId}/role`, { role: "admin" }],
      [lena, `/users/${lenaId}/stores`, { which: "all" }],
      [lena, "/tokens", { name: "mine" }],
      [lena, `/stores/${north.storeId}/rotate-token`, {}],
    ];
    for (const [who, path, form] of asks) {
      await who.page("/");
      const res = await who.request("POST", path, { form });
      expect([path, res.status, await errorCode(res)]).toEqual([path, 403, "forbidden"]);
    }
    expect(await footprint(hq.sql)).toEqual(before);
  });
});

describe("odd input", () => {
  test("region names and prices with control characters, card numbers or too much are refused, nothing written", async () => {
    await carl.page("/catalog/regions");
    const names = ["North\u0000", "A\u001b[31mred", "Card 4111 1111 1111 1111", "x".repeat(61), "\u202eevil"];
    for (const name of names) {
      const before = await footprint(hq.sql);
      const res = await carl.request("POST", "/catalog/regions", { form: { name } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await footprint(hq.sql)).toEqual(before);
    }
    const huge = await carl.request("POST", "/catalog/regions", { form: { name: "y".repeat(2_000_000) } });
    expect(huge.status).toBe(413);
    await carl.page(`/catalog/regions/${coast}`);
    for (const price of ["1e9", "99999999999", "0x10", "NaN", "Infinity", "-0.01", "1.234", "١٫٢٠", "4111111111111111"]) {
      const before = await footprint(hq.sql);
      const res = await carl.request("POST", `/catalog/regions/${coast}/prices`, { form: { sku: "MILK", price } });
      expect([price, res.status]).toEqual([price, 422]);
      expect(await footprint(hq.sql)).toEqual(before);
    }
  });

  test("ids that are not numbers or uuids, huge numbers and repeated fields get a 4xx, never a 5xx", async () => {
    const odd = ["abc", "0", "-1", "1e3", "99999999999999999999999", "1.5", "%00", "------------------------------------", "g".repeat(36)];
    const gets = odd.flatMap((x) => [
      `/catalog/regions/${x}`,
      `/stores/${x}`,
      `/dead-letters/${x}`,
      `/users/${x}`,
      `/catalog/prices?store=${x}`,
      `/stock?store=${x}`,
      `/stock?after_sku=A&after_store=${x}`,
      `/reconciliation?from=${x}&to=${x}`,
    ]);
    for (const path of gets) {
      const res = await admin.request("GET", path);
      expect([path, res.status < 500]).toEqual([path, true]);
    }
    await carl.page(`/catalog/regions/${coast}`);
    for (const x of odd) {
      for (const path of [`/catalog/regions/${x}/prices`, `/catalog/regions/${x}/stores`, `/catalog/regions/${coast}/stores`]) {
        const res = await carl.request("POST", path, { form: { store_id: x, sku: x, price: x } });
        expect([path, x, res.status < 500]).toEqual([path, x, true]);
      }
    }
    // a field sent twice (an array in a form) is refused as a garbled form
    const body = `_csrf=${encodeURIComponent(carl.csrf)}&store_id=${north.storeId}&store_id=${south.storeId}`;
    const twice = await carl.hq.app.request(`${ORIGIN}/catalog/regions/${coast}/stores`, {
      method: "POST",
      headers: {
        Host: "hq.test",
        Origin: ORIGIN,
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: [...carl.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      body,
    });
    expect([twice.status, await errorCode(twice)]).toEqual([400, "bad_form"]);
    // the API with a token, and the store's own endpoints
    await admin.page("/tokens");
    const made = await admin.request("POST", "/tokens", { form: { name: "Odd", [`store:${north.storeId}`]: "on" } });
    const secret = /sfhqapi_[A-Za-z0-9_-]+/.exec(await made.text())![0];
    for (const x of odd) {
      for (const path of [`/api/v1/stores/${x}/summary`, `/api/v1/dead-letters/${x}`, `/api/v1/reconciliation?from=2026-11-01&to=2026-11-02&store=${x}`]) {
        const res = await hq.app.request(`${ORIGIN}${path}`, { headers: { Host: "hq.test", Authorization: `Bearer ${secret}` } });
        expect([path, res.status < 500]).toEqual([path, true]);
      }
      const since = await hq.app.request(`${ORIGIN}/sync/v1/catalog/changes?since=${x}`, { headers: { Authorization: `Bearer ${north.token}` } });
      expect([x, since.status < 500]).toEqual([x, true]);
    }
  });
});

describe("store tokens", () => {
  const pull = (token: string, storeId: string) =>
    hq.app.request(`${ORIGIN}/sync/v1/catalog/changes?since=0`, { headers: { Authorization: `Bearer ${token}`, [STORE_ID_HEADER]: storeId } });

  test("another store's token sends nothing as this store; an old token is refused from the end of its grace", async () => {
    const a = await addStore(hq.sql, "Token A");
    const b = await addStore(hq.sql, "Token B");
    // B's token with A's store id in the batch: refused, and A has no sale
    const res = await hq.app.request(`${ORIGIN}/sync/v1/batches`, {
      method: "POST",
      headers: { Authorization: `Bearer ${b.token}`, "Content-Type": "application/json", [STORE_ID_HEADER]: a.storeId },
      body: JSON.stringify(batch(a.storeId, "EA", [item(1, saleDoc(1))])),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const [held] = await hq.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales WHERE store_id = ${a.storeId}::uuid`;
    expect(held!.n).toBe(0);

    await admin.page(`/stores/${a.storeId}`);
    const rotated = await admin.request("POST", `/stores/${a.storeId}/rotate-token`, { form: {} });
    const fresh = /data-testid="token">([^<]+)</.exec(await rotated.text())![1]!;
    expect((await pull(a.token, a.storeId)).status).toBe(200);
    // the old token of A is no token of B's, whatever the store says it is
    expect((await pull(a.token, b.storeId)).status).toBe(200);
    expect((await hq.sql`SELECT 1 FROM store_old_tokens WHERE store_id = ${b.storeId}::uuid`).length).toBe(0);
    hq.clock.advance(TOKEN_GRACE_HOURS * 3_600_000);
    const late = await pull(a.token, a.storeId);
    expect([late.status, await errorCode(late)]).toEqual([401, "store_token_invalid"]);
    expect((await pull(fresh, a.storeId)).status).toBe(200);
  });
});
