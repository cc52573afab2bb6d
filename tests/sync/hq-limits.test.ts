// Head office, before anything reads a request: only the names it is known by (DNS rebinding, a forged
// X-Forwarded-Host), and bodies of a bounded size (a stranger's 128 MB form never reaches memory). And what a store
// reports of its catalog, checked and shown.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, footprint, type Hq, signedIn, startHq } from "./hq-support.ts";

let hq: Hq;
let store: { storeId: string; token: string };
beforeAll(async () => {
  hq = await startHq();
  store = await addStore(hq.sql, "Store 3");
});
afterAll(async () => {
  await hq?.close();
});

/** A body made as it is read, counting how much head office pulled. */
function streamed(total: number) {
  let pulled = 0;
  const chunk = new Uint8Array(256 * 1024).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe("body limits", () => {
  test("a stranger's 128 MB sign-in form is cut off at 64 KB with 413; nothing changes", async () => {
    const before = await footprint(hq.sql);
    const body = streamed(128 * 1024 * 1024);
    const res = await hq.app.request("http://hq.test/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://hq.test" },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("body_too_large");
    expect(body.pulled()).toBeLessThan(1024 * 1024);
    expect(await footprint(hq.sql)).toEqual(before);
  });

  test("a batch larger than 32 MB is cut off at the limit; a Content-Length over it is refused unread", async () => {
    const big = streamed(40 * 1024 * 1024);
    const res = await hq.app.request("http://hq.test/sync/v1/batches", {
      method: "POST",
      headers: { Authorization: `Bearer ${store.token}`, "Content-Type": "application/json" },
      body: big.stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(big.pulled()).toBeLessThan(33 * 1024 * 1024);
    const declared = streamed(40 * 1024 * 1024);
    const early = await hq.app.request("http://hq.test/sync/v1/batches", {
      method: "POST",
      headers: { Authorization: `Bearer ${store.token}`, "Content-Type": "application/json", "Content-Length": String(40 * 1024 * 1024) },
      body: declared.stream,
      duplex: "half",
    } as RequestInit);
    expect(early.status).toBe(413);
    expect(declared.pulled()).toBeLessThanOrEqual(256 * 1024); // at most the chunk a stream readies before anyone reads
  });
});

describe("the Host header", () => {
  test("a name head office was not started with is refused with 421 before any page is made", async () => {
    for (const path of ["/login", "/setup", "/healthz", "/metrics", "/sync/v1/catalog/changes?since=0"]) {
      const res = await hq.app.request(`http://rebound.example${path}`, { headers: { Host: "rebound.example", Authorization: `Bearer ${store.token}` } });
      expect({ path, status: res.status }).toEqual({ path, status: 421 });
    }
    const known = await hq.app.request("http://hq.test/healthz", { headers: { Host: "hq.test" } });
    expect(known.status).toBe(200);
    const byAddress = await hq.app.request("http://10.1.2.3:8090/healthz", { headers: { Host: "10.1.2.3:8090" } });
    expect(byAddress.status).toBe(200);
  });

  test("behind a trusted proxy, the name the proxy was asked for must be known too", async () => {
    const proxied = createHqApp(hq.sql, "test", { clock: hq.clock, trustProxy: true, allowedHosts: ["hq.example.com"] });
    const ok = await proxied.request("http://10.0.0.5/healthz", { headers: { Host: "10.0.0.5", "X-Forwarded-Host": "hq.example.com" } });
    expect(ok.status).toBe(200);
    const forged = await proxied.request("http://10.0.0.5/healthz", { headers: { Host: "10.0.0.5", "X-Forwarded-Host": "evil.example" } });
    expect(forged.status).toBe(421);
  });
});

describe("a store's catalog report", () => {
  const report = (body: unknown, token = store.token) =>
    hq.app.request("http://hq.test/sync/v1/catalog/report", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const problem = { sku: "HQ-PEN", version: 4, barcode: "4006381333931", held_by_sku: "LOCAL-PEN", held_by_name: "Local pen" };

  test("is refused when malformed or carrying a card number, and changes nothing", async () => {
    for (const body of [
      { version: -1, problems: [], error: null },
      { version: 3, problems: [{ ...problem, barcode: "12" }], error: null },
      { version: 3, problems: [{ ...problem, held_by_name: "Pen 4111 1111 1111 1111" }], error: null },
      { version: 3, problems: [], error: null, extra: 1 },
    ]) {
      const res = await report(body);
      expect(res.status).toBe(400);
    }
    const [row] = await hq.sql`SELECT catalog_version FROM stores WHERE store_id = ${store.storeId}::uuid`;
    expect(row!.catalog_version).toBeNull();
    expect((await report({ version: 3, problems: [], error: null }, "sfhq_not-a-token-at-all")).status).toBe(401);
  });

  test("is kept for the store and shown on the dashboard", async () => {
    expect((await report({ version: 4, problems: [problem], error: null })).status).toBe(200);
    const admin = await signedIn(hq, "Olga", "viewer");
    const { html } = await admin.page("/");
    expect(html).toContain("version 4");
    expect(html).toContain("1 without its barcode");
    expect(html).toContain("4006381333931: HQ-PEN (release 4) — the store&#39;s own LOCAL-PEN Local pen holds it");
  });
});

test("a day that is not in the calendar is refused by the API, not read as the 2nd of March", async () => {
  const { createApiToken } = await import("../../src/sync/hq/api/tokens.ts");
  const token = (await createApiToken(hq.sql, "limits", "test")).secret;
  for (const q of ["from=2026-02-30", "to=2026-02-29", "from=2026-04-31&to=2026-05-01"]) {
    const res = await hq.app.request(`http://hq.test/api/v1/stores?${q}`, { headers: { Authorization: `Bearer ${token}` } });
    expect({ q, status: res.status, code: await errorCode(res) }).toEqual({ q, status: 400, code: "invalid_period" });
  }
  expect((await hq.app.request("http://hq.test/api/v1/stores?from=2028-02-29", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
});
