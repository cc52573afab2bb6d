// What a store tells head office about itself (issues 16 and 17), on a real PostgreSQL: its journal key, with which
// head office checks every closure's signature as it arrives (a tampered signature or a key never told flags the chain,
// a new key keeps the old closures valid, closures that came first are checked when the key comes); and its time zone,
// on which its hours are counted (a sale at 09:15 on the shop's clock is hour 9, in Paris as in New York), the hours
// already counted made again from the raw sales when it changes. Bad values are refused with a code and nothing is written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { rmSync } from "node:fs";
import { entryHash, GENESIS } from "../../src/server/journal/journal.ts";
import { fingerprintOf, journalKeyPath, loadOrMakeJournalKey } from "../../src/server/journal/keys.ts";
import { type ClosureBody, signedText } from "../../src/server/journal/totals.ts";
import type { JournalRow } from "../../src/server/platform/journal-chain.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { type BatchItem, contentHash, type JournalEntriesPayload, outboxRef } from "../../src/sync/contracts.ts";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { MAX_JOURNAL_KEYS } from "../../src/sync/hq/ingest/store-facts.ts";
import { byHour, CHAIN_ROWS } from "../../src/sync/hq/reports/queries.ts";
import { adoptHeadOfficeZone } from "../../src/sync/hq/reports/store-hours.ts";
import { storePage } from "../../src/sync/hq/stores/store-page.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type Hq, ORIGIN, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, connectedStore, type Doc, item, saleDoc } from "./support.ts";

