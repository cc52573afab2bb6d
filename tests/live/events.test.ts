// The live channel (/events), in-process on a real store database: a sale on a register that takes a product to its
// reorder point reaches a supervisor's open stream as a `low-stock` message (the alert and the badge's count); a
// cashier's stream never carries it; nobody unsigned gets a stream at all. An adjustment says it too, whatever path
// moved the stock says it within the beat, a product is said once until its stock has risen above the point again,
// and a stream that comes back with Last-Event-ID is told what it missed. One browser holds a few streams at most, and
// a stream whose session ends is ended whole (its timer too), even when its browser never reads.
import { afterAll, beforeAll, describe, expect, jest, test } from "bun:test";
import { HEARTBEAT_MS } from "../../src/server/live/routes.tsx";
import { STREAMS_PER_SESSION } from "../../src/server/live/stream-limits.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { readSse, type SseMessage, type SseReader } from "./sse.ts";

let t: TestStore;
let supervisor: SignedIn;
let cashier: SignedIn;
const open: SseReader[] = [];

beforeAll(async () => {
  t = makeTestStore();
  // wine: 5 on hand, reorder at 4; bread: 20 on hand, reorder at 18
  t.store.db.exec("UPDATE products SET reorder_point = 4000 WHERE sku = 'WINE-RED'");
  t.store.db.exec("UPDATE products SET reorder_point = 18000 WHERE sku = 'BREAD-SOUR'");
  supervisor = await signIn(t.store, 2, { role: "supervisor", shift: false, name: "Sam Supervisor" });
  cashier = await signIn(t.store, 1, { name: "Cara Cashier" });
});
afterAll(async () => {
  for (const s of open) await s.close();
  t.close();
});

async function listen(who: SignedIn | null, headers: Record<string, string> = {}): Promise<SseReader> {
  const res = await t.app.request("/events", { headers: { ...(who?.headers ?? {}), "HX-Request": "true", ...headers } });
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("text/event-stream");
  const s = readSse(res);
  open.push(s);
  return s;
}

const post = (who: SignedIn, path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(fields).toString(),
  });

/** One item sold on the cashier's register, paid in cash, the way the register's page sends it. */
async function sellOne(code: string): Promise<void> {
  expect((await post(cashier, "/register/scan", { code })).status).toBe(200);
  const paid = await post(cashier, "/register/pay", { method: "cash", amount: "50.00" });
  expect(await paid.text()).toContain("/reprint");
}

async function adjust(code: string, qty: string, reason: string): Promise<void> {
  const res = await post(supervisor, "/stock/adjust", { code, qty, reason, note: "" });
  expect(res.status).toBe(303);
}

const lowStock = (m: SseMessage) => m.event === "low-stock";
const about = (name: string) => (m: SseMessage) => lowStock(m) && m.data.includes(name);
/** The text a person reads in a message's HTML. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .replaceAll("&#39;", "'")
    .trim();

/**
 * Everything published before this call has reached `stream`: a printer-status message published now (every register
 * hears of its printer) comes after it in each subscriber's queue, which keeps the order things were published in.
 */
async function settled(stream: SseReader, what: string): Promise<void> {
  const from = stream.messages.length;
  t.store.live.printerStatusChanged(t.store.printing.printers.forRegister(cashier.registerId)!.id);
  await stream.waitFor((m) => m.event === "printer-status", `${what}: the marker after it`, { from });
}

