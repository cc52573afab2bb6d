// Before anything reads a request: the name it was sent to must be one this store answers to (DNS rebinding), and its
// body must be small enough (a stranger's 128 MB form never reaches memory).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { browserOf, cookieHeader, errorCode, state } from "./support.ts";

let t: TestStore;
let boss: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
});
afterEach(() => t.close());

/** A body of `total` bytes made as it is read, counting how much the server pulled. */
function streamedBody(total: number, prefix = "code=") {
  let pulled = 0;
  const chunk = new TextEncoder().encode("9".repeat(64 * 1024));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(prefix));
    },
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe("body limits before anything reads the body", () => {
  const routes: [string, string, number][] = [
    ["sign-in, nobody signed in", "/login", 64 * 1024],
    ["pairing, nobody signed in", "/pair", 64 * 1024],
    ["first-run setup", "/setup", 64 * 1024],
    ["a register action", "/register/scan", 64 * 1024],
    ["the JSON API", "/api/v1/sales", 1024 * 1024],
    ["the logo upload", "/devices/logo", 2_500_000],
    ["a delivery note", "/stock/deliveries", 1024 * 1024],
    ["a stock count's list", "/stock/counts", 1024 * 1024],
  ];
  for (const [what, path, limit] of routes) {
    test(`${what}: a 128 MB body sent as a stream is cut off at the limit with 413`, async () => {
      const body = streamedBody(128 * 1024 * 1024);
      const res = await t.app.request(path, {
        method: "POST",
        headers: {
          Cookie: cookieHeader(browserOf(boss)),
          "X-CSRF-Token": boss.csrf,
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Bearer ${t.token}`,
        },
        body: body.stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(await errorCode(res)).toBe("body_too_large");
      expect(body.pulled()).toBeLessThan(limit + 512 * 1024);
    });
    test(`${what}: a Content-Length over the limit is refused before a byte is read`, async () => {
      const body = streamedBody(128 * 1024 * 1024);
      const res = await t.app.request(path, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(128 * 1024 * 1024) },
        body: body.stream,
        duplex: "half",
      } as RequestInit);
      // a stranger is refused before a byte of the body is read: for the API, at its token; elsewhere, at its size
      expect(res.status).toBe(path.startsWith("/api/") ? 401 : 413);
      expect(body.pulled()).toBe(0);
    });
  }
});

describe("the bigger limits are a signed-in person's", () => {
  test("a stranger's delivery note is held to a form's size; a supervisor's of 4,000 lines is read", async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `SKU-${String(i).padStart(6, "0")},1,1.00`).join("\n");
    const body = `supplier=Big&items=${encodeURIComponent(lines)}&step=check`;
    expect(body.length).toBeGreaterThan(64 * 1024);
    const stranger = await t.app.request("/stock/deliveries", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(stranger.status).toBe(413);
    const supervisor = await signIn(t.store, 4, { role: "supervisor", shift: false });
    const read = await t.app.request("/stock/deliveries", {
      method: "POST",
      headers: { ...supervisor.headers, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    // read whole (Check): each unknown SKU is named, the last one too (none is in the small catalog)
    expect(read.status).toBe(200);
    expect(await read.text()).toContain("SKU-003999");
  });
});

describe("the Host header", () => {
  const ask = (host: string, path = "/login", init: RequestInit = {}) =>
    t.app.request(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Host: host } });

  test("a name the store does not know (DNS rebinding) is refused with 421 before the page is made: no user names leak", async () => {
    const res = await ask("shop-offers.example.com:8080");
    expect(res.status).toBe(421);
    expect(await errorCode(res)).toBe("unknown_host");
    expect(await res.text()).not.toContain("Maria");
  });

  test("pairing through a rebound name is refused and changes nothing, even with a matching Origin", async () => {
    const before = state(t.store);
    const res = await ask("evil.example:8080", "/pair", {
      method: "POST",
      headers: {
        Origin: "http://evil.example:8080",
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: "sf_csrf=rebinding-token-0123456789",
        "X-CSRF-Token": "rebinding-token-0123456789",
      },
      body: new URLSearchParams({ register: "Rogue", manager: String(boss.userId), manager_pin: boss.pin }).toString(),
    });
    expect(res.status).toBe(421);
    expect(state(t.store)).toEqual(before);
  });

  test("addresses, localhost and this machine's name are always answered", async () => {
    for (const host of [
      "192.168.1.20:8080",
      "10.0.0.2",
      "[::1]:8080",
      "[fe80::1%25eth0]:8080",
      "localhost:8080",
      "127.0.0.1",
      hostname(),
      `${hostname()}.local:8080`,
    ]) {
      const res = await ask(host, "/healthz");
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
    }
  });

  test("a name the shop configures is answered from then on", async () => {
    expect((await ask("pos.corner-shop.lan:8080")).status).toBe(421);
    writeSetting(t.store.db, "allowed_hosts", "pos.corner-shop.lan, till.corner-shop.lan");
    t.store.reloadSettings();
    expect((await ask("POS.corner-shop.lan:8080", "/healthz")).status).toBe(200);
    expect((await ask("till.corner-shop.lan.", "/healthz")).status).toBe(200);
    expect((await ask("corner-shop.lan")).status).toBe(421);
  });

  test("the API and /healthz are behind the same check", async () => {
    expect((await ask("evil.example", "/healthz")).status).toBe(421);
    expect((await ask("evil.example", "/api/v1/summary", { headers: { Authorization: `Bearer ${t.token}` } })).status).toBe(421);
  });
});