let hq: Hq;
let sql: HqSql;
let admin: Visitor;
const dirs: string[] = [];
beforeAll(async () => {
  hq = await startHq();
  sql = hq.sql;
  admin = await signedIn(hq, "Ana", "admin");
}, 60_000);
afterAll(async () => {
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Key = { pem: string; fingerprint: string; privateKey: KeyObject };
function newKey(): Key {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return { pem: String(publicKey.export({ type: "spki", format: "pem" })), fingerprint: fingerprintOf(publicKey), privateKey };
}

function tell(token: string, body: unknown) {
  return hq.app.request(`${ORIGIN}/sync/v1/store-facts`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A journal as a store writes it: sales, and a day closure after every `closeEvery` entries signed by `signer`. */
class Journal {
  rows: JournalRow[] = [];
  private add(kind: string, ref: string, data: string): JournalRow {
    const prev = this.rows.at(-1)?.hash ?? GENESIS;
    const seq = this.rows.length + 1;
    const at = new Date(Date.UTC(2026, 10, 20, 10, 0, seq)).toISOString();
    const row = { seq, at, kind, ref, data, prev_hash: prev, hash: entryHash(prev, at, kind, ref, data) };
    this.rows.push(row);
    return row;
  }
  sale(): JournalRow {
    return this.add("sale.completed", `sale-${this.rows.length + 1}`, JSON.stringify({ total: 500 }));
  }
  /** A day closure signed with `by`, naming `named` (by's own fingerprint unless forged); `tamper` spoils the signature. */
  close(day: string, by: Key, options: { named?: string; tamper?: boolean } = {}): JournalRow {
    const prev = this.rows.at(-1)?.hash ?? GENESIS;
    const seq = this.rows.length + 1;
    const totals = { sales_count: 1, sales_minor: 500, returns_count: 0, returns_minor: 0 };
    const body: ClosureBody = { period: day, from_seq: seq - 1, to_seq: seq - 1, totals, grand: totals, key: options.named ?? by.fingerprint };
    let sig = sign(null, Buffer.from(signedText(prev, "closure.day", day, body)), by.privateKey).toString("base64");
    if (options.tamper) sig = `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    return this.add("closure.day", day, JSON.stringify({ ...body, sig }));
  }
  /** The entries after `from` as one outbox item at `seq`. */
  item(seq: number, from = 0): BatchItem {
    const doc: JournalEntriesPayload = {
      entries: this.rows.slice(from).map((e) => ({ at: e.at, ref: e.ref, seq: e.seq, data: e.data, hash: e.hash, kind: e.kind, prev_hash: e.prev_hash })),
    };
    const payload = JSON.stringify(doc);
    return { seq, kind: "journal_entries", ref: outboxRef.journal_entries(doc), hash: contentHash(payload), payload };
  }
}

async function standing(storeId: string) {
  const [s] = await sql<{ last_seq: number; broken_seq: number | null; broken_reason: string | null }[]>`
    SELECT last_seq, broken_seq, broken_reason FROM store_journal_state WHERE store_id = ${storeId}::uuid`;
  return { last: s!.last_seq, broken: s!.broken_seq, reason: s!.broken_reason };
}

const signatures = async (storeId: string) =>
  (await sql<{ seq: number; signature: string }[]>`SELECT seq, signature FROM store_journal_closures WHERE store_id = ${storeId}::uuid ORDER BY seq`).map(
    (r) => [r.seq, r.signature],
  );

describe("closures' signatures", () => {
  test("a store that told its key: its signed closures hold", async () => {
    const { storeId, token } = await addStore(sql, "Signed");
    const key = newKey();
    const res = await tell(token, { time_zone: "Europe/Paris", journal_key: key.pem });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, journal_key: key.fingerprint, key_new: true });
    const j = new Journal();
    j.sale();
    j.close("2026-11-20", key);
    j.sale();
    j.close("2026-11-21", key);
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [j.item(1)]))).status).toBe(200);
    expect(await standing(storeId)).toEqual({ last: 4, broken: null, reason: null });
    expect(await signatures(storeId)).toEqual([
      [2, "holds"],
      [4, "holds"],
    ]);
  });

  test("a tampered signature is flagged at its closure, as a changed hash is, on the store's page too", async () => {
    const { storeId, token } = await addStore(sql, "Tampered signature");
    const key = newKey();
    expect((await tell(token, { time_zone: "UTC", journal_key: key.pem })).status).toBe(200);
    const j = new Journal();
    j.sale();
    j.close("2026-11-20", key);
    j.sale();
    j.close("2026-11-21", key, { tamper: true }); // its hash is right: only the signature is wrong
    j.sale();
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [j.item(1)]))).status).toBe(200);
    const s = await standing(storeId);
    expect(s).toMatchObject({ broken: 4, last: 3 });
    expect(s.reason).toContain("not signed by the key it names");
    const page = await storePage(sql, storeId);
    expect(page!.journal?.broken_seq).toBe(4);
  });

  test("a closure naming a key the store never told (a forged fingerprint) is flagged", async () => {
    const { storeId, token } = await addStore(sql, "Forged key");
    const told = newKey();
    const forger = newKey();
    expect((await tell(token, { time_zone: "UTC", journal_key: told.pem })).status).toBe(200);
    const j = new Journal();
    j.sale();
    j.close("2026-11-20", forger); // signed by another key, naming it
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [j.item(1)]))).status).toBe(200);
    expect((await standing(storeId)).reason).toContain("which the store never told head office");
    // and one naming the told key but signed by another: the signature does not hold
    const { storeId: other, token: otherToken } = await addStore(sql, "Forged signature");
    expect((await tell(otherToken, { time_zone: "UTC", journal_key: told.pem })).status).toBe(200);
    const k = new Journal();
    k.sale();
    k.close("2026-11-20", forger, { named: told.fingerprint });
    expect((await receiveBatch(sql, other, batch(other, "E1", [k.item(1)]))).status).toBe(200);
    expect(await standing(other)).toMatchObject({ broken: 2 });
  });

  test("a new key (a lost data folder) keeps the closures signed with the old one valid, and is audited and shown", async () => {
    const { storeId, token } = await addStore(sql, "Rotated");
    const first = newKey();
    const second = newKey();
    expect((await tell(token, { time_zone: "UTC", journal_key: first.pem })).status).toBe(200);
    const j = new Journal();
    j.sale();
    j.close("2026-11-20", first);
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [j.item(1)]))).status).toBe(200);
    const res = await tell(token, { time_zone: "UTC", journal_key: second.pem });
    expect(await res.json()).toMatchObject({ key_new: true, journal_key: second.fingerprint });
    // telling the same key again is no event
    expect(await (await tell(token, { time_zone: "UTC", journal_key: second.pem })).json()).toMatchObject({ key_new: false });
    j.sale();
    j.close("2026-11-21", second);
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [j.item(2, 2)]))).status).toBe(200);
    expect(await standing(storeId)).toEqual({ last: 4, broken: null, reason: null });
    // the closure signed with the first key holds still, beside the one signed with the second
    expect(await signatures(storeId)).toEqual([
      [2, "holds"],
      [4, "holds"],
    ]);
    const audit = await sql<{ action: string; after: { fingerprint: string } }[]>`
      SELECT action, after FROM hq_audit WHERE store_id = ${storeId}::uuid AND action LIKE 'store.journal_key%' ORDER BY id`;
    expect(audit.map((a) => [a.action, a.after.fingerprint])).toEqual([
      ["store.journal_key_told", first.fingerprint],
      ["store.journal_key_changed", second.fingerprint],
    ]);
    const page = await storePage(sql, storeId);
    expect(page!.journalKeys!.keys.map((k) => k.fingerprint)).toEqual([second.fingerprint, first.fingerprint]);
    const { html } = await admin.page(`/stores/${storeId}`);
    const shown = /data-testid="store-journal-keys">(.*?)<\/dd>/s.exec(html)?.[1] ?? "";
    expect(shown).toContain(`${second.fingerprint.slice(0, 16)}… since`);
    expect(shown).toContain("(current: the key changed, see the audit log)");
    expect(shown).toContain(`${first.fingerprint.slice(0, 16)}… since`);
    expect(shown).toContain("(earlier: its closures still hold)");
  });

  test("a token that keeps telling new keys is stopped at the limit: nothing more is stored or audited, a known key still answers", async () => {
    const { storeId, token } = await addStore(sql, "Key churner");
    const keys = Array.from({ length: MAX_JOURNAL_KEYS }, newKey);
    for (const k of keys) expect((await tell(token, { time_zone: "UTC", journal_key: k.pem })).status).toBe(200);
    const res = await tell(token, { time_zone: "UTC", journal_key: newKey().pem });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "too_many_journal_keys" } });
    const [n] = await sql<{ keys: number; audits: number }[]>`
      SELECT (SELECT count(*)::int FROM store_journal_keys WHERE store_id = ${storeId}::uuid) AS keys,
             (SELECT count(*)::int FROM hq_audit WHERE store_id = ${storeId}::uuid AND action LIKE 'store.journal_key%') AS audits`;
    expect(n).toEqual({ keys: MAX_JOURNAL_KEYS, audits: MAX_JOURNAL_KEYS });
    expect((await tell(token, { time_zone: "UTC", journal_key: keys[0]!.pem })).status).toBe(200);
  });

  test("closures that arrived before the key wait, and are checked when it comes: good ones hold, a bad one flags", async () => {
    const { storeId, token } = await addStore(sql, "Key later");
    const key = newKey();
    const j = new Journal();
    j.sale();
    j.close("2026-11-20", key);
    j.sale();
    j.close("2026-11-21", key, { tamper: true });
    j.sale();
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [j.item(1)]))).status).toBe(200);
    expect(await standing(storeId)).toEqual({ last: 5, broken: null, reason: null });
    expect(await signatures(storeId)).toEqual([
      [2, "waiting"],
      [4, "waiting"],
    ]);
    expect((await storePage(sql, storeId))!.journalKeys!.waiting).toBe(2);
    expect((await tell(token, { time_zone: "UTC", journal_key: key.pem })).status).toBe(200);
    expect(await signatures(storeId)).toEqual([
      [2, "holds"],
      [4, "broken"],
    ]);
    expect(await standing(storeId)).toMatchObject({ broken: 4 });
  });

  test("a real store tells its zone and its key on its first contact, and a new zone at the next", async () => {
    const { storeId, token } = await addStore(sql, "Real store");
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: hq.app.fetch });
    const store = connectedStore({ url: `http://127.0.0.1:${server.port}`, storeId, token }, dirs);
    try {
      writeSetting(store.db, "time_zone", "America/New_York");
      store.reloadSettings();
      await store.sync.tick();
      const [facts] = await sql<{ time_zone: string }[]>`SELECT time_zone FROM store_facts WHERE store_id = ${storeId}::uuid`;
      expect(facts?.time_zone).toBe("America/New_York");
      const keys = await sql<{ fingerprint: string }[]>`SELECT fingerprint FROM store_journal_keys WHERE store_id = ${storeId}::uuid`;
      expect(keys.map((k) => k.fingerprint)).toEqual([loadOrMakeJournalKey(journalKeyPath(dirs.at(-1)!)).fingerprint]);
      // a change of zone is told at the next contact
      writeSetting(store.db, "time_zone", "Europe/Paris");
      store.reloadSettings();
      await store.sync.tick();
      const [later] = await sql<{ time_zone: string }[]>`SELECT time_zone FROM store_facts WHERE store_id = ${storeId}::uuid`;
      expect(later?.time_zone).toBe("Europe/Paris");
    } finally {
      store.close();
      await server.stop(true);
    }
  });
});

/** Every hour rollup row (each store's, the chain's) that differs from the raw sales and returns on the store's clock. */
async function hourDisagreements(): Promise<unknown[]> {
  return [
    ...(await sql`
    WITH raw AS (
      SELECT x.store_id, x.business_date AS business_day, date_trunc('hour', x.at AT TIME ZONE f.hours_zone) AS hour,
        sum(x.baskets) AS baskets, sum(x.total) AS sales_minor, sum(x.returns) AS returns, sum(x.refund) AS refund_minor
      FROM (
        SELECT store_id, business_date, completed_at AS at, 1 AS baskets, total_minor AS total, 0 AS returns, 0 AS refund FROM sales
        UNION ALL SELECT store_id, business_date, returned_at, 0, 0, 1, total_minor FROM hq_returns
      ) x JOIN store_facts f ON f.store_id = x.store_id
      GROUP BY 1, 2, 3
    ), rolled AS (
      SELECT store_id, business_day, hour, baskets, sales_minor, returns, refund_minor FROM rollup_hours WHERE store_id <> ${CHAIN_ROWS}::uuid
    ), chain AS (
      SELECT business_day, hour, sum(baskets) AS b, sum(sales_minor) AS s, sum(refund_minor) AS r FROM raw GROUP BY 1, 2
    ), rolled_chain AS (
      SELECT business_day, hour, baskets AS b, sales_minor AS s, refund_minor AS r FROM rollup_hours WHERE store_id = ${CHAIN_ROWS}::uuid
    )
    (SELECT 'raw only' AS what, to_jsonb(d) AS row FROM (SELECT * FROM raw EXCEPT SELECT * FROM rolled) d)
    UNION ALL (SELECT 'rollup only', to_jsonb(d) FROM (SELECT * FROM rolled EXCEPT SELECT * FROM raw) d)
    UNION ALL (SELECT 'chain: raw only', to_jsonb(d) FROM (SELECT * FROM chain EXCEPT SELECT * FROM rolled_chain) d)
    UNION ALL (SELECT 'chain: rollup only', to_jsonb(d) FROM (SELECT * FROM rolled_chain EXCEPT SELECT * FROM chain) d)`),
  ];
}

/** A sale completed at `at` (an instant), on business day `day`. */
function saleAt(n: number, at: string, day: string): Doc {
  const d = saleDoc(n, { businessDate: day });
  return { ...d, completed_at: at, opened_at: new Date(Date.parse(at) - 30_000).toISOString() };
}

const scope = (store: string | null) => ({ from: "2026-11-01", to: "2026-11-30", stores: null, store });

describe("hours on the store's own clock", () => {
  test("a sale at 09:15 local lands in hour 9, in Paris and in New York, each store's and the chain's", async () => {
    const paris = await addStore(sql, "Paris");
    const newYork = await addStore(sql, "New York");
    expect((await tell(paris.token, { time_zone: "Europe/Paris" })).status).toBe(200);
    expect((await tell(newYork.token, { time_zone: "America/New_York" })).status).toBe(200);
    // Wednesday 2026-11-25, 09:15 on each shop's clock
    const p = saleAt(1, "2026-11-25T08:15:00.000Z", "2026-11-25");
    const n = saleAt(2, "2026-11-25T14:15:00.000Z", "2026-11-25");
    expect((await receiveBatch(sql, paris.storeId, batch(paris.storeId, "E1", [item(1, p)]))).status).toBe(200);
    expect((await receiveBatch(sql, newYork.storeId, batch(newYork.storeId, "E1", [item(1, n)]))).status).toBe(200);
    for (const store of [paris.storeId, newYork.storeId]) {
      expect(await byHour(sql, scope(store))).toEqual([{ weekday: 3, hour: 9, baskets: 1, sales_minor: expect.any(Number), net_minor: expect.any(Number) }]);
    }
    const chain = await byHour(sql, { ...scope(null), stores: [paris.storeId, newYork.storeId] });
    expect(chain.map((c) => [c.weekday, c.hour, c.baskets])).toEqual([[3, 9, 2]]);
    expect(await hourDisagreements()).toEqual([]);
  });

  test("hours counted before the zone was known are made again when it is learned and when it changes", async () => {
    const s = await addStore(sql, "Lyon");
    const sales = [
      saleAt(1, "2026-11-26T08:15:00.000Z", "2026-11-26"),
      saleAt(2, "2026-11-26T08:40:00.000Z", "2026-11-26"),
      saleAt(3, "2026-11-26T15:05:00.000Z", "2026-11-26"),
    ];
    expect(
      (
        await receiveBatch(
          sql,
          s.storeId,
          batch(
            s.storeId,
            "E1",
            sales.map((d, i) => item(i + 1, d)),
          ),
        )
      ).status,
    ).toBe(200);
    // head office's zone (UTC here) until the store says
    const hours = async () => (await byHour(sql, scope(s.storeId))).map((c) => [c.hour, c.baskets]);
    expect(await hours()).toEqual([
      [8, 2],
      [15, 1],
    ]);
    expect((await tell(s.token, { time_zone: "Europe/Paris" })).status).toBe(200);
    expect(await hours()).toEqual([
      [9, 2],
      [16, 1],
    ]);
    expect(await hourDisagreements()).toEqual([]);
    expect((await tell(s.token, { time_zone: "America/New_York" })).status).toBe(200);
    expect(await hours()).toEqual([
      [3, 2],
      [10, 1],
    ]);
    expect(await hourDisagreements()).toEqual([]);
    // a later sale is counted on the new clock by the merge itself
    const later = saleAt(4, "2026-11-26T16:30:00.000Z", "2026-11-26");
    expect((await receiveBatch(sql, s.storeId, batch(s.storeId, "E1", [item(4, later)], 4))).status).toBe(200);
    expect(await hours()).toEqual([
      [3, 2],
      [10, 1],
      [11, 1],
    ]);
    expect(await hourDisagreements()).toEqual([]);
  });

  test("head office's own zone stands in for stores that never said, and a new one makes their hours again", async () => {
    const s = await addStore(sql, "Silent");
    const sale = saleAt(1, "2026-11-27T08:15:00.000Z", "2026-11-27");
    expect((await receiveBatch(sql, s.storeId, batch(s.storeId, "E1", [item(1, sale)]))).status).toBe(200);
    const hours = async () => (await byHour(sql, scope(s.storeId))).map((c) => c.hour);
    expect(await hours()).toEqual([8]);
    expect(await adoptHeadOfficeZone(sql, "Asia/Tokyo")).toBeGreaterThan(0);
    expect(await hours()).toEqual([17]);
    expect(await hourDisagreements()).toEqual([]);
    // stores that said their zone keep it
    expect(
      (await byHour(sql, scope((await sql<{ store_id: string }[]>`SELECT store_id::text FROM stores WHERE name = 'Paris'`)[0]!.store_id))).map((c) => c.hour),
    ).toEqual([9]);
    await adoptHeadOfficeZone(sql, "UTC");
    expect(await hours()).toEqual([8]);
    expect(await hourDisagreements()).toEqual([]);
  });
});

describe("bad facts", () => {
  const footprint = async () =>
    (
      await sql<{ f: string }[]>`SELECT (SELECT coalesce(jsonb_agg(to_jsonb(f) ORDER BY store_id), '[]') FROM store_facts f)::text
        || (SELECT count(*) FROM store_journal_keys)::text || (SELECT count(*) FROM hq_audit)::text
        || (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY store_id, business_day, hour), '[]') FROM rollup_hours r)::text AS f`
    )[0]!.f;

  test("a bad zone or a bad key is a 422 with a code and a sentence, and nothing is written", async () => {
    const s = await addStore(sql, "Careless");
    expect((await tell(s.token, { time_zone: "Europe/Paris" })).status).toBe(200);
    const before = await footprint();
    const { privateKey } = generateKeyPairSync("ed25519");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" });
    const cases: [unknown, number, string][] = [
      [{ time_zone: "Mars/Olympus" }, 422, "invalid_time_zone"],
      [{ time_zone: "+01:00" }, 422, "invalid_time_zone"],
      [{ time_zone: "" }, 422, "invalid_time_zone"],
      [{ time_zone: 7 }, 422, "invalid_time_zone"],
      [{}, 422, "invalid_time_zone"],
      [{ time_zone: "UTC", journal_key: "not a key" }, 422, "invalid_journal_key"],
      [{ time_zone: "UTC", journal_key: String(rsa) }, 422, "invalid_journal_key"],
      [{ time_zone: "UTC", journal_key: String(privateKey.export({ type: "pkcs8", format: "pem" })) }, 422, "invalid_journal_key"],
      [{ time_zone: "UTC", journal_key: `-----BEGIN PUBLIC KEY-----\n${"A".repeat(5000)}\n-----END PUBLIC KEY-----\n` }, 422, "invalid_journal_key"],
      [{ time_zone: "UTC", colour: "red" }, 400, "invalid_request"],
      ["[1, 2]", 400, "invalid_request"],
      ["{not json", 400, "malformed_json"],
    ];
    for (const [body, status, code] of cases) {
      const res = await tell(s.token, body);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect({ body, status: res.status, code: answer.error.code }).toEqual({ body, status, code });
      expect(answer.error.message.length).toBeGreaterThan(20);
    }
    // and without the store's token nothing is told
    expect((await tell("not-a-token", { time_zone: "UTC" })).status).toBe(401);
    expect(await footprint()).toBe(before);
  });
});