describe("the live channel", () => {
  test("nobody signed in gets no stream: a page is sent to sign in, a paired register with nobody on it too", async () => {
    const stranger = await t.app.request("/events", { headers: { "HX-Request": "true" } });
    expect(stranger.status).toBe(401);
    expect(stranger.headers.get("HX-Redirect")).toBe("/login");
    expect(stranger.headers.get("Content-Type")).not.toContain("text/event-stream");
    const page = await t.app.request("/events");
    expect([page.status, page.headers.get("Location")]).toEqual([303, "/login"]);
    const device = cashier.cookie.split("; ").find((c) => c.startsWith("sf_device="))!;
    const nobody = await t.app.request("/events", { headers: { Cookie: device, "HX-Request": "true" } });
    expect(nobody.status).toBe(401);
  });

  test("a sale on a register that takes a product to its reorder point reaches the supervisor; the cashier hears nothing of it", async () => {
    const boss = await listen(supervisor);
    const till = await listen(cashier);
    // on connecting: the badge as it is now for the supervisor, the register's printer for the register
    const first = await boss.waitFor((m) => m.event === "low-stock-count", "the badge on connecting");
    expect(words(first.data)).toBe("Low stock 0");
    await till.waitFor((m) => m.event === "printer-status", "the register's printer on connecting");

    await sellOne(codes.wine);
    const alert = await boss.waitFor(lowStock, "the low-stock alert after the sale");
    expect(words(alert.data)).toContain("Rioja Crianza 0.75 L is low: 4 left, reorder point 4");
    expect(alert.data).toContain('hx-swap-oob="beforeend:#live-toasts"');
    expect(alert.data).toMatch(/id="low-stock-badge"[^>]*hx-swap-oob="true"/);
    expect(/data-testid="low-stock-count">(\d+)</.exec(alert.data)?.[1]).toBe("1");
    expect(Number(alert.id)).toBeGreaterThan(0);

    await settled(till, "the cashier's stream");
    expect(till.messages.filter(lowStock)).toEqual([]);
    expect(till.messages.filter((m) => m.event === "low-stock-count")).toEqual([]);
  });

  test("said once: a second sale further below says nothing new", async () => {
    const boss = await listen(supervisor);
    await boss.waitFor((m) => m.event === "low-stock-count", "the badge on connecting");
    await sellOne(codes.wine); // 4 -> 3, already under its point
    await settled(boss, "the supervisor's stream");
    expect(boss.messages.filter(lowStock)).toEqual([]);
    expect(t.store.catalog.bySku("WINE-RED")!.stockMilli).toBe(3000);
  });

  test("an adjustment says it too, and again only once the stock has been above the point in between", async () => {
    const boss = await listen(supervisor);
    await boss.waitFor((m) => m.event === "low-stock-count", "the badge on connecting");
    await adjust(codes.bread, "-2", "damaged"); // 20 -> 18: at the point
    const first = await boss.waitFor(about("Sourdough Bread"), "the alert after the damaged loaves");
    expect(words(first.data)).toContain("Sourdough Bread 800 g is low: 18 left, reorder point 18");
    expect(/data-testid="low-stock-count">(\d+)</.exec(first.data)?.[1]).toBe("2");

    await adjust(codes.bread, "1", "found"); // 19: above again, nothing to say
    await adjust(codes.bread, "-1", "damaged"); // 18: crossed again
    const second = await boss.waitFor(about("Sourdough Bread"), "the alert after crossing again", { from: boss.messages.indexOf(first) + 1 });
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
    await settled(boss, "the supervisor's stream");
    expect(boss.messages.filter(lowStock)).toHaveLength(2);
  });

  test("a sale through the JSON API says it at once too, with no beat running", async () => {
    const boss = await listen(supervisor);
    await boss.waitFor((m) => m.event === "low-stock-count", "the badge on connecting");
    t.store.db.exec("UPDATE products SET reorder_point = 49000 WHERE sku = 'MILK-1L'");
    const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ sku: "MILK-1L", qty: 1 }], payments: [{ method: "cash", amount: 500 }] } });
    expect(res.status).toBe(201);
    const alert = await boss.waitFor(about("Fresh Milk 1 L"), "the alert after the API's sale");
    expect(words(alert.data)).toContain("Fresh Milk 1 L is low: 49 left, reorder point 49");
  });

  test("stock moved by any path (here a plain UPDATE, as a CLI import would) is told at the next beat", async () => {
    const boss = await listen(supervisor);
    await boss.waitFor((m) => m.event === "low-stock-count", "the badge on connecting");
    t.store.db.exec("UPDATE products SET reorder_point = 40000 WHERE sku = 'PAPER-DAILY'");
    t.store.db.exec("UPDATE products SET stock_milli = 40000 WHERE sku = 'PAPER-DAILY'");
    expect(t.store.live.flush()).toBe(1); // what the 1 s timer calls
    const alert = await boss.waitFor(about("Daily Newspaper"), "the alert after the UPDATE");
    expect(words(alert.data)).toContain("Daily Newspaper is low: 40 left, reorder point 40");
    expect(t.store.live.flush()).toBe(0);
  });

  test("a stream that comes back with Last-Event-ID is told the alerts it missed, then the badge", async () => {
    const alerts = t.store.db.query<{ id: number }, []>("SELECT id FROM low_stock_events ORDER BY id").all();
    expect(alerts.length).toBeGreaterThanOrEqual(4);
    const back = await listen(supervisor, { "Last-Event-ID": String(alerts.at(-3)!.id) });
    await back.waitFor((m) => m.event === "low-stock-count", "the badge after the missed alerts");
    expect(back.messages.filter(lowStock).map((m) => Number(m.id))).toEqual(alerts.slice(-2).map((a) => a.id));
    expect(back.messages.findIndex(lowStock)).toBeLessThan(back.messages.findIndex((m) => m.event === "low-stock-count"));
  });

  test("the back office's pages show the badge with the count a supervisor's stream last said; a cashier's show none", async () => {
    const page = await (await t.app.request("/stock/low", { headers: supervisor.headers })).text();
    const count = /data-testid="low-stock-count">(\d+)</.exec(page)?.[1];
    expect(count).toBe(String(t.store.live.lowCount()));
    expect(Number(count)).toBe([...page.matchAll(/data-testid="low-stock-row"/g)].length);
    expect(page).toContain('hx-sse:connect="/events"');
    expect(page).toContain('id="live-toasts"');
    const sales = await (await t.app.request("/sales", { headers: cashier.headers })).text();
    expect(sales).not.toContain("low-stock-badge");
    expect(sales).not.toContain("hx-sse:connect");
  });

  test("one browser holds at most 10 streams: the 11th is refused with a code and a sentence, and a closed one frees its slot", async () => {
    const browser = await signIn(t.store, 3, { role: "supervisor", shift: false, name: "Tia Tabs" });
    const before = t.store.live.listeners();
    const streams: SseReader[] = [];
    for (let i = 0; i < STREAMS_PER_SESSION; i++) streams.push(await listen(browser));
    expect(t.store.live.listeners()).toBe(before + STREAMS_PER_SESSION);

    const refused = await t.app.request("/events", { headers: browser.headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Content-Type")).not.toContain("text/event-stream");
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("too_many_streams");
    expect(error.message).toContain("Close some of the shop's tabs");
    // as htmx asks: the sentence as a fragment, still no stream
    const fragment = await t.app.request("/events", { headers: { ...browser.headers, "HX-Request": "true" } });
    expect(fragment.status).toBe(429);
    expect(await fragment.text()).toContain('data-code="too_many_streams"');
    expect(t.store.live.listeners()).toBe(before + STREAMS_PER_SESSION);
    // another person's browser is not held up by this one's
    await (await listen(cashier)).close();

    // a tab closed: its slot is free again
    await streams[0]!.close();
    await streams[0]!.waitForEnd();
    expect(t.store.live.listeners()).toBe(before + STREAMS_PER_SESSION - 1);
    const again = await listen(browser);
    await again.waitFor((m) => m.event === "low-stock-count", "the badge on the stream that took the freed slot");
    for (const s of [...streams, again]) await s.close();
    expect(t.store.live.listeners()).toBe(before);
  });

  test("a browser that never reads, signed out: the heartbeat ends its stream, timer and all, and gives its slot back", async () => {
    const sleeper = await signIn(t.store, 4, { role: "supervisor", shift: false, name: "Nora Neverreads" });
    const before = t.store.live.listeners();
    jest.useFakeTimers();
    try {
      const timers = jest.getTimerCount();
      // nobody reads this body: the handler waits on a write that never completes
      const res = await t.app.request("/events", { headers: { ...sleeper.headers, "HX-Request": "true" } });
      expect(res.status).toBe(200);
      expect(t.store.live.listeners()).toBe(before + 1);
      expect(jest.getTimerCount()).toBe(timers + 1); // the stream's heartbeat

      expect((await post(sleeper, "/logout", {})).status).toBe(204);
      jest.advanceTimersByTime(HEARTBEAT_MS);
      await Promise.resolve();
      expect(t.store.live.listeners()).toBe(before);
      expect(jest.getTimerCount()).toBe(timers);
      jest.useRealTimers();
      // and the stream itself was aborted: the write the handler waited on was given up (not merely sent once the
      // browser reads), so what the browser finally reads ends without it
      const rest = readSse(res);
      await rest.waitForEnd();
      expect(rest.messages.filter((m) => m.event === "low-stock-count")).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  test("closing the store ends every open stream, so a stopping server is not held up by them", async () => {
    const streams = [await listen(supervisor), await listen(cashier)];
    expect(t.store.live.listeners()).toBeGreaterThanOrEqual(2);
    t.store.live.close();
    for (const s of streams) await s.waitForEnd();
    expect(t.store.live.listeners()).toBe(0);
  });
});
