// Store limits beyond the overview (issue 15), on a real PostgreSQL through the real app: a person limited to North sees
// only North's stock (the picker, the list, low stock), hears only North's low stock on /events, picks and prices only
// North in store prices (South's is refused as a store head office does not have, the draft untouched); an API token
// limited to North when it is made reads only North's figures, reconciliation and dead letters and settles none of
// South's. Everyone unlimited, person or token, still sees both.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CatalogProduct, publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { errorCode, eventsOf, footprint, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { northAndSouth, type SendingStore, type StockProduct } from "./sending-store.ts";
import { item, saleDoc } from "./support.ts";

let hq: Hq;
let admin: Visitor;
/** Lena: the catalog role, limited to North. */
let lena: Visitor;
let stores: { north: SendingStore; south: SendingStore };
let southLetter = 0;
let northLetter = 0;

const milk: StockProduct = { sku: "MILK-1L", name: "Fresh Milk 1 L", reorder_point_milli: 10_000 };
const wine: StockProduct = { sku: "WINE-RED", name: "Rioja Crianza", reorder_point_milli: 2000 };
const soap: StockProduct = { sku: "SOAP-BAR", name: "Olive Soap", reorder_point_milli: 5000 };

const product = (sku: string, name: string, price: number): CatalogProduct => ({
  sku,
  barcode: null,
  name,
  price,
  tax_class: "RED",
  category: null,
  weighed: false,
  active: true,
});

