// Head office's newest parts attacked (issues 16 and 17): what a store tells about itself (PUT /sync/v1/store-facts),
// /metrics, and the backup limits form. As an intruder with another store's token, a retired store's, odd zones, keys
// and bodies, a person's cookie or a store's token at /metrics, or a page of another session: nothing of another store
// is changed, nothing is written by a refusal, and no text a store sends reaches head office's pages unchecked.
// Real PostgreSQL, the real app in-process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/server/platform/log/log.ts";
import { STORE_ID_HEADER } from "../../src/sync/contracts.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { REFUSALS_LOGGED_PER_MINUTE } from "../../src/sync/hq/audit/refusals.ts";
import { setStoreRetired } from "../../src/sync/hq/stores/retire.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "../sync/hq-support.ts";

let hq: Hq;
let admin: Visitor;
let north: RegisteredStore;
let south: RegisteredStore;

beforeAll(async () => {
  hq = await startHq();
  north = await addStore(hq.sql, "North Street");
  south = await addStore(hq.sql, "South Quay");
  admin = await signedIn(hq, "Ada", "admin");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const pem = () => String(generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }));

function tell(token: string, body: unknown, headers: Record<string, string> = {}, method = "PUT") {
  return hq.app.request(`${ORIGIN}/sync/v1/store-facts`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    ...(method === "GET" ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/** What a store's facts and keys are at head office, and the audit: "nothing written" means this did not move. */
async function factsOf(storeId: string) {
  const [r] = await hq.sql<{ f: string }[]>`
    SELECT (SELECT coalesce(jsonb_agg(to_jsonb(f)), '[]') FROM store_facts f WHERE store_id = ${storeId}::uuid)::text
      || '|' || (SELECT coalesce(string_agg(fingerprint, ',' ORDER BY fingerprint), '') FROM store_journal_keys WHERE store_id = ${storeId}::uuid)
      || '|' || (SELECT count(*) FROM hq_audit WHERE store_id = ${storeId}::uuid)::text AS f`;
  return r!.f;
}

describe("a store's facts", () => {
  test("another store's token naming this store in its header plants nothing on it: the token says whose facts they are", async () => {
    const before = await factsOf(north.storeId);
    const res = await tell(south.token, { time_zone: "Pacific/Chatham", journal_key: pem() }, { [STORE_ID_HEADER]: north.storeId });
    expect(res.status).toBe(200);
    expect(await factsOf(north.storeId)).toBe(before);
    const [s] = await hq.sql<{ time_zone: string }[]>`SELECT time_zone FROM store_facts WHERE store_id = ${south.storeId}::uuid`;
    expect(s!.time_zone).toBe("Pacific/Chatham");
  });

  test("a retired store's token tells nothing: 401, its facts and keys untouched", async () => {
    const old = await addStore(hq.sql, "Closed Mall");
    expect((await tell(old.token, { time_zone: "Europe/Paris" })).status).toBe(200);
    await setStoreRetired(hq.sql, old.storeId, true, "Ada", hq.clock.now());
    const before = await factsOf(old.storeId);
    const res = await tell(old.token, { time_zone: "Asia/Tokyo", journal_key: pem() });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("store_token_invalid");
    expect(await factsOf(old.storeId)).toBe(before);
  });

  test("odd zones, keys, bodies and content types are refused with a 4xx and a code, and nothing is written", async () => {
    const s = await addStore(hq.sql, "Odd Corner");
    expect((await tell(s.token, { time_zone: "Europe/Paris" })).status).toBe(200);
    const before = await factsOf(s.storeId);
    const key = pem();
    const cases: [string, Response | Promise<Response>, number, string][] = [
      ["a path for a zone", tell(s.token, { time_zone: "../../etc/passwd" }), 422, "invalid_time_zone"],
      ["SQL for a zone", tell(s.token, { time_zone: "UTC'; DROP TABLE stores; --" }), 422, "invalid_time_zone"],
      ["an offset for a zone", tell(s.token, { time_zone: "+05:00" }), 422, "invalid_time_zone"],
      ["a POSIX rule PostgreSQL would take", tell(s.token, { time_zone: "FOO5BAR" }), 422, "invalid_time_zone"],
      ["a card number for a zone", tell(s.token, { time_zone: "4111111111111111" }), 422, "invalid_time_zone"],
      ["a card number in a zone's place", tell(s.token, { time_zone: "Etc/4111111111111111" }), 422, "invalid_time_zone"],
      ["a long zone", tell(s.token, { time_zone: `Europe/${"P".repeat(5000)}` }), 422, "invalid_time_zone"],
      ["two keys in one", tell(s.token, { time_zone: "UTC", journal_key: `${key}${key}` }), 422, "invalid_journal_key"],
      ["a key with text after it", tell(s.token, { time_zone: "UTC", journal_key: `${key}rm -rf /\n` }), 422, "invalid_journal_key"],
      ["a key as a number", tell(s.token, { time_zone: "UTC", journal_key: 42 }), 422, "invalid_journal_key"],
      ["1 MB of key", tell(s.token, { time_zone: "UTC", journal_key: "A".repeat(1024 * 1024) }), 413, "body_too_large"],
      ["form-encoded", tell(s.token, "time_zone=UTC", { "Content-Type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type"],
      ["no content type", tell(s.token, JSON.stringify({ time_zone: "UTC" }), { "Content-Type": "" }), 415, "unsupported_media_type"],
      // no such sync route: it falls to the pages, which want a page's CSRF token
      ["a POST", tell(s.token, { time_zone: "UTC" }, {}, "POST"), 403, "csrf_failed"],
    ];
    for (const [what, answer, status, code] of cases) {
      const res = await answer;
      expect({ what, status: res.status, code: await errorCode(res) }).toEqual({ what, status, code });
    }
    // a GET is no sync route (it falls to the pages: sign in) and changes nothing
    expect((await tell(s.token, null, {}, "GET")).status).toBe(303);
    expect(await factsOf(s.storeId)).toBe(before);
  });

  test("a field head office does not know is named back only when it is a plain field name: no card number or control text on the store's page", async () => {
    const s = await addStore(hq.sql, "Chatty Store");
    for (const field of ["4111 1111 1111 1111", "Call 0800 123 456 \u202eto fix this", "x\nforged line"]) {
      const res = await tell(s.token, { time_zone: "UTC", [field]: 1 });
      expect(res.status).toBe(400);
      const body = await res.text();
      expect(body).not.toContain("4111");
      expect(body).not.toContain("0800");
      expect(body).not.toContain("forged");
      const [row] = await hq.sql<{ last_error: string }[]>`SELECT last_error FROM stores WHERE store_id = ${s.storeId}::uuid`;
      expect(row!.last_error).toStartWith("Head office does not know");
      expect(row!.last_error).not.toMatch(/4111|0800|\u202e|forged/);
      const page = await admin.page(`/stores/${s.storeId}`);
      expect(page.html).not.toMatch(/4111|0800|\u202e|forged/);
    }
    // a plain one is still named, so the store's people know what to drop
    const res = await tell(s.token, { time_zone: "UTC", colour: "red" });
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("colour");
  });
});

describe("/metrics", () => {
  test("a store's sync token, a token in the query string or a person's cookie is no way in; an API token for every store is", async () => {
    const byStore = await hq.app.request(`${ORIGIN}/metrics`, { headers: { Authorization: `Bearer ${north.token}` } });
    expect(byStore.status).toBe(401);
    expect(await errorCode(byStore)).toBe("api_token_invalid");
    const chain = await createApiToken(hq.sql, "Scraper", "test");
    expect((await hq.app.request(`${ORIGIN}/metrics?token=${chain.secret}`)).status).toBe(401);
    expect((await hq.app.request(`${ORIGIN}/metrics?access_token=${chain.secret}`)).status).toBe(401);
    expect((await admin.request("GET", "/metrics")).status).toBe(401);
    // the bearer is read from Authorization only, and a POST is no scrape
    expect((await hq.app.request(`${ORIGIN}/metrics`, { method: "POST", headers: { Authorization: `Bearer ${chain.secret}` } })).status).toBe(403);
    const ok = await hq.app.request(`${ORIGIN}/metrics`, { headers: { Authorization: `Bearer ${chain.secret}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Cache-Control")).toBe("no-store");
  });

  test("a store's name cannot forge a series: quotes and backslashes in a label are escaped", async () => {
    const odd = await addStore(hq.sql, 'Quote"} 1 \\ Store');
    const chain = await createApiToken(hq.sql, "Scraper 2", "test");
    const text = await (await hq.app.request(`${ORIGIN}/metrics`, { headers: { Authorization: `Bearer ${chain.secret}` } })).text();
    const line = text.split("\n").find((l) => l.includes(odd.storeId) && l.startsWith("shopflow_hq_store_info"));
    expect(line).toBe(`shopflow_hq_store_info{store="${odd.storeId}",name="Quote\\"} 1 \\\\ Store"} 1`);
  });
});

describe("the backup limits form", () => {
  const limits = async () => (await hq.sql<{ r: string }[]>`SELECT to_jsonb(l)::text AS r FROM hq_backup_limits l`)[0]!.r;

  test("without the page's CSRF token, with another session's, or from another origin: 403 and the limits stay", async () => {
    const other = await signedIn(hq, "Otto", "admin");
    await other.page(`/stores/${north.storeId}/backups`);
    await admin.page(`/stores/${north.storeId}/backups`);
    const before = await limits();
    const form = { copies_kept: "1", max_mb: "1" };
    const path = `/stores/${north.storeId}/backups/limits`;
    for (const res of [
      await admin.request("POST", path, { form, csrf: null }),
      await admin.request("POST", path, { form, csrf: other.csrf }),
      await admin.request("POST", path, { form, origin: "http://evil.example" }),
      await admin.request("POST", path, { form, csrf: "x".repeat(64) }),
    ]) {
      expect(res.status).toBe(403);
    }
    expect(await limits()).toBe(before);
  });

  test("a GET with the form's fields changes nothing", async () => {
    const before = await limits();
    const res = await admin.request("GET", `/stores/${north.storeId}/backups/limits?copies_kept=1&max_mb=1`);
    expect(res.status).toBe(404);
    await admin.request("GET", `/stores/${north.storeId}/backups?copies_kept=1&max_mb=1`);
    expect(await limits()).toBe(before);
  });
});

describe("head office's log", () => {
  test("a flood of refused requests cannot rotate the log's history away: past a minute's share they are counted, not logged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-hq-log-"));
    try {
      const log = await createLogger({ dir, stderr: false });
      const app = createHqApp(hq.sql, "test", { clock: hq.clock, allowedHosts: ["hq.test"], log });
      log.info("server.started", { msg: "what a flood must not push out" });
      const flood = REFUSALS_LOGGED_PER_MINUTE + 200;
      for (let i = 0; i < flood; i++) expect((await app.request(`${ORIGIN}/sync/v1/batches`, { method: "POST" })).status).toBe(401);
      await log.close();
      const events = readdirSync(dir)
        .filter((n) => /^shopflow\..*\.log$/.test(n))
        .flatMap((n) => readFileSync(join(dir, n), "utf8").split("\n").filter(Boolean))
        .map((l) => (JSON.parse(l) as { event: string }).event);
      expect(events.filter((e) => e === "hq.refused")).toHaveLength(REFUSALS_LOGGED_PER_MINUTE);
      expect(events.filter((e) => e === "hq.refusals_flood")).toHaveLength(1);
      expect(events[0]).toBe("server.started");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
