// Head office's stock pages and its /events stream, in-process on a real PostgreSQL: the chain's stock by store and
// product (search, a store, pages), low stock across the chain, both for signed-in people only; and a product going to
// its reorder point in a batch is a pg_notify that a signed-in /events subscriber reads as it happens — and one coming
// back above it, and one moving while low, too; a product above its point says nothing. After head office's database
// restarted, a subscriber is told to reread, and hears the next notice.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { liveFeed, REREAD } from "../../src/sync/hq/live/feed.ts";
import { stockLevels } from "../../src/sync/hq/stock/levels.ts";
import { errorCode, eventsOf, type Hq, sentTo, signedIn, startHq, Visitor } from "./hq-support.ts";
import { northAndSouth, type SendingStore, type StockProduct } from "./sending-store.ts";

let hq: Hq;
let viewer: Visitor;
let stores: { north: SendingStore; south: SendingStore };

const milk: StockProduct = { sku: "MILK-1L", name: "Fresh Milk 1 L", reorder_point_milli: 10_000 };
const bread: StockProduct = { sku: "BREAD-SOUR", name: "Sourdough Bread", reorder_point_milli: null };
const wine: StockProduct = { sku: "WINE_RED", name: "Rioja Crianza", reorder_point_milli: 2000 };

/** A store sends its next item: one movement of each product, bringing it to `onHand` (thousandths). */
const send = (store: keyof typeof stores, levels: [StockProduct, number][]) => stores[store].sendStock(levels);