beforeAll(async () => {
  hq = await startHq();
  stores = await northAndSouth(hq.sql);
  // each store: a sale, a dead letter (a kind head office does not know), and its stock; wine at North and soap at South low
  for (const [store, n] of [
    [stores.north, 1],
    [stores.south, 2],
  ] as const) {
    await store.send([item(++store.seq, saleDoc(n)), item(++store.seq, { gift: n }, "gift_card")]);
  }
  await stores.north.sendStock([
    [milk, 40_000],
    [wine, 1000],
  ]);
  await stores.south.sendStock([
    [milk, 25_000],
    [soap, 1000],
  ]);
  const letterOf = async (id: string) => (await hq.sql<{ id: number }[]>`SELECT id FROM dead_letters WHERE store_id = ${id}::uuid`)[0]!.id;
  northLetter = await letterOf(stores.north.id);
  southLetter = await letterOf(stores.south.id);
  await publishRelease(
    hq.sql,
    { tax_classes: [{ code: "RED", name: "Reduced", rate_bp: 1000 }], products: [product("MILK-1L", "Fresh Milk 1 L", 119)] },
    new Date(Date.now() - 60_000),
    "opening catalog",
  );

  admin = await signedIn(hq, "Ada", "admin");
  lena = await signedIn(hq, "Lena", "catalog");
  const id = (await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Lena'`)[0]!.id;
  await admin.page(`/users/${id}`);
  const limited = await admin.request("POST", `/users/${id}/stores`, { form: { which: "some", [`store:${stores.north.id}`]: "on" } });
  expect(limited.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const stockRows = (html: string) => [...html.matchAll(/data-testid="stock-row" data-sku="([^"]+)" data-store="([^"]+)"/g)].map((m) => m[2]);
const lowRows = (html: string) => [...html.matchAll(/data-testid="low-stock-row" data-sku="([^"]+)" data-store="([^"]+)"/g)].map((m) => `${m[1]}@${m[2]}`);
const picker = (html: string) => [...html.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1]);

describe("stock", () => {
  test("a limited person's stock page lists and offers only their stores; another store's stock is an empty list", async () => {
    const { north, south } = stores;
    const mine = await lena.page("/stock");
    expect(mine.res.status).toBe(200);
    expect(new Set(stockRows(mine.html))).toEqual(new Set([north.id]));
    expect(picker(mine.html)).toEqual([north.id]);
    expect(mine.html).not.toContain("South");
    // asked for South by its id, as for a store head office does not know: no rows, the page and the fragment alike
    const asked = await lena.page(`/stock?store=${south.id}`);
    expect(stockRows(asked.html)).toEqual([]);
    expect(asked.html).toContain('data-testid="stock-empty"');
    const fragment = await lena.request("GET", `/stock?store=${south.id}&q=MILK`, { headers: { "HX-Request": "true" } });
    expect(stockRows(await fragment.text())).toEqual([]);

    const all = await admin.page("/stock");
    expect(new Set(stockRows(all.html))).toEqual(new Set([north.id, south.id]));
    expect(new Set(picker(all.html))).toEqual(new Set([north.id, south.id]));
  });

  test("low stock across the chain shows a limited person only their stores' products", async () => {
    const { north, south } = stores;
    expect(lowRows((await lena.page("/stock/low")).html)).toEqual([`WINE-RED@${north.id}`]);
    const fragment = await lena.request("GET", "/stock/low", { headers: { "HX-Request": "true" } });
    expect(lowRows(await fragment.text())).toEqual([`WINE-RED@${north.id}`]);
    expect(new Set(lowRows((await admin.page("/stock/low")).html))).toEqual(new Set([`WINE-RED@${north.id}`, `SOAP-BAR@${south.id}`]));
  });
});

describe("/events", () => {
  test("a limited person's stream carries only their stores' low stock; an unlimited one's carries every store's", async () => {
    const theirs = eventsOf(await lena.request("GET", "/events"));
    const everyone = eventsOf(await admin.request("GET", "/events"));
    try {
      expect((await theirs.next()).event).toBe("ready");
      expect((await everyone.next()).event).toBe("ready");
      // South's milk goes low first, then North's: Lena's first notice is North's, Ada's is South's
      await stores.south.sendStock([[milk, 9000]]);
      await stores.north.sendStock([[milk, 8000]]);
      const first = await theirs.next();
      expect(first.event).toBe("low_stock");
      expect(JSON.parse(first.data)).toMatchObject({ store_id: stores.north.id, sku: "MILK-1L", on_hand_milli: 8000, low: true });
      expect(JSON.parse((await everyone.next()).data)).toMatchObject({ store_id: stores.south.id, on_hand_milli: 9000 });
      expect(JSON.parse((await everyone.next()).data)).toMatchObject({ store_id: stores.north.id, on_hand_milli: 8000 });
    } finally {
      await theirs.close();
      await everyone.close();
    }
  });
});

describe("store prices", () => {
  test("a limited person picks only their stores; another store's list is not found, its price refused, the draft untouched", async () => {
    const { north, south } = stores;
    const page = await lena.page("/catalog/prices");
    expect(page.res.status).toBe(200);
    expect(new Set(picker(page.html))).toEqual(new Set([north.id]));
    const other = await lena.request("GET", `/catalog/prices?store=${south.id}`);
    expect([other.status, await errorCode(other)]).toEqual([404, "store_not_found"]);

    await lena.page(`/catalog/prices?store=${north.id}`);
    const before = await footprint(hq.sql);
    const refused = await lena.request("POST", "/catalog/prices", { form: { store_id: south.id, sku: "MILK-1L", price: "0.99" } });
    expect([refused.status, await errorCode(refused)]).toEqual([404, "store_not_found"]);
    expect(await footprint(hq.sql)).toEqual(before);
    // upper case is the same store
    const shouted = await lena.request("POST", "/catalog/prices", { form: { store_id: south.id.toUpperCase(), sku: "MILK-1L", price: "0.99" } });
    expect(shouted.status).toBe(404);
    expect(await footprint(hq.sql)).toEqual(before);

    const own = await lena.request("POST", "/catalog/prices", { form: { store_id: north.id, sku: "MILK-1L", price: "1.09" } });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("MILK-1L at North: its own price is in the draft release.");

    // an unlimited person picks both and prices South
    expect(new Set(picker((await admin.page("/catalog/prices")).html))).toEqual(new Set([north.id, south.id]));
    await admin.page(`/catalog/prices?store=${south.id}`);
    const theirs = await admin.request("POST", "/catalog/prices", { form: { store_id: south.id, sku: "MILK-1L", price: "0.99" } });
    expect(theirs.status).toBe(200);
    const keys = await hq.sql<{ key: string }[]>`SELECT key FROM catalog_draft_changes WHERE kind = 'store_price' ORDER BY key`;
    expect(keys.map((k) => k.key).sort()).toEqual([`${north.id}/MILK-1L`, `${south.id}/MILK-1L`].sort());
  });

  test("on the draft a limited person sees their stores' changes only, and may not publish, discard or take out another's", async () => {
    const { north, south } = stores;
    const draft = await lena.page("/catalog/draft");
    expect(draft.html).toContain(`data-change="store_price:${north.id}/MILK-1L"`);
    expect(draft.html).not.toContain(south.id);
    expect(draft.html).toContain("The draft also holds 1 change for stores you do not see");
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(draft.html)![1]!;
    const before = await footprint(hq.sql);
    for (const [path, form] of [
      ["/catalog/draft/publish", { fingerprint, note: "" }],
      ["/catalog/draft/discard", { fingerprint }],
    ] as const) {
      const res = await lena.request("POST", path, { form });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("a person who sees every store publishes or discards it");
      expect(await footprint(hq.sql)).toEqual(before);
    }
    const out = await lena.request("POST", "/catalog/draft/remove", { form: { kind: "store_price", key: `${south.id}/MILK-1L` } });
    expect(await out.text()).toContain("was not in the draft");
    expect(await footprint(hq.sql)).toEqual(before);
    // the admin, who sees both, publishes both
    const whole = await admin.page("/catalog/draft");
    expect(whole.html).toContain(south.id);
    const published = await admin.request("POST", "/catalog/draft/publish", {
      form: { fingerprint: /name="fingerprint" value="([^"]+)"/.exec(whole.html)![1]!, note: "" },
    });
    expect(published.status).toBe(303);
  });
});

describe("API tokens limited to some stores", () => {
  /** Make a token on the admin's page, ticking these stores; its secret as the page shows it once. */
  async function made(name: string, ticked: string[]): Promise<{ secret: string; html: string }> {
    await admin.page("/tokens");
    const form: Record<string, string> = { name };
    for (const id of ticked) form[`store:${id}`] = "on";
    const res = await admin.request("POST", "/tokens", { form });
    const html = await res.text();
    expect(res.status).toBe(200);
    return { secret: /data-testid="token-secret">([^<]+)</.exec(html)![1]!, html };
  }
  const api = (secret: string, path: string, method = "GET", body?: unknown) =>
    hq.app.request(`http://hq.test/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  let northOnly = "";
  let every = "";
  let day = "";

  beforeAll(async () => {
    northOnly = (await made("North BI", [stores.north.id])).secret;
    every = (await made("Chain BI", [])).secret;
    day = (await hq.sql<{ d: string }[]>`SELECT min(business_date)::text AS d FROM sales`)[0]!.d;
  });

  test("the admin page offers the stores as boxes and lists each token's limit", async () => {
    const { html } = await admin.page("/tokens");
    expect(html.match(/data-testid="token-store-choice"/g)?.length).toBe(2);
    const limits = [...html.matchAll(/data-testid="token-stores">([^<]*)</g)].map((m) => m[1]);
    expect(limits).toEqual(["North", "every store"]);
    const [row] = await hq.sql<{ stores: string[] | null }[]>`SELECT stores::text[] FROM hq_api_tokens WHERE name = 'North BI'`;
    expect(row!.stores).toEqual([stores.north.id]);
  });

  test("a store that is not registered makes no token", async () => {
    const before = await footprint(hq.sql);
    await admin.page("/tokens");
    const res = await admin.request("POST", "/tokens", { form: { name: "Ghost", "store:00000000-0000-4000-8000-000000000000": "on" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("not registered at head office");
    expect(await footprint(hq.sql)).toEqual(before);
  });

  test("stores and a store's summary: only its stores; another is not found", async () => {
    const { north, south } = stores;
    const listed = (await (await api(northOnly, "/stores")).json()) as { data: { id: string }[] };
    expect(listed.data.map((s) => s.id)).toEqual([north.id]);
    expect((await api(northOnly, `/stores/${north.id}/summary`)).status).toBe(200);
    const other = await api(northOnly, `/stores/${south.id}/summary`);
    expect([other.status, await errorCode(other)]).toEqual([404, "store_not_found"]);

    const all = (await (await api(every, "/stores")).json()) as { data: { id: string }[] };
    expect(new Set(all.data.map((s) => s.id))).toEqual(new Set([north.id, south.id]));
    expect((await api(every, `/stores/${south.id}/summary`)).status).toBe(200);
  });

  test("reconciliation: only its stores, and nothing when asked for another", async () => {
    const { north, south } = stores;
    const ids = async (secret: string, extra = "") => {
      const res = await api(secret, `/reconciliation?from=${day}&to=${day}${extra}`);
      expect(res.status).toBe(200);
      return [...new Set(((await res.json()) as { data: { store_id: string }[] }).data.map((d) => d.store_id))].sort();
    };
    expect(await ids(northOnly)).toEqual([north.id]);
    expect(await ids(northOnly, `&store=${south.id}`)).toEqual([]);
    expect(await ids(every)).toEqual([north.id, south.id].sort());
  });

  test("dead letters: only its stores' are listed or read, and another's is not settled", async () => {
    const { north, south } = stores;
    const listed = (await (await api(northOnly, "/dead-letters?status=all")).json()) as { dead_letters: { store_id: string }[] };
    expect(new Set(listed.dead_letters.map((d) => d.store_id))).toEqual(new Set([north.id]));
    expect((await api(northOnly, `/dead-letters/${northLetter}`)).status).toBe(200);
    const read = await api(northOnly, `/dead-letters/${southLetter}`);
    expect([read.status, await errorCode(read)]).toEqual([404, "dead_letter_not_found"]);
    const discard = await api(northOnly, `/dead-letters/${southLetter}/discard`, "POST", { reason: "not ours to settle" });
    expect([discard.status, await errorCode(discard)]).toEqual([404, "dead_letter_not_found"]);
    const replay = await api(northOnly, `/dead-letters/${southLetter}/replay`, "POST");
    expect(replay.status).toBe(404);
    expect((await hq.sql`SELECT 1 FROM dead_letters WHERE id = ${southLetter}`).length).toBe(1);

    const all = (await (await api(every, "/dead-letters?status=all")).json()) as { dead_letters: { store_id: string }[] };
    expect(new Set(all.dead_letters.map((d) => d.store_id))).toEqual(new Set([north.id, south.id]));
    expect((await api(every, `/dead-letters/${southLetter}`)).status).toBe(200);
  });
});