beforeAll(async () => {
  hq = await startHq();
  stores = await northAndSouth(hq.sql);
  await send("north", [
    [milk, 40_000],
    [bread, 12_000],
    [wine, 1000],
  ]);
  await send("south", [
    [milk, 25_000],
    [bread, 3000],
  ]);
  viewer = await signedIn(hq, "vera", "viewer");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const rowsOf = (html: string) => [...html.matchAll(/data-testid="stock-row" data-sku="([^"]+)" data-store="([^"]+)"/g)].map((m) => [m[1], m[2]]);

describe("the Stock page", () => {
  test("shows every store's level of every product, by product then store; only to people signed in", async () => {
    const { res, html } = await viewer.page("/stock");
    expect(res.status).toBe(200);
    const { north, south } = stores;
    const [n, s] = [north.id, south.id].sort();
    expect(rowsOf(html)).toEqual([
      ["BREAD-SOUR", n],
      ["BREAD-SOUR", s],
      ["MILK-1L", n],
      ["MILK-1L", s],
      ["WINE_RED", north.id],
    ]);
    expect(html).toContain("Fresh Milk 1 L");
    expect(html).toContain('href="/stock/low"');
    for (const path of ["/stock", "/stock/low", "/events"]) {
      const stranger = await new Visitor(hq).request("GET", path);
      expect([stranger.status, sentTo(stranger)]).toEqual([303, `/login?next=${encodeURIComponent(path)}`]);
    }
  });

  test("searches SKU and name as typed (a % is just a character), filters by store, and answers htmx with the table only", async () => {
    const fragment = await viewer.request("GET", "/stock?q=milk", { headers: { "HX-Request": "true" } });
    const html = await fragment.text();
    expect(html.startsWith('<div id="stock-results">')).toBe(true);
    expect(rowsOf(html).map(([sku]) => sku)).toEqual(["MILK-1L", "MILK-1L"]);
    expect(rowsOf((await viewer.page("/stock?q=sourdough")).html).map(([sku]) => sku)).toEqual(["BREAD-SOUR", "BREAD-SOUR"]);
    expect(rowsOf((await viewer.page("/stock?q=WINE_")).html).map(([sku]) => sku)).toEqual(["WINE_RED"]);
    expect(rowsOf((await viewer.page("/stock?q=%25")).html)).toEqual([]);
    expect(rowsOf((await viewer.page(`/stock?store=${stores.south.id}`)).html)).toEqual([
      ["BREAD-SOUR", stores.south.id],
      ["MILK-1L", stores.south.id],
    ]);
    const wrong = await viewer.request("GET", "/stock?store=north");
    expect([wrong.status, await errorCode(wrong)]).toEqual([400, "invalid_request"]);
  });

  test("pages by product and store, each row once; a page that cannot be found says to start again", async () => {
    const seen: string[] = [];
    let after: { sku: string; storeId: string } | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await stockLevels(hq.sql, { q: "", storeId: null, after, limit: 2 });
      seen.push(...page.rows.map((r) => `${r.sku}@${r.store}`));
      after = page.next;
      if (!after) break;
    }
    const whole = await stockLevels(hq.sql, { q: "", storeId: null, after: null });
    expect(seen).toEqual(whole.rows.map((r) => `${r.sku}@${r.store}`));
    expect(new Set(seen).size).toBe(5);
    const [first] = [stores.north.id, stores.south.id].sort();
    const second = await viewer.page(`/stock?after_sku=MILK-1L&after_store=${first}`);
    expect(rowsOf(second.html).length).toBe(2);
    expect(second.html).toContain("First page");
    const lost = await viewer.request("GET", "/stock?after_sku=MILK-1L");
    expect([lost.status, await errorCode(lost)]).toEqual([400, "invalid_cursor"]);
  });
});

describe("low stock across the chain", () => {
  test("lists each store's products at or under its reorder point, and is followed live", async () => {
    const { html } = await viewer.page("/stock/low");
    expect([...html.matchAll(/data-testid="low-stock-row" data-sku="([^"]+)" data-store="([^"]+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ["WINE_RED", stores.north.id],
    ]);
    expect(html).toContain('hx-sse:connect="/events"');
    expect(html).toContain('<script src="/static/hx-sse.js">');
    const fragment = await (await viewer.request("GET", "/stock/low", { headers: { "HX-Request": "true" } })).text();
    expect(fragment.startsWith('<section id="low-stock"')).toBe(true);
    const script = await viewer.request("GET", "/static/hx-sse.js");
    expect([script.status, script.headers.get("Content-Type")]).toEqual([200, "text/javascript; charset=utf-8"]);
    expect(await script.text()).toContain("registerExtension");
  });
});

describe("/events", () => {
  test("a product going to its reorder point is told to a subscriber as it commits; moving while low, and back above, too", async () => {
    const res = await viewer.request("GET", "/events");
    expect([res.status, res.headers.get("Content-Type")]).toEqual([200, "text/event-stream"]);
    const events = eventsOf(res);
    try {
      expect((await events.next()).event).toBe("ready");
      // north's milk from 40 to 10: at its point
      await send("north", [
        [milk, 10_000],
        [bread, 2000],
      ]);
      const low = await events.next();
      expect(low.event).toBe("low_stock");
      expect(JSON.parse(low.data)).toEqual({
        store_id: stores.north.id,
        sku: "MILK-1L",
        name: "Fresh Milk 1 L",
        on_hand_milli: 10_000,
        reorder_point_milli: 10_000,
        low: true,
      });
      // above its point says nothing; lower while low, and back above, each say so
      await send("south", [[milk, 24_000]]);
      await send("north", [[milk, 9000]]);
      expect(JSON.parse((await events.next()).data)).toMatchObject({ store_id: stores.north.id, on_hand_milli: 9000, low: true });
      await send("north", [[milk, 30_000]]);
      expect(JSON.parse((await events.next()).data)).toMatchObject({ store_id: stores.north.id, on_hand_milli: 30_000, low: false });
      const { html } = await viewer.page("/stock/low");
      expect(html).not.toContain('data-sku="MILK-1L"');
    } finally {
      await events.close();
    }
  });

  test("a batch replayed sends nothing again", async () => {
    const res = await viewer.request("GET", "/events");
    const events = eventsOf(res);
    try {
      expect((await events.next()).event).toBe("ready");
      const s = stores.north;
      await send("north", [[wine, 500]]);
      expect(JSON.parse((await events.next()).data)).toMatchObject({ sku: "WINE_RED", on_hand_milli: 500 });
      // the same item again: head office has it, so nothing moves and nothing is said; the next notice is the next batch's
      s.seq--;
      s.movement--;
      await send("north", [[wine, 500]]);
      await send("north", [[wine, 400]]);
      expect(JSON.parse((await events.next()).data)).toMatchObject({ sku: "WINE_RED", on_hand_milli: 400 });
    } finally {
      await events.close();
    }
  });

  test("after head office's database restarted, a subscriber is told to reread, and hears what comes next", async () => {
    // a feed that checks its LISTEN often, so the test need not wait the half-minute a running head office does
    const live = liveFeed(hq.sql, { checkMs: 200, heardWithinMs: 1000 });
    const app = createHqApp(hq.sql, "test", { clock: hq.clock, allowedHosts: ["hq.test"], live });
    const vera = new Visitor({ app });
    expect((await vera.signIn("vera", "vera-password-1")).status).toBe(303);
    const events = eventsOf(await vera.request("GET", "/events"));
    try {
      expect((await events.next()).event).toBe("ready");
      await hq.pg.kill();
      // long enough for postgres.js's one try at listening again to meet the database away
      await Bun.sleep(500);
      await hq.pg.start();
      expect(await events.next()).toEqual(REREAD);
      await send("south", [[milk, 8000]]);
      // a second reread may come when postgres.js and the feed's check both listened again; then the notice, once
      let next = await events.next();
      if (next.data === REREAD.data) next = await events.next();
      expect(JSON.parse(next.data)).toMatchObject({ store_id: stores.south.id, on_hand_milli: 8000, low: true });
      await send("south", [[milk, 7000]]);
      expect(JSON.parse((await events.next()).data)).toMatchObject({ store_id: stores.south.id, on_hand_milli: 7000 });
    } finally {
      await events.close();
      live.close();
    }
  }, 60_000);
});
